package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// namePrefix makes the ECR names; the keys stay the outputs' keys and the
// children's names, so the same program deploys one registry per stack.
func TestNamePrefixNamesTheRepositories(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		NamePrefix:   ptr("staging/"),
		Defaults:     &RepositoryArgs{Access: &AccessArgs{PullAccountIds: strs("111111111111")}},
		Repositories: map[string]RepositoryArgs{"team/api": {}, "legacy/app": {ImportExisting: ptr(true)}},
	}).ok(t)
	repo := r.one(t, repositoryTyp, "main/team/api")
	assert.Equal(t, "staging/team/api", repo.input("name").AsString())
	assert.Equal(t, "staging/legacy/app", r.one(t, repositoryTyp, "main/legacy/app").ImportID, "ECR imports by the repository's name")
	assert.Equal(t, "staging/team/api", r.one(t, policyType, "main/team/api").input("repository").AsString())
	assert.Equal(t, "staging/team/api", r.one(t, lifecycleType, "main/team/api").input("repository").AsString())

	info := r.info("team/api")
	assert.Equal(t, "staging/team/api", info.Name)
	assert.Equal(t, "arn:aws:ecr:"+testRegion+":"+testAccount+":repository/staging/team/api", info.Arn)
	assert.Equal(t, map[string]string{"legacy/app": "staging/legacy/app", "team/api": "staging/team/api"}, r.stringMap("repositoryNames"))
	assert.Contains(t, r.outputs["pullPolicyJson"], "repository/staging/", "the identity policies grant the prefixed repositories")
	assert.NotContains(t, r.outputs["pullPolicyJson"], "repository/team/")
}

func TestNamePrefixIsCheckedBeforeAnythingIsRegistered(t *testing.T) {
	t.Parallel()
	run(t, RegistryArgs{NamePrefix: ptr("Staging/"), Repositories: repos("api", RepositoryArgs{})}).rejected(t,
		`namePrefix: must be the start of an ECR repository name`)
	run(t, RegistryArgs{NamePrefix: ptr("staging/"), Repositories: repos("-api", RepositoryArgs{})}).rejected(t,
		`repositories["-api"]: repository name "staging/-api" must be lowercase letters and digits`)
}

func TestNamePrefixEncryptionGuardNamesTheRepository(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{NamePrefix: ptr("prod-"), Repositories: repos("api", RepositoryArgs{})}, existingEncryption("prod-api", "KMS"))
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `repositories["api"].encryptionType: ECR cannot change the encryption of an existing repository: "prod-api" is encrypted with KMS`)
}

// The engine resolves every dependency an output carries when the component
// returns its outputs, so `repositories` and its views depend on each
// repository once (issue #10: reading the ARN and URL from the resource made
// that three times, in each of four outputs).
func TestRepositoryOutputsDependOnEachRepositoryOnce(t *testing.T) {
	t.Parallel()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		reg, err := NewRegistry(ctx, "main", benchArgs(3))
		if err != nil {
			return err
		}
		for name, o := range map[string]pulumi.Output{
			"repositories": reg.Repositories, "repositoryNames": reg.RepositoryNames, "repositoryArns": reg.RepositoryArns, "repositoryUrls": reg.RepositoryUrls,
		} {
			got, err := internals.UnsafeAwaitOutput(ctx.Context(), o)
			require.NoError(t, err)
			assert.Len(t, got.Dependencies, 3, name)
		}
		return nil
	}, pulumi.WithMocks("project", "stack", &mocks{existingEncryption: map[string]string{}}))
	require.NoError(t, err)
}
