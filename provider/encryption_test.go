package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	keyArn   = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	otherKey = "arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"
)

func TestKmsKeyFromDefaultsOrRepository(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		Defaults: &RepositoryArgs{EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.String(keyArn)},
		Repositories: map[string]RepositoryArgs{
			"default-key": {},
			"own-key":     {KmsKeyArn: pulumi.String(otherKey)},
			"plain":       {EncryptionType: ptr(EncryptionTypeAES256)},
		},
	}).ok(t)
	assert.Equal(t, keyArn, r.one(t, repositoryTyp, "main/default-key").input("encryptionConfigurations", "0", "kmsKey").AsString())
	assert.Equal(t, otherKey, r.one(t, repositoryTyp, "main/own-key").input("encryptionConfigurations", "0", "kmsKey").AsString())
	plain := r.one(t, repositoryTyp, "main/plain")
	assert.Equal(t, "AES256", plain.input("encryptionConfigurations", "0", "encryptionType").AsString())
	assert.False(t, has(plain.input("encryptionConfigurations", "0"), "kmsKey"), "a repository that chose AES256 drops the default key")
}

func TestSecretKmsKeyStaysSecret(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{
		EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.ToSecret(pulumi.String(keyArn)).(pulumi.StringOutput),
	})}).ok(t)
	kms := r.one(t, repositoryTyp, "main/api").input("encryptionConfigurations", "0", "kmsKey")
	require.True(t, kms.Secret(), "%v", kms)
	assert.Equal(t, keyArn, kms.WithSecret(false).AsString())
}

func TestKmsKeyOutputIsCheckedWhenItResolves(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{
		EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.ToSecret(later("alias/ecr")).(pulumi.StringOutput),
	})})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `repositories["api"].kmsKeyArn: must be a KMS key ARN`)
	assert.Empty(t, r.ofType(repositoryTyp))
}

func TestEncryptionChangesAreIgnoredForDiffingUnlessReplacementIsAllowed(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"guarded":     {},
		"replaceable": {AllowReplace: ptr(true)},
	}}).ok(t)
	assert.Equal(t, []string{"encryptionConfigurations"}, r.one(t, repositoryTyp, "main/guarded").IgnoreChanges)
	assert.Empty(t, r.one(t, repositoryTyp, "main/replaceable").IgnoreChanges)
}

// An existing repository created with other encryption: the preview fails with
// the reason and the way out, and no policy is registered for it.
func TestEncryptionMismatchFailsWithTheReason(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{
		EncryptionType: ptr(EncryptionTypeKMS), Access: &AccessArgs{PullAccountIds: strs("111111111111")},
	})}, existingEncryption("api", "AES256"))
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `repositories["api"].encryptionType: ECR cannot change the encryption of an existing repository: "api" is encrypted with AES256, the arguments ask for KMS`)
	assert.Contains(t, r.err.Error(), "allowReplace: true")
	assert.Empty(t, r.ofType(policyType), "children wait for the check")
	assert.Empty(t, r.ofType(lifecycleType))

	run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{EncryptionType: ptr(EncryptionTypeKMS), AllowReplace: ptr(true)})},
		existingEncryption("api", "AES256")).ok(t)
}
