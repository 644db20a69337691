package provider

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// statement is one statement of a generated policy, decoded for assertions.
type statement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Resource  any
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

func TestNoAccessSettingsNoRepositoryPolicy(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{PullAccountIds: strs()}})}).ok(t)
	assert.Empty(t, r.ofType(policyType))
	assert.Empty(t, r.info("api").RepositoryPolicy)
}

func TestRepositoryPolicyFromDefaultsAndOverrides(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		Defaults: &RepositoryArgs{Access: &AccessArgs{PullAccountIds: strs("111111111111", "222222222222")}},
		Repositories: map[string]RepositoryArgs{
			"inherits":  {},
			"overrides": {Access: &AccessArgs{PullAccountIds: strs("333333333333"), PushAccountIds: strs("444444444444")}},
			"nothing":   {Access: &AccessArgs{PullAccountIds: strs()}},
		},
	}).ok(t)
	assert.ElementsMatch(t, []string{"main/inherits", "main/overrides"}, r.ofType(policyType), "an empty list replaces the default and asks for no policy")

	inherits := r.one(t, policyType, "main/inherits")
	assert.Equal(t, "inherits", inherits.input("repository").AsString())
	pull := statements(t, inherits.input("policy").AsString())["AllowPull"]
	assert.Equal(t, map[string]any{"AWS": []any{"arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"}}, pull.Principal)
	assert.Equal(t, []any{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, pull.Action)

	overrides := r.one(t, policyType, "main/overrides").input("policy").AsString()
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::333333333333:root"}, statements(t, overrides)["AllowPull"].Principal, "the repository's list replaces the default's")
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::444444444444:root"}, statements(t, overrides)["AllowPush"].Principal)
	assert.Equal(t, overrides, r.info("overrides").RepositoryPolicy, "the output is the policy applied")
}

// A role created in the same program reaches the policy when it resolves;
// a secret principal keeps the policy secret.
func TestPrincipalArnOutputsFlowIntoThePolicy(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{
		PullPrincipalArns: pulumi.StringArray{pulumi.ToSecret(later("arn:aws:iam::123456789012:role/ci")).(pulumi.StringOutput)},
	}})}).ok(t)
	doc := r.one(t, policyType, "main/api").input("policy")
	require.True(t, doc.Secret(), "a secret principal keeps the policy secret")
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::123456789012:role/ci"}, statements(t, doc.WithSecret(false).AsString())["AllowPull"].Principal)
	assert.False(t, r.one(t, repositoryTyp, "main/api").input("name").Secret(), "the repository name is never made secret")
}

func TestOutputPrincipalsAreCheckedWhenTheyResolve(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{
		PullPrincipalArns: pulumi.StringArray{later("not-an-arn")}, AllowOnlyPrincipals: strs("arn:aws:iam::111111111111:role/x"),
	}})})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `repositories["api"].access.pullPrincipalArns[0]: must be an IAM principal ARN`)
	assert.Empty(t, r.ofType(repositoryTyp))
}

func TestActionListsAndIdentityPolicies(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: map[string]RepositoryArgs{"aa": {}, "bb": {}}}).ok(t)
	assert.Equal(t, []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, r.outputs["pullActions"])
	assert.Len(t, r.outputs["pushActions"], 7)

	pull := statements(t, r.outputs["pullPolicyJson"].(string))
	assert.Equal(t, "*", pull["AuthorizationToken"].Resource)
	assert.Equal(t, []any{"arn:aws:ecr:eu-west-1:123456789012:repository/aa", "arn:aws:ecr:eu-west-1:123456789012:repository/bb"}, pull["RepositoryAccess"].Resource)
	assert.Contains(t, r.outputs["pushPolicyJson"], "ecr:PutImage")
	assert.NotContains(t, r.outputs["pullPolicyJson"], "ecr:PutImage")
}

func TestAnyAwsAccountPullAndItsDeprecatedName(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"new": {Access: &AccessArgs{AllowAnyAwsAccountPull: ptr(true)}},
		"old": {Access: &AccessArgs{AllowPublicPull: ptr(true)}},
	}}).ok(t)
	for _, name := range []string{"main/new", "main/old"} {
		s := statements(t, r.one(t, policyType, name).input("policy").AsString())["AllowAnyAwsAccountPull"]
		assert.Equal(t, "*", s.Principal, name)
	}
}

// Deny-all-else exempts the registry account's service-linked roles, so
// enhanced scanning and replication keep working (review D5).
func TestDenyAllElseExemptsServiceLinkedRoles(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{
		AllowOnlyPrincipals: strs("arn:aws:iam::123456789012:role/deployer"), StrictDeny: ptr(true),
	}})}).ok(t)
	doc := r.one(t, policyType, "main/api").input("policy").AsString()
	assert.Contains(t, doc, "arn:aws:iam::123456789012:role/aws-service-role/*")
	assert.Contains(t, doc, "arn:aws:iam::123456789012:root", "strictDeny leaves the registry account's root able to change the policy")
}

func TestTypedPolicyStatements(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{PolicyStatements: []PolicyStatementArgs{{
		Sid:        ptr("ScannerRead"),
		Principals: &PolicyPrincipalsArgs{Aws: strs("arn:aws:iam::777788889999:role/scanner")},
		Actions:    []string{"ecr:ListImages", "ecr:DescribeImages"},
		Conditions: []PolicyConditionArgs{{Test: "StringEquals", Variable: "aws:PrincipalOrgID", Values: strs("o-a1b2c3d4e5")}},
	}}}})}).ok(t)
	s := statements(t, r.one(t, policyType, "main/api").input("policy").AsString())["ScannerRead"]
	assert.Equal(t, "Allow", s.Effect, "the default effect")
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::777788889999:role/scanner"}, s.Principal)
	assert.Equal(t, []any{"ecr:DescribeImages", "ecr:ListImages"}, s.Action)
	assert.Equal(t, map[string]map[string]any{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, s.Condition)
}

// A statement naming a role created in the same program: unknown in the
// preview (which must not fail), checked and applied when it resolves.
func TestPolicyStatementsWithOutputs(t *testing.T) {
	t.Parallel()
	statement := func(role pulumi.StringOutput) RegistryArgs {
		return RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{PolicyStatements: []PolicyStatementArgs{{
			Principals: &PolicyPrincipalsArgs{Aws: pulumi.StringArray{role}},
			Actions:    []string{"ecr:BatchGetImage"},
		}}}})}
	}
	preview := run(t, statement(unknown()), dryRun()).ok(t)
	preview.one(t, policyType, "main/api")

	r := run(t, statement(later("arn:aws:iam::123456789012:role/ci"))).ok(t)
	doc := r.one(t, policyType, "main/api").input("policy").AsString()
	assert.Contains(t, doc, `"AWS":"arn:aws:iam::123456789012:role/ci"`)

	bad := run(t, statement(later("arn:aws:iam::123456789012:role/*")))
	require.Error(t, bad.err)
	assert.Contains(t, bad.err.Error(), `repositories["api"].access.policyStatements[0]`)
	assert.Empty(t, bad.ofType(repositoryTyp), "nothing is created before the statement passes")

	world := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{PolicyStatements: []PolicyStatementArgs{{
		Principals: &PolicyPrincipalsArgs{Aws: strs("*")}, Actions: []string{"ecr:BatchGetImage"},
	}}}})})
	world.rejected(t, `repositories["api"].access.policyStatements[0]`)
}
