package provider

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const repositoryPolicyType = "aws:ecr/repositoryPolicy:RepositoryPolicy"

type statement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Condition map[string]map[string]any
}

func statements(t *testing.T, doc string) map[string]statement {
	t.Helper()
	var parsed struct{ Statement []statement }
	require.NoError(t, json.Unmarshal([]byte(doc), &parsed), doc)
	out := map[string]statement{}
	for _, s := range parsed.Statement {
		out[s.Sid] = s
	}
	return out
}

func strs(ss ...string) pulumi.StringArray { return pulumi.ToStringArray(ss) }

func TestNoAccessSettingsNoRepositoryPolicy(t *testing.T) {
	m, _, err := runRegistryWith(t, RegistryArgs{Repositories: map[string]RepositoryArgs{"api": {}}}, func(reg *Registry, out *captured) {
		capture(out, "policies", reg.RepositoryPolicies)
	})
	require.NoError(t, err)
	assert.Empty(t, m.ofType(repositoryPolicyType))
	assert.Empty(t, m.captured["policies"])
}

func TestRepositoryPolicyFromAccountsDefaultsAndOverrides(t *testing.T) {
	m, out, err := runRegistryWith(t, RegistryArgs{
		Defaults: &RepositoryArgs{PullAccountIds: strs("111111111111", "222222222222")},
		Repositories: map[string]RepositoryArgs{
			"inherits":  {},
			"overrides": {PullAccountIds: strs("333333333333"), PushAccountIds: strs("444444444444")},
			"nothing":   {PullAccountIds: strs()},
		},
	}, func(reg *Registry, out *captured) { capture(out, "policies", reg.RepositoryPolicies) })
	require.NoError(t, err)

	registered := m.ofType(repositoryPolicyType)
	require.Len(t, registered, 2, "an empty list replaces the default and asks for no policy")
	inherits := statements(t, str(registered["main-inherits"].Inputs, "policy"))
	assert.Equal(t, map[string]any{"AWS": []any{"arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"}}, inherits["AllowPull"].Principal)
	assert.Equal(t, []any{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, inherits["AllowPull"].Action)

	overrides := statements(t, str(registered["main-overrides"].Inputs, "policy"))
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::333333333333:root"}, overrides["AllowPull"].Principal, "the repository's list replaces the default's")
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::444444444444:root"}, overrides["AllowPush"].Principal)
	assert.Contains(t, overrides["AllowPush"].Action, "ecr:PutImage")
	assert.Equal(t, "inherits", str(registered["main-inherits"].Inputs, "repository"))

	policies := out["policies"].(map[string]string)
	assert.Equal(t, str(registered["main-overrides"].Inputs, "policy"), policies["overrides"], "the output is the policy applied")
	assert.NotContains(t, policies, "nothing")
}

func TestPrincipalArnOutputsFlowIntoThePolicy(t *testing.T) {
	role := pulumi.String("arn:aws:iam::123456789012:role/ci").ToStringOutput().ApplyT(func(s string) string { return s }).(pulumi.StringOutput)
	m, _, err := runRegistryWith(t, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"api": {PullPrincipalArns: pulumi.StringArray{pulumi.ToSecret(role).(pulumi.StringOutput)}},
	}}, nil)
	require.NoError(t, err)
	registered := m.ofType(repositoryPolicyType)["main-api"].Inputs
	require.True(t, registered["policy"].IsSecret(), "a secret principal keeps the policy secret")
	doc := registered["policy"].SecretValue().Element.StringValue()
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::123456789012:role/ci"}, statements(t, doc)["AllowPull"].Principal)
}

