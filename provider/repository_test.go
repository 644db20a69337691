package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const repositoryType = "aws:ecr/repository:Repository"

func TestRepositoriesGetBuiltInDefaults(t *testing.T) {
	m, out, err := runRegistry(t, RegistryArgs{Repositories: map[string]RepositoryArgs{"team/api": {}}})
	require.NoError(t, err)

	repos := m.ofType(repositoryType)
	require.Len(t, repos, 1)
	repo := repos["main-team--api"].Inputs
	assert.Equal(t, "team/api", str(repo, "name"))
	assert.Equal(t, "IMMUTABLE", str(repo, "imageTagMutability"))
	assert.Equal(t, "true", str(repo, "imageScanningConfiguration", "scanOnPush"))
	assert.Equal(t, "AES256", str(repo, "encryptionConfigurations", "0", "encryptionType"))
	assert.Equal(t, "<null>", str(repo, "encryptionConfigurations", "0", "kmsKey"))
	assert.Equal(t, "false", str(repo, "forceDelete"))
	assert.False(t, repo.HasValue("tags"), "no tags were asked for")

	assert.Equal(t, map[string]string{"team/api": "team/api"}, out.names)
	assert.Equal(t, map[string]string{"team/api": "arn:aws:ecr:eu-west-1:123456789012:repository/team/api"}, out.arns)
	assert.Equal(t, map[string]string{"team/api": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api"}, out.urls)
	assert.Equal(t, "123456789012", out.registryID)
	assert.Equal(t, "123456789012.dkr.ecr.eu-west-1.amazonaws.com", out.url)
}

func TestDefaultsApplyFieldByFieldAndRepositoriesOverride(t *testing.T) {
	m, _, err := runRegistry(t, RegistryArgs{
		Defaults: &RepositoryArgs{
			ImageTagMutability: ptr(ImageTagMutabilityMutable),
			ScanOnPush:         ptr(false),
			ForceDelete:        ptr(true),
		},
		Repositories: map[string]RepositoryArgs{
			"inherits":  {},
			"overrides": {ImageTagMutability: ptr(ImageTagMutabilityImmutable), ForceDelete: ptr(false)},
		},
	})
	require.NoError(t, err)
	repos := m.ofType(repositoryType)

	inherits := repos["main-inherits"].Inputs
	assert.Equal(t, "MUTABLE", str(inherits, "imageTagMutability"))
	assert.Equal(t, "false", str(inherits, "imageScanningConfiguration", "scanOnPush"))
	assert.Equal(t, "true", str(inherits, "forceDelete"))

	overrides := repos["main-overrides"].Inputs
	assert.Equal(t, "IMMUTABLE", str(overrides, "imageTagMutability"))
	assert.Equal(t, "false", str(overrides, "imageScanningConfiguration", "scanOnPush"), "not overridden, so the default applies")
	assert.Equal(t, "false", str(overrides, "forceDelete"))
}

func TestTagsMergeMostSpecificWins(t *testing.T) {
	m, _, err := runRegistry(t, RegistryArgs{
		Tags:     pulumi.StringMap{"owner": pulumi.String("platform"), "env": pulumi.String("prod"), "cost": pulumi.String("shared")},
		Defaults: &RepositoryArgs{Tags: pulumi.StringMap{"env": pulumi.String("staging"), "team": pulumi.String("default")}},
		Repositories: map[string]RepositoryArgs{
			"api": {Tags: pulumi.StringMap{"team": pulumi.String("api")}},
			"web": {},
		},
	})
	require.NoError(t, err)
	repos := m.ofType(repositoryType)
	tags := func(name string) map[string]string {
		out := map[string]string{}
		for k, v := range repos[name].Inputs["tags"].ObjectValue() {
			out[string(k)] = v.StringValue()
		}
		return out
	}
	assert.Equal(t, map[string]string{"owner": "platform", "env": "staging", "cost": "shared", "team": "api"}, tags("main-api"))
	assert.Equal(t, map[string]string{"owner": "platform", "env": "staging", "cost": "shared", "team": "default"}, tags("main-web"))
}

func TestKmsKeyFromDefaultsOrRepository(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	const other = "arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"
	m, _, err := runRegistry(t, RegistryArgs{
		Defaults: &RepositoryArgs{EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.String(key)},
		Repositories: map[string]RepositoryArgs{
			"default-key": {},
			"own-key":     {KmsKeyArn: pulumi.String(other)},
			"plain":       {EncryptionType: ptr(EncryptionTypeAES256)},
		},
	})
	require.NoError(t, err)
	repos := m.ofType(repositoryType)
	assert.Equal(t, "KMS", str(repos["main-default-key"].Inputs, "encryptionConfigurations", "0", "encryptionType"))
	assert.Equal(t, key, str(repos["main-default-key"].Inputs, "encryptionConfigurations", "0", "kmsKey"))
	assert.Equal(t, other, str(repos["main-own-key"].Inputs, "encryptionConfigurations", "0", "kmsKey"))
	assert.Equal(t, "AES256", str(repos["main-plain"].Inputs, "encryptionConfigurations", "0", "encryptionType"))
	assert.Equal(t, "<null>", str(repos["main-plain"].Inputs, "encryptionConfigurations", "0", "kmsKey"),
		"a repository that chose AES256 drops the default key")
}

func TestOutputsFlowIntoChildrenSecretsStaySecret(t *testing.T) {
	const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	m, _, err := runRegistry(t, RegistryArgs{
		Tags: pulumi.StringMap{"owner": pulumi.ToSecret(pulumi.String("secret-owner")).(pulumi.StringOutput)},
		Repositories: map[string]RepositoryArgs{
			"api": {EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.ToSecret(pulumi.String(key)).(pulumi.StringOutput)},
		},
	})
	require.NoError(t, err)
	repo := m.ofType(repositoryType)["main-api"].Inputs
	kms := repo["encryptionConfigurations"].ArrayValue()[0].ObjectValue()["kmsKey"]
	require.True(t, kms.IsSecret(), "a secret key ARN stays secret: %v", kms)
	assert.Equal(t, key, kms.SecretValue().Element.StringValue())
	owner := repo["tags"].ObjectValue()["owner"]
	require.True(t, owner.IsSecret(), "a secret tag value stays secret: %v", owner)
	assert.Equal(t, "secret-owner", owner.SecretValue().Element.StringValue())
}

func TestUnknownOutputsDuringPreview(t *testing.T) {
	unknown := pulumi.UnsafeUnknownOutput(nil).ApplyT(func(any) string { return "" }).(pulumi.StringOutput)
	unknownMap := pulumi.UnsafeUnknownOutput(nil).ApplyT(func(any) map[string]string { return nil }).(pulumi.StringMapOutput)
	m, _, err := runRegistry(t, RegistryArgs{
		Tags: unknownMap,
		Repositories: map[string]RepositoryArgs{
			"api": {EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: unknown, Tags: pulumi.StringMap{"team": unknown}},
		},
	}, dryRun)
	require.NoError(t, err)
	repo := m.ofType(repositoryType)["main-api"].Inputs
	assert.Equal(t, "api", str(repo, "name"))
	// The mock monitor drops unknown values; the integration test in tests/
	// checks that they reach the engine as unknowns.
	assert.Equal(t, "KMS", str(repo, "encryptionConfigurations", "0", "encryptionType"))
	assert.False(t, repo["encryptionConfigurations"].ArrayValue()[0].ObjectValue().HasValue("kmsKey"))
	assert.False(t, repo.HasValue("tags"))
}

func TestOutputValuesAreCheckedWhenTheyResolve(t *testing.T) {
	alias := pulumi.String("alias/ecr").ToStringOutput().ApplyT(func(s string) string { return s }).(pulumi.StringOutput)
	aliasWithSecret := pulumi.ToSecret(alias).(pulumi.StringOutput)
	_, _, err := runRegistry(t, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"api": {EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: aliasWithSecret},
	}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `repositories["api"].kmsKeyArn: must be a KMS key ARN`)

	badTags := pulumi.StringMap{"aws:reserved": pulumi.String("x")}.ToStringMapOutput()
	_, _, err = runRegistry(t, RegistryArgs{Tags: badTags, Repositories: map[string]RepositoryArgs{"api": {}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `tags["aws:reserved"]: tag keys must not start with the reserved prefix`)
}

func TestChildNamesAreStableAndDistinct(t *testing.T) {
	assert.Equal(t, "main-team--api", childName("main", "team/api"))
	assert.Equal(t, "main-team-api", childName("main", "team-api"))
	assert.NotEqual(t, childName("r", "a/b"), childName("r", "a-b"))
	assert.Equal(t, childName("r", "a/b/c"), childName("r", "a/b/c"))
}

func TestSameArgsRegisterSameResources(t *testing.T) {
	args := RegistryArgs{Repositories: map[string]RepositoryArgs{"cc": {}, "aa/bb": {}, "bb": {}}}
	first, _, err := runRegistry(t, args)
	require.NoError(t, err)
	second, _, err := runRegistry(t, args)
	require.NoError(t, err)
	assert.Equal(t, first.names(), second.names())
	for name, r := range first.ofType(repositoryType) {
		assert.True(t, r.Inputs.DeepEquals(second.ofType(repositoryType)[name].Inputs), name)
	}
	assert.Contains(t, first.names(), "aws:ecr/repository:Repository::main-aa--bb")
}

func TestRetainOnDeleteKeepsTheRepositoryAndItsPolicies(t *testing.T) {
	m, _, err := runRegistry(t, RegistryArgs{
		Defaults: &RepositoryArgs{RetainOnDelete: ptr(true)},
		Repositories: map[string]RepositoryArgs{
			"kept":      {PullAccountIds: strs("111111111111")},
			"temporary": {RetainOnDelete: ptr(false)},
		},
	})
	require.NoError(t, err)
	for _, typ := range []string{repositoryType, lifecyclePolicyType, repositoryPolicyType} {
		assert.True(t, m.ofType(typ)["main-kept"].RetainOnDelete, typ)
	}
	assert.False(t, m.ofType(repositoryType)["main-temporary"].RetainOnDelete)
	assert.False(t, m.ofType(lifecyclePolicyType)["main-temporary"].RetainOnDelete)
}
