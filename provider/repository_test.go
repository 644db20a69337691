package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
)

func TestRepositoriesGetBuiltInDefaults(t *testing.T) {
	t.Parallel()
	repo := run(t, RegistryArgs{Repositories: repos("team/api", RepositoryArgs{})}).ok(t).one(t, repositoryTyp, "main/team/api")
	assert.Equal(t, "team/api", repo.input("name").AsString())
	assert.Equal(t, "IMMUTABLE", repo.input("imageTagMutability").AsString())
	assert.True(t, repo.input("imageScanningConfiguration", "scanOnPush").AsBool())
	assert.Equal(t, "AES256", repo.input("encryptionConfigurations", "0", "encryptionType").AsString())
	assert.False(t, has(repo.input("encryptionConfigurations", "0"), "kmsKey"))
	assert.False(t, repo.input("forceDelete").AsBool())
	assert.False(t, has(property.New(repo.Inputs), "tags"), "no tags were asked for")
	assert.True(t, repo.DeleteBeforeReplace, "a fixed name can only be replaced delete-first")
	assert.False(t, repo.RetainOnDelete)
}

func TestDefaultsApplyFieldByFieldAndRepositoriesOverride(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		Defaults: &RepositoryArgs{ImageTagMutability: ptr(ImageTagMutabilityMutable), ScanOnPush: ptr(false), ForceDelete: ptr(true)},
		Repositories: map[string]RepositoryArgs{
			"inherits":  {},
			"overrides": {ImageTagMutability: ptr(ImageTagMutabilityImmutable), ForceDelete: ptr(false)},
		},
	}).ok(t)
	inherits, overrides := r.one(t, repositoryTyp, "main/inherits"), r.one(t, repositoryTyp, "main/overrides")
	assert.Equal(t, "MUTABLE", inherits.input("imageTagMutability").AsString())
	assert.False(t, inherits.input("imageScanningConfiguration", "scanOnPush").AsBool())
	assert.True(t, inherits.input("forceDelete").AsBool())
	assert.Equal(t, "IMMUTABLE", overrides.input("imageTagMutability").AsString())
	assert.False(t, overrides.input("imageScanningConfiguration", "scanOnPush").AsBool(), "not overridden, so the default applies")
	assert.False(t, overrides.input("forceDelete").AsBool())
}

func TestRetainOnDeleteKeepsTheRepositoryAndItsPolicies(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		Defaults: &RepositoryArgs{RetainOnDelete: ptr(true)},
		Repositories: map[string]RepositoryArgs{
			"kept":      {Access: &AccessArgs{PullAccountIds: strs("111111111111")}},
			"temporary": {RetainOnDelete: ptr(false)},
		},
	}).ok(t)
	for _, typ := range []string{repositoryTyp, lifecycleType, policyType} {
		assert.True(t, r.one(t, typ, "main/kept").RetainOnDelete, typ)
	}
	assert.False(t, r.one(t, repositoryTyp, "main/temporary").RetainOnDelete)
	assert.False(t, r.one(t, lifecycleType, "main/temporary").RetainOnDelete)
}

// Values users take from other resources arrive as outputs: during a preview
// they are unknown; the repository is planned with them unknown.
func TestUnknownOutputsDuringPreview(t *testing.T) {
	t.Parallel()
	unknownMap := pulumi.UnsafeUnknownOutput(nil).ApplyT(func(any) map[string]string { return nil }).(pulumi.StringMapOutput)
	r := run(t, RegistryArgs{
		Tags: unknownMap,
		Repositories: repos("api", RepositoryArgs{
			EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: unknown(), Tags: pulumi.StringMap{"team": unknown()},
			Access: &AccessArgs{PullPrincipalArns: pulumi.StringArray{unknown()}},
		}),
	}, dryRun()).ok(t)
	repo := r.one(t, repositoryTyp, "main/api")
	assert.Equal(t, "api", repo.input("name").AsString(), "an unknown value elsewhere never makes the name unknown")
	assert.Equal(t, "KMS", repo.input("encryptionConfigurations", "0", "encryptionType").AsString())
	// The mock monitor drops unknown values; tests/provider_test.go checks
	// that they reach the engine as unknowns.
	assert.False(t, has(repo.input("encryptionConfigurations", "0"), "kmsKey"))
	r.one(t, policyType, "main/api")
}

func TestImportExistingAdoptsTheRepository(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		Defaults:     &RepositoryArgs{ImportExisting: ptr(true)},
		Repositories: map[string]RepositoryArgs{"legacy/app": {}, "new": {ImportExisting: ptr(false)}},
	}).ok(t)
	assert.Equal(t, "legacy/app", r.one(t, repositoryTyp, "main/legacy/app").ImportID)
	assert.Empty(t, r.one(t, repositoryTyp, "main/new").ImportID)
	assert.Empty(t, r.one(t, lifecycleType, "main/legacy/app").ImportID, "policies are put over whatever the repository had")
}
