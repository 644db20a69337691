package policy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// safetyCase is a configuration that must be refused: the problem at path
// contains every part. Names start with the case number (01–40, e01–e14) or
// the defect (D1–D16) of the semantic review of the generated policies that
// issue #8 ("Safety") tracks.
type safetyCase struct {
	name   string
	access Access
	path   string
	parts  []string
}

func runSafetyCases(t *testing.T, cases []safetyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ps := tc.access.Validate(validate.Under(repo))
			assertProblem(t, ps, tc.path, tc.parts...)
			_, err := RepositoryPolicy(tc.access)
			require.Error(t, err, "RepositoryPolicy must refuse what Validate refuses")
			assert.Contains(t, err.Error(), strings.TrimPrefix(tc.path, repo+"."))
		})
	}
}

func custom(stmts ...string) Access { return Access{PolicyStatements: stmts} }

// D2: world-wide grants.
func TestSafetyWorldWideGrants(t *testing.T) {
	t.Parallel()
	ps0 := repo + ".policyStatements[0]"
	st0 := repo + ".policy.Statement[0]"
	const unlimited = `without a Condition that limits the caller`
	runSafetyCases(t, []safetyCase{
		{"23 any-account flag does not license a custom * statement",
			Access{AllowAnyAwsAccountPull: true, PolicyStatements: []string{`{"Effect":"Allow","Principal":"*","Action":"ecr:ListImages"}`}},
			ps0, []string{unlimited, "allowAnyAwsAccountPull does not lift this"}},
		{"29 Allow with NotPrincipal",
			custom(`{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"ecr:*"}`),
			ps0, []string{"NotPrincipal with Allow grants every principal except those listed; use Principal"}},
		{"30 * with a condition that does not limit the caller",
			custom(`{"Effect":"Allow","Principal":"*","Action":"ecr:*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`),
			ps0, []string{unlimited, "aws:PrincipalOrgID", "aws:SecureTransport"}},
		{"e01 any-account flag and a custom * ecr:* statement",
			Access{AllowAnyAwsAccountPull: true, PolicyStatements: []string{`{"Effect":"Allow","Principal":"*","Action":"ecr:*"}`}},
			ps0, []string{unlimited}},
		{"e02 any-account flag and a raw policy granting ecr:* to AWS *",
			Access{AllowAnyAwsAccountPull: true, Policy: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:*"}]}`},
			st0, []string{unlimited}},
		{"e02 raw policy: a pull wildcard is not PullActions",
			Access{AllowAnyAwsAccountPull: true, Policy: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:BatchGet*"]}]}`},
			st0, []string{unlimited}},
		{"e02 raw policy: NotAction is not PullActions",
			Access{AllowAnyAwsAccountPull: true, Policy: `{"Statement":[{"Effect":"Allow","Principal":"*","NotAction":"ecr:SetRepositoryPolicy"}]}`},
			st0, []string{unlimited}},
		{"raw policy * pull without the flag",
			Access{Policy: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}`},
			st0, []string{unlimited, "only a statement whose Action is exactly some of ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer may do without one, and only with allowAnyAwsAccountPull set"}},
		{"e08 Service * is everyone",
			custom(`{"Effect":"Allow","Principal":{"Service":"*"},"Action":"ecr:BatchGetImage"}`),
			ps0, []string{unlimited}},
		{"e10 Federated principal",
			custom(`{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"ecr:BatchGetImage"}`),
			ps0, []string{"Principal.Federated is not accepted", "AWS and Service principals only"}},
		{"e11 CanonicalUser principal",
			custom(`{"Effect":"Allow","Principal":{"CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"ecr:BatchGetImage"}`),
			ps0, []string{"Principal.CanonicalUser is not accepted"}},
		{"Federated * is refused as a type",
			custom(`{"Effect":"Allow","Principal":{"Federated":"*"},"Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`),
			ps0, []string{"Principal.Federated is not accepted"}},
		{"negated operator does not limit",
			custom(`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`),
			ps0, []string{unlimited}},
		{"IfExists operator does not limit",
			custom(`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`),
			ps0, []string{unlimited}},
		{"ForAllValues does not limit (true for an absent key)",
			custom(`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"ForAllValues:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/*"}}}`),
			ps0, []string{unlimited}},
		{"Null does not limit",
			custom(`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"Null":{"aws:PrincipalOrgID":"false"}}}`),
			ps0, []string{unlimited}},
		{"a wildcard value does not limit",
			custom(`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringLike":{"aws:PrincipalAccount":["111111111111","*"]}}}`),
			ps0, []string{unlimited}},
	})
}

// D2 (d): each limiting key, in any case, under each limiting operator, lets
// a "*" Allow through.
func TestSafetyLimitingConditions(t *testing.T) {
	t.Parallel()
	for _, key := range callerLimitingKeys {
		for _, op := range append([]string{"ForAnyValue:StringLike"}, limitingOperators...) {
			for _, k := range []string{key, lower(key)} {
				a := custom(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage","Condition":{"` + op + `":{"` + k + `":["x-1","x-2"]}}}`)
				assert.Empty(t, a.Validate(validate.Under(repo)).Errors(), "%s %s", op, k)
			}
		}
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// D7: the flag's name, Sid and warning.
func TestAnyAwsAccountPull(t *testing.T) {
	t.Parallel()
	a := Access{AllowAnyAwsAccountPull: true}
	ps := a.Validate(validate.Under(repo))
	assert.Empty(t, ps.Errors())
	assertWarning(t, ps, repo+".allowAnyAwsAccountPull",
		"any authenticated principal of any AWS account", "not anonymous", "IAM Access Analyzer reports the repository as public", "Amazon ECR Public")
	text, err := RepositoryPolicy(a)
	require.NoError(t, err)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[{"Sid":"AllowAnyAwsAccountPull","Effect":"Allow","Principal":"*",`+
		`"Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}`, text)
	assert.Contains(t, GeneratedSids, SidAllowAnyAwsAccountPull)
}

// D1, D5, D6: deny-all-else and strict deny.
func TestSafetyDenyAllElse(t *testing.T) {
	t.Parallel()
	allow0 := repo + ".allowOnlyPrincipals[0]"
	const rootOnly = "aws:PrincipalArn matches only the root user, so every role and user of that account would be denied"
	runSafetyCases(t, []safetyCase{
		{"28 root ARN in allowOnlyPrincipals",
			Access{PullAccountIDs: []string{acctA}, AllowOnlyPrincipals: []string{rootA}, RegistryID: acctA},
			allow0, []string{"is the root user of account 111111111111", rootOnly, "list the account's roles or users (or their unique IDs)"}},
		{"28 the root ARN no longer covers the granted account",
			Access{PullAccountIDs: []string{acctA}, AllowOnlyPrincipals: []string{rootA}, RegistryID: acctA},
			repo + ".pullAccountIds[0]", []string{"account 111111111111 is granted pull", "names no principal of that account", "DenyOutsideAllowOnlyPrincipals"}},
		{"28 nor a granted root ARN of that account",
			Access{PullPrincipalArns: []string{rootB}, AllowOnlyPrincipals: []string{roleA, "arn:aws:iam::222222222222:root"}, RegistryID: acctA},
			repo + ".allowOnlyPrincipals[1]", []string{rootOnly}},
		{"e04 root ARN next to a unique ID",
			Access{AllowOnlyPrincipals: []string{idR, rootB}, RegistryID: acctA},
			repo + ".allowOnlyPrincipals[1]", []string{"is the root user of account 222222222222", rootOnly}},
		{"D1 root ARN in another partition",
			Access{Partition: "aws-cn", AllowOnlyPrincipals: []string{"arn:aws-cn:iam::111111111111:root"}, RegistryID: acctA},
			allow0, []string{rootOnly}},
		{"D5 allowOnlyPrincipals without the registry account",
			Access{AllowOnlyPrincipals: []string{roleA}},
			repo + ".registryId", []string{"Access.RegistryID", "required with " + repo + ".allowOnlyPrincipals", "role/aws-service-role/*"}},
		{"D5 registry account that is not an account ID",
			Access{PullAccountIDs: []string{acctA}, RegistryID: "12345"},
			repo + ".registryId", []string{"12-digit", `"12345"`}},
		{"D6 strictDeny with unique IDs only",
			Access{AllowOnlyPrincipals: []string{idR, idU}, StrictDeny: true, RegistryID: acctA},
			repo + ".strictDeny", []string{"at least one role or user ARN in " + repo + ".allowOnlyPrincipals", "new unique ID", "only the account's root user"}},
	})
}

// D5: the deny covers the newer image actions and exempts service-linked
// roles; D6: only the strict statement exempts the registry root.
func TestDenyExemptions(t *testing.T) {
	t.Parallel()
	for _, act := range []string{"ecr:UpdateImageStorageClass", "ecr:DescribeImageSigningStatus", "ecr:GetImageCopyStatus"} {
		assert.Contains(t, DenyActions, act)
	}
	a := Access{AllowOnlyPrincipals: []string{roleB}, PullPrincipalArns: []string{roleB}, StrictDeny: true, RegistryID: acctA}
	text, err := RepositoryPolicy(a)
	require.NoError(t, err)
	d := parseDoc(t, text)
	arns := func(sid string) any {
		return d.bySid(t, sid)["Condition"].(map[string]any)["ArnNotLike"].(map[string]any)["aws:PrincipalArn"]
	}
	assert.Equal(t, list(slrA, roleB), arns(SidDenyOutsideAllowOnly))
	assert.Equal(t, list(slrA, rootA, roleB), arns(SidDenyChangesOutsideAllowOnly))
}

// Action list, D9, D10, D11.
func TestSafetyStatements(t *testing.T) {
	t.Parallel()
	ps0 := repo + ".policyStatements[0]"
	st0 := repo + ".policy.Statement[0]"
	const deputy = "without an aws:SourceAccount or aws:SourceArn condition"
	runSafetyCases(t, []safetyCase{
		{"e07 unknown action, with a suggestion",
			custom(`{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":["ecr:BatchGetImage","ecr:BatchImportLayerAvailability"]}`),
			ps0, []string{`Action "ecr:BatchImportLayerAvailability" is not an ECR action`, ActionsSource, "did you mean ecr:BatchCheckLayerAvailability?"}},
		{"e07 unknown action in NotAction of a raw policy",
			Access{Policy: `{"Statement":[{"Effect":"Deny","Principal":"*","NotAction":"ecr:PullImage"}]}`},
			st0, []string{`NotAction "ecr:PullImage" is not an ECR action`}},
		{"a wildcard that matches no action",
			custom(`{"Effect":"Deny","Principal":"*","Action":"ecr:Pull*"}`),
			ps0, []string{`Action pattern "ecr:Pull*" matches no ECR action`}},
		{"36 service principal without a source condition",
			custom(`{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}`),
			ps0, []string{"allows the service principal codebuild.amazonaws.com " + deputy, "confused deputy", "aws:SourceAccount"}},
		{"D9 a source condition that does not limit",
			custom(`{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"ecr:BatchGetImage","Condition":{"StringNotEquals":{"aws:SourceAccount":"111111111111"}}}`),
			ps0, []string{deputy}},
		{"D9 an organization condition is not a source condition",
			custom(`{"Effect":"Allow","Principal":{"Service":["codebuild.amazonaws.com","lambda.amazonaws.com"]},"Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`),
			ps0, []string{"codebuild.amazonaws.com, lambda.amazonaws.com " + deputy}},
		{"D9 in a raw policy",
			Access{Policy: `{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"ecr:BatchGetImage"}]}`},
			st0, []string{deputy}},
		{"D10 Resource naming the repository",
			custom(`{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:eu-west-1:111111111111:repository/team/api"}`),
			ps0, []string{`Resource must be "*" or left out`, "applies only to its own repository", "aws/aws-cdk#24314"}},
		{"D10 Resource * among others",
			custom(`{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ecr:BatchGetImage","Resource":["*","arn:aws:ecr:eu-west-1:111111111111:repository/x"]}`),
			ps0, []string{`Resource must be "*" or left out`}},
		{"D10 NotResource",
			custom(`{"Effect":"Deny","Principal":"*","Action":"ecr:PutImage","NotResource":"*"}`),
			ps0, []string{`must not have "NotResource"`}},
		{"D11 GetAuthorizationToken",
			custom(`{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ecr:GetAuthorizationToken"}`),
			ps0, []string{"ecr:GetAuthorizationToken: it has no effect in a repository policy", `grant it on "*" in the principal's IAM identity policy`}},
	})
}

// D10: AWS's examples carry "Resource": "*"; it is accepted and dropped.
func TestResourceStarIsDropped(t *testing.T) {
	t.Parallel()
	for name, a := range map[string]Access{
		"custom": custom(`{"Sid":"AllowPull","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ecr:BatchGetImage","Resource":"*"}`),
		"list":   custom(`{"Sid":"AllowPull","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ecr:BatchGetImage","Resource":["*"]}`),
		"policy": {Policy: `{"Version":"2012-10-17","Statement":[{"Sid":"AllowPull","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ecr:BatchGetImage","Resource":"*"}]}`},
	} {
		if name != "policy" {
			// A custom statement cannot reuse a generated Sid.
			a.PolicyStatements[0] = strings.Replace(a.PolicyStatements[0], `"AllowPull"`, `"Mine"`, 1)
		}
		assert.Empty(t, a.Validate(validate.Under(repo)).Errors(), name)
		text, err := RepositoryPolicy(a)
		require.NoError(t, err, name)
		assert.NotContains(t, text, "Resource", name)
	}
}

// The action list: its actions check, wildcards and registry-level actions.
func TestActionChecks(t *testing.T) {
	t.Parallel()
	ok := []string{"*", "ecr:*", "ecr:Batch*", "ecr:Describe?mages", "ECR:batchgetimage", "ecr:ReplicateImage", "ecr:GetImageCopyStatus"}
	for _, act := range ok {
		assert.Empty(t, checkActions("p", "Action", act).Errors(), act)
	}
	ps := checkActions("p", "Action", "ecr:PutRegistryPolicy")
	assert.Empty(t, ps.Errors())
	assertWarning(t, ps, "p", `"ecr:PutRegistryPolicy" has no effect in a repository policy`, "registry or the account")

	assert.Equal(t, []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchDeleteImage", "ecr:BatchGetImage",
		"ecr:BatchGetRepositoryScanningConfiguration", "ecr:BatchImportUpstreamImage"}, matchingActions("ecr:batch*"))
	assert.True(t, globMatch("a*b?d", "axxbcd"))
	assert.False(t, globMatch("a*b?d", "axxbd"))
	assert.True(t, globMatch("*", ""))
}

func TestKnownActions(t *testing.T) {
	t.Parallel()
	assert.IsIncreasing(t, KnownActions, "sorted, without duplicates")
	for i := 1; i < len(ecrActions); i++ {
		assert.Less(t, ecrActions[i-1].name, ecrActions[i].name, "ecrActions sorted")
	}
	for name, l := range map[string][]string{
		"PullActions": PullActions, "PushActions": PushActions, "LambdaPullActions": LambdaPullActions,
		"DenyActions": DenyActions, "StrictDenyActions": StrictDenyActions,
	} {
		assert.Subset(t, KnownActions, l, name)
	}
	for _, act := range []string{"ecr:UpdateImageStorageClass", "ecr:DescribeImageSigningStatus", "ecr:BatchImportUpstreamImage"} {
		assert.Contains(t, KnownActions, act)
	}
}

// D5: every action on a repository is denied outside AllowOnlyPrincipals, is
// a strict-deny change, or is left out on purpose (listed with the reason).
// A new action in ecrActions fails here until someone decides.
func TestDenyActionsCoverImageActions(t *testing.T) {
	t.Parallel()
	leftOut := map[string]string{
		"ecr:BatchGetRepositoryScanningConfiguration": "reads the repository's settings",
		"ecr:CreateRepository":                        "the repository exists before its policy",
		"ecr:DescribeRepositories":                    "reads the repository's settings",
		"ecr:GetLifecyclePolicy":                      "reads the repository's settings",
		"ecr:GetRepositoryPolicy":                     "reads the repository's settings",
		"ecr:ListTagsForResource":                     "reads the repository's settings",
		"ecr:ReplicateImage":                          "authorized by the destination registry's policy for whole source accounts",
	}
	for _, a := range ecrActions {
		act := "ecr:" + a.name
		if !a.repository {
			assert.NotContains(t, DenyActions, act, "registry-level actions do nothing in a repository policy")
			continue
		}
		in := contains(DenyActions, act) || contains(StrictDenyActions, act) || leftOut[act] != ""
		assert.True(t, in, "%s acts on a repository: add it to DenyActions or StrictDenyActions, or say why it is left out", act)
		assert.False(t, contains(DenyActions, act) && contains(StrictDenyActions, act), "%s in both lists", act)
	}
}
