package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const templateRole = "arn:aws:iam::123456789012:role/ecr-templates"

func TestCreationTemplatesCarryTheRegistryDefaults(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{
		Tags: pulumi.StringMap{"owner": pulumi.String("platform")},
		Defaults: &RepositoryArgs{
			Access:    &AccessArgs{PullAccountIds: strs("111111111111")},
			Lifecycle: &LifecycleArgs{KeepLatest: ptr(30)},
		},
		CreationTemplates: &CreationTemplatesArgs{Templates: map[string]CreationTemplateArgs{
			"ROOT":       {AppliedFor: []TemplateAppliedFor{"REPLICATION"}, CustomRoleArn: pulumi.String(templateRole)},
			"ecr-public": {AppliedFor: []TemplateAppliedFor{"PULL_THROUGH_CACHE"}, CustomRoleArn: later(templateRole), Description: ptr("cached images")},
			"bare":       {AppliedFor: []TemplateAppliedFor{"REPLICATION"}, InheritDefaults: ptr(false)},
		}},
	}).ok(t)

	root := r.one(t, templateType, "main/ROOT")
	assert.Equal(t, "ROOT", root.input("prefix").AsString())
	assert.Equal(t, "REPLICATION", root.input("appliedFors", "0").AsString())
	assert.Equal(t, "IMMUTABLE", root.input("imageTagMutability").AsString(), "the Registry's default")
	assert.Equal(t, "AES256", root.input("encryptionConfigurations", "0", "encryptionType").AsString())
	assert.Equal(t, "platform", root.input("resourceTags", "owner").AsString(), "the registry tags")
	assert.Equal(t, templateRole, root.input("customRoleArn").AsString())
	assert.Contains(t, root.input("lifecyclePolicy").AsString(), `"countNumber":30`, "defaults.lifecycle")
	assert.Contains(t, root.input("repositoryPolicy").AsString(), "arn:aws:iam::111111111111:root", "defaults.access")
	assert.Contains(t, root.input("description").AsString(), "REPLICATION under ROOT, with the settings of Registry main")
	assert.Contains(t, r.request(t, templateType, "main/ROOT").GetParent(), "ecrrepos:index:Registry::main")
	assert.False(t, root.RetainOnDelete)

	cache := r.one(t, templateType, "main/ecr-public")
	assert.Equal(t, "MUTABLE", cache.input("imageTagMutability").AsString(), "ECR must be able to update cached tags")
	assert.Equal(t, "cached images", cache.input("description").AsString())
	assert.Equal(t, templateRole, cache.input("customRoleArn").AsString(), "a role created in the same program")

	bare := r.one(t, templateType, "main/bare")
	assert.False(t, has(bare.input(), "resourceTags"), "no inherited tags: no role needed")
	assert.False(t, has(bare.input(), "repositoryPolicy"))
	assert.Contains(t, bare.input("lifecyclePolicy").AsString(), `"countNumber":14`, "the built-in lifecycle default")
	assert.Empty(t, r.ofType(parameterType), "templates are per prefix, not singletons")
}

func TestCreationTemplateRetainOnDeleteAndKMS(t *testing.T) {
	t.Parallel()
	kms := EncryptionTypeKMS
	r := runWide(t, RegistryArgs{CreationTemplates: &CreationTemplatesArgs{RetainOnDelete: ptr(true), Templates: map[string]CreationTemplateArgs{
		"prod": {AppliedFor: []TemplateAppliedFor{"REPLICATION", "PULL_THROUGH_CACHE"}, CustomRoleArn: pulumi.String(templateRole),
			EncryptionType: &kms, KmsKeyArn: pulumi.String("arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")},
	}}}).ok(t)
	prod := r.one(t, templateType, "main/prod")
	assert.True(t, prod.RetainOnDelete)
	assert.Equal(t, "KMS", prod.input("encryptionConfigurations", "0", "encryptionType").AsString())
	assert.Equal(t, "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", prod.input("encryptionConfigurations", "0", "kmsKey").AsString())
	assert.Equal(t, []string{"PULL_THROUGH_CACHE", "REPLICATION"}, []string{prod.input("appliedFors", "0").AsString(), prod.input("appliedFors", "1").AsString()})
}

func TestCreationTemplateNeedsARoleForTags(t *testing.T) {
	t.Parallel()
	runWide(t, RegistryArgs{
		Tags:              pulumi.StringMap{"owner": pulumi.String("platform")},
		CreationTemplates: &CreationTemplatesArgs{Templates: map[string]CreationTemplateArgs{"prod": {AppliedFor: []TemplateAppliedFor{"REPLICATION"}}}},
	}).rejected(t, `creationTemplates.templates["prod"].customRoleArn: is required: the template sets resource tags (inherited from tags)`, "inheritDefaults: false")
}

func TestCreationTemplateRoleOutputCheckedWhenItResolves(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{CreationTemplates: &CreationTemplatesArgs{Templates: map[string]CreationTemplateArgs{
		"prod": {AppliedFor: []TemplateAppliedFor{"REPLICATION"}, CustomRoleArn: later("arn:aws:iam::123456789012:user/me")},
	}}})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `creationTemplates.templates["prod"].customRoleArn: must be an IAM role ARN`)
	assert.Empty(t, r.ofType(templateType))
}

func TestCreationTemplateOwnSettingsOverrideDefaults(t *testing.T) {
	t.Parallel()
	mutable := ImageTagMutabilityMutable
	r := runWide(t, RegistryArgs{
		Tags:     pulumi.StringMap{"owner": pulumi.String("platform")},
		Defaults: &RepositoryArgs{Tags: pulumi.StringMap{"env": pulumi.String("prod")}},
		CreationTemplates: &CreationTemplatesArgs{Templates: map[string]CreationTemplateArgs{
			"team": {AppliedFor: []TemplateAppliedFor{"REPLICATION"}, CustomRoleArn: pulumi.String(templateRole),
				ImageTagMutability: &mutable, Tags: pulumi.StringMap{"env": pulumi.String("replica")},
				Lifecycle: &LifecycleArgs{Disabled: ptr(true)}},
		}},
	}).ok(t)
	team := r.one(t, templateType, "main/team")
	assert.Equal(t, "MUTABLE", team.input("imageTagMutability").AsString())
	assert.Equal(t, "replica", team.input("resourceTags", "env").AsString(), "the template's tags win")
	assert.Equal(t, "platform", team.input("resourceTags", "owner").AsString())
	assert.False(t, has(team.input(), "lifecyclePolicy"), "a disabled lifecycle gives the template none")
}
