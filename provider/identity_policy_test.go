package provider

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIdentityPolicyFunction(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:ecr:eu-west-1:123456789012:repository/team/api"
	out, err := identityPolicies(IdentityPolicyArgs{RepositoryArns: []string{arn}, Access: "pull"})
	require.NoError(t, err)
	require.Len(t, out.Documents, 1)
	pull := statements(t, out.Documents[0])
	assert.Equal(t, arn, pull["RepositoryAccess"].Resource, "scoped to the one repository (CDK's grantPull)")
	assert.Equal(t, "*", pull["AuthorizationToken"].Resource)
	assert.NotContains(t, out.Actions, "ecr:PutImage")

	push, err := identityPolicies(IdentityPolicyArgs{RepositoryArns: []string{arn}, Access: "push"})
	require.NoError(t, err)
	assert.Contains(t, push.Actions, "ecr:PutImage")

	_, err = identityPolicies(IdentityPolicyArgs{RepositoryArns: []string{"arn:aws:s3:::bucket"}, Access: "read"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `access: must be pull or push, got "read"`)
	assert.Contains(t, err.Error(), `repositoryArns[0]: must be a repository ARN`)
}

// A registry too large for one managed policy gets several documents that
// together grant exactly its repositories; the single-document outputs are
// empty rather than partial.
func TestLargeRegistriesGetSeveralIdentityPolicies(t *testing.T) {
	t.Parallel()
	many := map[string]RepositoryArgs{}
	for i := range 150 {
		many[fmt.Sprintf("team-%03d/service-with-a-long-name", i)] = RepositoryArgs{Lifecycle: &LifecycleArgs{Disabled: ptr(true)}}
	}
	r := run(t, RegistryArgs{Repositories: many}).ok(t)
	docs := r.outputs["pullPolicyDocuments"].([]string)
	require.Greater(t, len(docs), 1)
	granted := map[string]bool{}
	for _, d := range docs {
		assert.LessOrEqual(t, len(d), 6144)
		for _, arn := range statements(t, d)["RepositoryAccess"].Resource.([]any) {
			granted[arn.(string)] = true
		}
	}
	assert.Len(t, granted, 150)
	assert.Empty(t, r.outputs["pullPolicyJson"], "never a partial grant")

	small := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{})}).ok(t)
	assert.Equal(t, small.outputs["pullPolicyDocuments"].([]string)[0], small.outputs["pullPolicyJson"])
}