func TestInvalidAccessSettings(t *testing.T) {
	cases := []struct {
		name string
		args RegistryArgs
		want []string
	}{
		{"short account id", RegistryArgs{Repositories: repos("api", RepositoryArgs{PullAccountIds: strs("1234")})},
			[]string{`repositories["api"].pullAccountIds[0]:`, `"1234"`}},
		{"default reported once at its own path", RegistryArgs{
			Defaults:     &RepositoryArgs{PushAccountIds: strs("12345678901x")},
			Repositories: map[string]RepositoryArgs{"aa": {}, "bb": {}},
		}, []string{`invalid arguments for Registry "main": defaults.pushAccountIds[0]:`}},
		{"strict deny without allow-only", RegistryArgs{Repositories: repos("api", RepositoryArgs{StrictDeny: ptr(true)})},
			[]string{`repositories["api"].strictDeny:`, "allowOnlyPrincipals"}},
		{"authorization token in a custom statement", RegistryArgs{Repositories: repos("api", RepositoryArgs{PolicyStatements: []map[string]any{
			{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111111111111:root"}, "Action": "ecr:GetAuthorizationToken"},
		}})}, []string{`repositories["api"].policyStatements[0]`, "ecr:GetAuthorizationToken"}},
		{"public principal without condition", RegistryArgs{Repositories: repos("api", RepositoryArgs{PolicyStatements: []map[string]any{
			{"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"},
		}})}, []string{`repositories["api"].policyStatements[0]`, "allowPublicPull"}},
		{"granted but outside allow-only", RegistryArgs{Repositories: repos("api", RepositoryArgs{
			PullAccountIds:      strs("111111111111"),
			AllowOnlyPrincipals: strs("arn:aws:iam::222222222222:role/admin"),
		})}, []string{`repositories["api"]`, "pullAccountIds", "allowOnlyPrincipals"}},
		{"session ARN", RegistryArgs{Repositories: repos("api", RepositoryArgs{PullPrincipalArns: strs("arn:aws:sts::111111111111:assumed-role/ci/session")})},
			[]string{`repositories["api"].pullPrincipalArns[0]`, "role ARN"}},
		{"complete policy that is not JSON", RegistryArgs{Repositories: repos("api", RepositoryArgs{Policy: pulumi.String("{not json")})},
			[]string{`repositories["api"].policy`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { requireRejected(t, tc.args, tc.want...) })
	}
}

func TestOutputPrincipalsAreCheckedWhenTheyResolve(t *testing.T) {
	bad := pulumi.String("not-an-arn").ToStringOutput().ApplyT(func(s string) string { return s }).(pulumi.StringOutput)
	_, _, err := runRegistry(t, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"api": {PullPrincipalArns: pulumi.StringArray{bad}, AllowOnlyPrincipals: strs("arn:aws:iam::111111111111:role/x")},
	}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `repositories["api"].pullPrincipalArns[0]`)
}

func TestActionListsAndIdentityPolicies(t *testing.T) {
	_, _, err := runRegistryWith(t, RegistryArgs{Repositories: map[string]RepositoryArgs{"aa": {}, "bb": {}}}, func(reg *Registry, out *captured) {
		capture(out, "pull", reg.PullActions)
		capture(out, "push", reg.PushActions)
		capture(out, "pullPolicy", reg.PullPolicyJson)
		capture(out, "pushPolicy", reg.PushPolicyJson)
	})
	require.NoError(t, err)
	c := lastCaptured
	assert.Equal(t, []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, c["pull"])
	assert.Len(t, c["push"], 7)

	var doc struct {
		Statement []struct {
			Effect   string
			Action   any
			Resource any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(c["pullPolicy"].(string)), &doc))
	var sawToken, sawRepos bool
	for _, s := range doc.Statement {
		if s.Action == "ecr:GetAuthorizationToken" {
			sawToken = s.Resource == "*"
		}
		if res, ok := s.Resource.([]any); ok {
			sawRepos = assert.ElementsMatch(t, []any{
				"arn:aws:ecr:eu-west-1:123456789012:repository/aa", "arn:aws:ecr:eu-west-1:123456789012:repository/bb",
			}, res)
		}
	}
	assert.True(t, sawToken, "GetAuthorizationToken on *: %s", c["pullPolicy"])
	assert.True(t, sawRepos, "pull on every repository: %s", c["pullPolicy"])
	assert.Contains(t, c["pushPolicy"], "ecr:PutImage")
	assert.NotContains(t, c["pullPolicy"], "ecr:PutImage")
}
