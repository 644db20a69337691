package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const componentURN = "urn:pulumi:stack::project::" + RegistryToken + "::main"

func keyArgs(k KmsKeyArgs, repositories map[string]RepositoryArgs) RegistryArgs {
	return RegistryArgs{
		Tags:         pulumi.StringMap{"owner": pulumi.String("platform")},
		Encryption:   &RegistryEncryptionArgs{Kms: &k},
		Repositories: repositories,
	}
}

var kmsRepos = map[string]RepositoryArgs{
	"team/api": {EncryptionType: ptr(EncryptionTypeKMS)},
	"team/web": {},
	"own-key":  {EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.String(keyArn)},
}

// The key, its alias and their defaults; the KMS repositories without a
// key of their own use it.
func TestCreatedKeyDefaultsAndUse(t *testing.T) {
	t.Parallel()
	r := run(t, keyArgs(KmsKeyArgs{Create: ptr(true)}, kmsRepos)).ok(t)
	key := r.one(t, kmsKeyType, "main/kms")
	assert.True(t, key.input("enableKeyRotation").AsBool())
	assert.Equal(t, 30.0, key.input("deletionWindowInDays").AsNumber())
	assert.False(t, key.input("multiRegion").AsBool())
	_, period := key.Inputs.GetOk("rotationPeriodInDays")
	assert.False(t, period, "KMS's default period")
	assert.Contains(t, key.input("description").AsString(), "ecrrepos Registry main (project/stack)")
	assert.Equal(t, "platform", key.input("tags", "owner").AsString(), "the registry's tags, like every child")
	policy := key.input("policy").AsString()
	assert.Contains(t, policy, `"kms:ViaService":"ecr.eu-west-1.amazonaws.com"`)
	assert.Contains(t, policy, `"kms:CallerAccount":"123456789012"`)
	assert.Contains(t, policy, `"Sid":"AccountAdministersKey"`)

	alias := r.one(t, kmsAliasType, "main/kms")
	assert.Equal(t, "alias/ecr/project/stack/main", alias.input("name").AsString())
	assert.Equal(t, "created-key", alias.input("targetKeyId").AsString())
	for _, res := range []registered{key, alias} {
		assert.True(t, res.Protect, "%s is protected from deletion by default", res.Type)
		assert.Equal(t, componentURN, res.Parent)
	}

	assert.Equal(t, createdKeyArn, r.one(t, repositoryTyp, "main/team/api").input("encryptionConfigurations", "0", "kmsKey").AsString())
	assert.Equal(t, keyArn, r.one(t, repositoryTyp, "main/own-key").input("encryptionConfigurations", "0", "kmsKey").AsString())
	assert.False(t, has(r.one(t, repositoryTyp, "main/team/web").input("encryptionConfigurations", "0"), "kmsKey"))
	assert.Equal(t, createdKeyArn, r.outputs["kmsKeyArn"])
	assert.Equal(t, "alias/ecr/project/stack/main", r.outputs["kmsKeyAlias"])
}

func TestCreatedKeySettings(t *testing.T) {
	t.Parallel()
	r := run(t, keyArgs(KmsKeyArgs{
		Create: ptr(true), Alias: ptr("alias/platform/ecr"), Description: ptr("ECR images"), RotationPeriodInDays: ptr(180),
		DeletionWindowInDays: ptr(7), MultiRegion: ptr(true), Protect: ptr(false),
		AdministratorArns: strs("arn:aws:iam::123456789012:role/platform-admin"),
		UserArns:          pulumi.StringArray{later("arn:aws:iam::123456789012:role/auditor")},
	}, kmsRepos)).ok(t)
	key := r.one(t, kmsKeyType, "main/kms")
	assert.Equal(t, 180.0, key.input("rotationPeriodInDays").AsNumber())
	assert.Equal(t, 7.0, key.input("deletionWindowInDays").AsNumber())
	assert.True(t, key.input("multiRegion").AsBool())
	assert.Equal(t, "ECR images", key.input("description").AsString())
	assert.False(t, key.Protect, "protect: false opts out")
	assert.False(t, r.one(t, kmsAliasType, "main/kms").Protect)
	assert.Equal(t, "alias/platform/ecr", r.one(t, kmsAliasType, "main/kms").input("name").AsString())
	policy := key.input("policy").AsString()
	assert.Contains(t, policy, `"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/platform-admin"}`)
	assert.Contains(t, policy, `"Sid":"KeyUsers","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/auditor"}`,
		"a principal given as an output reaches the policy")
}

