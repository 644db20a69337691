package provider

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEncryptionChangesAreIgnoredForDiffingUnlessReplacementIsAllowed(t *testing.T) {
	m, _, err := runRegistry(t, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"guarded":     {},
		"replaceable": {AllowReplace: ptr(true)},
	}})
	require.NoError(t, err)
	repos := m.ofType(repositoryType)
	assert.Equal(t, []string{"encryptionConfigurations"}, repos["main-guarded"].IgnoreChanges)
	assert.Empty(t, repos["main-replaceable"].IgnoreChanges)
}

// An existing repository created with other encryption: the preview fails with
// the reason and the way out, and no policy is registered for it.
func TestEncryptionMismatchFailsWithTheReason(t *testing.T) {
	m := &mocks{existingEncryption: map[string]string{"api": "AES256"}}
	_, _, err := runRegistryOn(t, m, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"api": {EncryptionType: ptr(EncryptionTypeKMS), PullAccountIds: strs("111111111111")},
	}}, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `repositories["api"].encryptionType: ECR cannot change the encryption of an existing repository: "api" is encrypted with AES256, the arguments ask for KMS`)
	assert.Contains(t, err.Error(), "allowReplace: true")
	assert.Empty(t, m.ofType(repositoryPolicyType), "children wait for the check")
	assert.Empty(t, m.ofType(lifecyclePolicyType))

	allowed := &mocks{existingEncryption: map[string]string{"api": "AES256"}}
	_, _, err = runRegistryOn(t, allowed, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"api": {EncryptionType: ptr(EncryptionTypeKMS), AllowReplace: ptr(true)},
	}}, nil)
	require.NoError(t, err, "with allowReplace the replacement is the user's choice")
}
