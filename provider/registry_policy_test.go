package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegistryPolicy(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{
		PullThroughCache: &PullThroughCacheArgs{Rules: map[string]PullThroughCacheRuleArgs{"ecr-public": {Upstream: "ecr-public"}}},
		RegistryPolicy: &RegistryPolicyArgs{
			AllowReplicationFrom:     strs("111111111111"),
			AllowPullThroughCacheFor: pulumi.StringArray{later("arn:aws:iam::123456789012:role/ci")},
			Statements: []PolicyStatementArgs{{
				Sid: ptr("OrgPull"), Principals: &PolicyPrincipalsArgs{Aws: strs("*")}, Actions: []string{"ecr:BatchGetImage"}, Resources: []string{"*"},
				Conditions: []PolicyConditionArgs{{Test: "StringEquals", Variable: "aws:PrincipalOrgID", Values: strs("o-abcdefghij")}},
			}},
		},
	}).ok(t)
	p := r.one(t, registryPolType, "main/registry-policy")
	doc := p.input("policy").AsString()
	byStatement := statements(t, doc)
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::111111111111:root"}, byStatement["AllowReplicationFrom"].Principal)
	assert.Equal(t, "arn:aws:ecr:eu-west-1:123456789012:repository/*", byStatement["AllowReplicationFrom"].Resource)
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::123456789012:role/ci"}, byStatement["AllowPullThroughCache"].Principal, "an output principal reaches the policy")
	assert.Equal(t, "arn:aws:ecr:eu-west-1:123456789012:repository/ecr-public/*", byStatement["AllowPullThroughCache"].Resource)
	assert.Equal(t, "ecr:BatchGetImage", byStatement["OrgPull"].Action)
	assert.Equal(t, doc, r.outputs["main.registryPolicyJson"])
	assert.True(t, dependsOn(p, parameterType, "main/owner/registry-policy"))
	assert.Equal(t, "/ecrrepos/owner/eu-west-1/registry-policy", r.one(t, parameterType, "main/owner/registry-policy").input("name").AsString())
	assert.Contains(t, r.request(t, registryPolType, "main/registry-policy").GetParent(), "ecrrepos:index:Registry::main")
}

func TestRegistryPolicyRetainOnDelete(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{RegistryPolicy: &RegistryPolicyArgs{AllowReplicationFrom: strs("111111111111"), RetainOnDelete: ptr(true)}}).ok(t)
	assert.True(t, r.one(t, registryPolType, "main/registry-policy").RetainOnDelete)
	assert.True(t, r.one(t, parameterType, "main/owner/registry-policy").RetainOnDelete)
}

func TestRegistryPolicyScope(t *testing.T) {
	t.Parallel()
	v1 := RegistryPolicyScope("V1")
	runWide(t, RegistryArgs{RegistryPolicy: &RegistryPolicyArgs{Scope: &v1, Statements: []PolicyStatementArgs{
		{Principals: &PolicyPrincipalsArgs{Aws: strs("111111111111")}, Actions: []string{"ecr:PutImage"}, Resources: []string{"*"}},
	}}}).rejected(t, `registryPolicy.statements[0]: Action "ecr:PutImage" is refused under the V1 registry policy scope`)
}

// A principal that resolves invalid fails the deployment before the policy
// or its lock are created.
func TestRegistryPolicyOutputPrincipalChecked(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{RegistryPolicy: &RegistryPolicyArgs{AllowPullThroughCacheFor: pulumi.StringArray{later("arn:aws:iam::123456789012:group/devs")}}})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), "registryPolicy.allowPullThroughCacheFor[0]")
	assert.Empty(t, r.ofType(registryPolType))
	assert.Empty(t, r.ofType(parameterType))
}

func TestRegistryPolicyWholeDocument(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{RegistryPolicy: &RegistryPolicyArgs{Policy: later(
		`{"Statement":[{"Action":["ecr:ReplicateImage","ecr:CreateRepository"],"Effect":"Allow","Principal":{"AWS":"111111111111"},"Resource":"*"}],"Version":"2012-10-17"}`)}}).ok(t)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"*"}]}`,
		r.one(t, registryPolType, "main/registry-policy").input("policy").AsString(), "canonical JSON, an output resolved")
}