func TestNoKeyMeansEmptyOutputs(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: kmsRepos}).ok(t)
	assert.Empty(t, r.ofType(kmsKeyType))
	assert.Empty(t, r.ofType(kmsAliasType))
	assert.Equal(t, "", r.outputs["kmsKeyArn"])
	assert.Equal(t, "", r.outputs["kmsKeyAlias"])
	assert.False(t, has(r.one(t, repositoryTyp, "main/team/api").input("encryptionConfigurations", "0"), "kmsKey"), "AWS's aws/ecr key")
}

func TestInvalidKeySettingsRegisterNothing(t *testing.T) {
	t.Parallel()
	run(t, keyArgs(KmsKeyArgs{Create: ptr(true), Alias: ptr("alias/aws/mine"), DeletionWindowInDays: ptr(5)}, kmsRepos)).rejected(t,
		`encryption.kms.alias: must not start with "alias/aws"`, `encryption.kms.deletionWindowInDays: must be 7 to 30 days`)
	run(t, keyArgs(KmsKeyArgs{DeletionWindowInDays: ptr(10)}, kmsRepos)).rejected(t, `encryption.kms.deletionWindowInDays: only with create: true`)
}

// A principal that arrives as an output is checked when it resolves: the key
// is never created with it.
func TestBadKeyPrincipalFromAnOutputCreatesNothing(t *testing.T) {
	t.Parallel()
	r := run(t, keyArgs(KmsKeyArgs{Create: ptr(true), AdministratorArns: pulumi.StringArray{later("arn:aws:sts::123456789012:assumed-role/admin/me")}}, kmsRepos))
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `encryption.kms.administratorArns[0]: is an STS assumed-role session ARN`)
	assert.Equal(t, []string{registryType + "::main"}, r.names(), "the gate holds the key back")
}

// The guard: an existing repository never moves to the new key.
func TestExistingRepositoryNeverMovesToTheCreatedKey(t *testing.T) {
	t.Parallel()
	repos := map[string]RepositoryArgs{"team/api": {EncryptionType: ptr(EncryptionTypeKMS)}}
	managed := "arn:aws:kms:eu-west-1:123456789012:key/aws-ecr-managed"

	// Added to an existing registry: the key is created in this update, the
	// preview already refuses.
	r := run(t, keyArgs(KmsKeyArgs{Create: ptr(true)}, repos), existingKey("team/api", managed), keyCreatedNow())
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `repositories["team/api"].encryptionType: ECR cannot change the KMS key of an existing repository: "team/api" is encrypted with `+managed+`, and the key encryption.kms creates does not exist yet`)
	assert.Contains(t, r.err.Error(), `kmsKeyArn: "`+managed+`"`)
	assert.Equal(t, []string{"encryptionConfigurations"}, r.one(t, repositoryTyp, "main/team/api").IgnoreChanges, "never replaced")
	assert.Empty(t, r.ofType(lifecycleType), "children wait for the check")

	// The key exists, the repository is encrypted with another one.
	r = run(t, keyArgs(KmsKeyArgs{Create: ptr(true)}, repos), existingKey("team/api", managed))
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `not with the key encryption.kms creates (`+createdKeyArn+`)`)

	// An AES256 repository is refused as before.
	r = run(t, keyArgs(KmsKeyArgs{Create: ptr(true)}, repos), existingEncryption("team/api", "AES256"))
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `"team/api" is encrypted with AES256, the arguments ask for KMS with the key encryption.kms creates`)

	// Already encrypted with the created key, or a repository created now: fine.
	run(t, keyArgs(KmsKeyArgs{Create: ptr(true)}, repos), existingKey("team/api", createdKeyArn)).ok(t)
	run(t, keyArgs(KmsKeyArgs{Create: ptr(true)}, repos), keyCreatedNow()).ok(t)
	// With allowReplace the repository may be replaced onto the new key.
	repos["team/api"] = RepositoryArgs{EncryptionType: ptr(EncryptionTypeKMS), AllowReplace: ptr(true)}
	run(t, keyArgs(KmsKeyArgs{Create: ptr(true)}, repos), existingKey("team/api", managed), keyCreatedNow()).ok(t)
}
