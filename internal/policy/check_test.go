package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

const repo = `repositories["team/api"]`

func TestValidateAcceptsGoodSettings(t *testing.T) {
	t.Parallel()
	good := []Access{
		fullAccess(),
		{PullAccountIDs: []string{acctA}},
		{Partition: "aws-us-gov", PullPrincipalArns: []string{"arn:aws-us-gov:iam::111111111111:role/a/b/c/Name_1+=,.@-"}},
		{Partition: "aws-cn", PushPrincipalArns: []string{"arn:aws-cn:iam::111111111111:user/alice", "arn:aws-cn:iam::111111111111:root"}},
		{Partition: "aws-iso-b", PullPrincipalArns: []string{"arn:aws-iso-b:iam::111111111111:role/x"}},
		{PullPrincipalArns: []string{"arn:aws:sts::111111111111:federated-user/bob"}},
		{PullOrganizationPaths: []string{
			"o-a1b2c3d4e5/r-ab12/",
			"o-a1b2c3d4e5/r-ab12/*",
			"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/",
			"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/*",
		}},
		{AllowOnlyPrincipals: []string{idR, idU}, RegistryID: acctA},
		{AllowOnlyPrincipals: []string{idR, roleA}, StrictDeny: true, RegistryID: acctA},
		{AllowAnyAwsAccountPull: true},
		// Review case 31: {"AWS": "*"} limited to an account.
		{PolicyStatements: []string{`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:ListImages","Condition":{"StringEquals":{"aws:PrincipalAccount":"111111111111"}}}`}},
		// Review case e03: NotAction limited to an organization; e05: key names are case-insensitive.
		{PolicyStatements: []string{`{"Effect":"Allow","Principal":"*","NotAction":["ecr:Delete*","ecr:Set*"],"Condition":{"StringEquals":{"aws:principalorgid":"o-a1b2c3d4e5"}}}`}},
		{PolicyStatements: []string{`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/r-ab12/*"}}}`}},
		{PolicyStatements: []string{`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`}},
		{PolicyStatements: []string{`{"Sid":"A","Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:root"},"NotAction":["ecr:Describe*","ecr:List*"]}`}},
		// AWS's CodeBuild example, with "Resource": "*" (D9, D10).
		{PolicyStatements: []string{`{"Sid":"CodeBuildAccess","Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*",` +
			`"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:codebuild:us-east-1:123456789012:project/project-name"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}`}},
		// Review case 22: the pull-through import action; case-insensitive action names.
		{PolicyStatements: []string{`{"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":["ecr:BatchImportUpstreamImage","ECR:batchgetimage","ecr:Get*"]}`}},
		{Policy: `{"Version":"2008-10-17","Id":"x","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:BatchGetImage"}]}`},
		// A raw policy may grant PullActions to "*" when allowAnyAwsAccountPull is set.
		{Policy: `{"Statement":{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}}`, AllowAnyAwsAccountPull: true},
		{Policy: `{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"]}}`, AllowAnyAwsAccountPull: true},
		// A granted account is covered by a principal of that account in the list.
		{PullAccountIDs: []string{acctA}, PushPrincipalArns: []string{roleA}, AllowOnlyPrincipals: []string{roleA}, RegistryID: acctA},
		// With a unique ID in the list, coverage cannot be decided and is not checked.
		{PullAccountIDs: []string{acctC}, AllowOnlyPrincipals: []string{roleA, idR}, RegistryID: acctA},
	}
	for i, a := range good {
		t.Run(fmt.Sprintf("case %d", i), func(t *testing.T) {
			t.Parallel()
			assert.Empty(t, a.Validate(validate.Under(repo)).Errors(), "%+v", a)
			_, err := RepositoryPolicy(a)
			assert.NoError(t, err)
		})
	}
}

func TestValidateRules(t *testing.T) {
	t.Parallel()
	stmt := func(s string) Access { return Access{PolicyStatements: []string{s}} }
	ps0 := repo + ".policyStatements[0]"
	cases := []struct {
		name   string
		access Access
		path   string
		parts  []string
	}{
		// account IDs
		{"pull account too short", Access{PullAccountIDs: []string{acctA, "12345"}}, repo + ".pullAccountIds[1]", []string{"12-digit", `"12345"`}},
		{"push account with dashes", Access{PushAccountIDs: []string{"1111-1111-1111"}}, repo + ".pushAccountIds[0]", []string{"12-digit"}},
		{"lambda account letters", Access{LambdaPullAccountIDs: []string{"11111111111a"}}, repo + ".lambdaPullAccountIds[0]", []string{"12-digit"}},
		// partition
		{"unknown partition", Access{Partition: "azure", PullAccountIDs: []string{acctA}}, repo + ".partition", []string{"must be aws", `"azure"`}},
		// principal ARNs
		{"not an ARN", Access{PullPrincipalArns: []string{"ci-role"}}, repo + ".pullPrincipalArns[0]", []string{"IAM principal ARN", `"ci-role"`}},
		{"short account in ARN", Access{PullPrincipalArns: []string{"arn:aws:iam::1111:role/x"}}, repo + ".pullPrincipalArns[0]", []string{"12-digit account"}},
		{"unknown partition in ARN", Access{PullPrincipalArns: []string{"arn:aws-xx:iam::111111111111:role/x"}}, repo + ".pullPrincipalArns[0]", []string{"IAM principal ARN"}},
		{"group ARN", Access{PushPrincipalArns: []string{"arn:aws:iam::111111111111:group/devs"}}, repo + ".pushPrincipalArns[0]", []string{"role (role/[path/]name)"}},
		{"role name too long", Access{PushPrincipalArns: []string{"arn:aws:iam::111111111111:role/" + strings.Repeat("r", 65)}}, repo + ".pushPrincipalArns[0]", []string{"1 to 64 characters"}},
		{"wildcard ARN", Access{PullPrincipalArns: []string{"arn:aws:iam::111111111111:role/ci-*"}}, repo + ".pullPrincipalArns[0]", []string{"without wildcards"}},
		{"assumed-role session", Access{PushPrincipalArns: []string{"arn:aws:sts::111111111111:assumed-role/deployer/session-123"}}, repo + ".pushPrincipalArns[0]",
			[]string{"assumed-role session", "use the role ARN arn:aws:iam::111111111111:role/deployer", "terraform-aws-modules/terraform-aws-ecr#26"}},
		{"other sts ARN", Access{PullPrincipalArns: []string{"arn:aws:sts::111111111111:something/x"}}, repo + ".pullPrincipalArns[0]", []string{"federated-user"}},
		{"partition mismatch", Access{Partition: "aws-cn", PullPrincipalArns: []string{roleA}}, repo + ".pullPrincipalArns[0]", []string{`partition "aws-cn"`, "across partitions"}},
		// organizations
		{"organization ID", Access{PullOrganizationIDs: []string{"o-short"}}, repo + ".pullOrganizationIds[0]", []string{"Organizations ID", `"o-short"`}},
		{"organization ID upper case", Access{PushOrganizationIDs: []string{"o-A1B2C3D4E5"}}, repo + ".pushOrganizationIds[0]", []string{"Organizations ID"}},
		{"organization path without root", Access{PullOrganizationPaths: []string{"o-a1b2c3d4e5/*"}}, repo + ".pullOrganizationPaths[0]", []string{"entity path", "pullOrganizationIds"}},
		{"organization path without trailing slash", Access{PullOrganizationPaths: []string{"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111"}}, repo + ".pullOrganizationPaths[0]", []string{"ending in"}},
		{"organization path with account", Access{PullOrganizationPaths: []string{"o-a1b2c3d4e5/r-ab12/111111111111/"}}, repo + ".pullOrganizationPaths[0]", []string{"entity path"}},
		{"organization path with wildcard OU", Access{PullOrganizationPaths: []string{"o-a1b2c3d4e5/r-ab12/ou-*/"}}, repo + ".pullOrganizationPaths[0]", []string{"entity path"}},
		// allowOnlyPrincipals
		{"unique ID wrong prefix", Access{AllowOnlyPrincipals: []string{"AGPAEXAMPLEGROUP1234"}}, repo + ".allowOnlyPrincipals[0]", []string{"unique ID", "AROA", "AIDA"}},
		{"unique ID too short", Access{AllowOnlyPrincipals: []string{"AROA123"}}, repo + ".allowOnlyPrincipals[0]", []string{"unique ID"}},
		{"unique ID lower case", Access{AllowOnlyPrincipals: []string{"aroaexampleroleid1234"}}, repo + ".allowOnlyPrincipals[0]", []string{"unique ID"}},
		{"allow-only session ARN", Access{AllowOnlyPrincipals: []string{"arn:aws:sts::111111111111:assumed-role/admin/me"}}, repo + ".allowOnlyPrincipals[0]", []string{"use the role ARN"}},
		// cross-field
		{"strict deny alone", Access{StrictDeny: true}, repo + ".strictDeny", []string{"needs " + repo + ".allowOnlyPrincipals"}},
		{"any-account pull and allow-only", Access{AllowAnyAwsAccountPull: true, AllowOnlyPrincipals: []string{roleA}}, repo + ".allowAnyAwsAccountPull", []string{"any authenticated principal of any AWS account", repo + ".allowOnlyPrincipals"}},
		{"pull account outside allow-only", Access{PullAccountIDs: []string{acctA, acctC}, AllowOnlyPrincipals: []string{roleA}}, repo + ".pullAccountIds[1]",
			[]string{"333333333333", repo + ".allowOnlyPrincipals", "DenyOutsideAllowOnlyPrincipals"}},
		{"push account outside allow-only", Access{PushAccountIDs: []string{acctB}, AllowOnlyPrincipals: []string{roleA}}, repo + ".pushAccountIds[0]", []string{"granted push", repo + ".allowOnlyPrincipals"}},
		{"lambda account outside allow-only", Access{LambdaPullAccountIDs: []string{acctB}, AllowOnlyPrincipals: []string{roleA}}, repo + ".lambdaPullAccountIds[0]", []string{"Lambda pull", repo + ".allowOnlyPrincipals"}},
		{"granted role outside allow-only", Access{PushPrincipalArns: []string{roleB}, AllowOnlyPrincipals: []string{roleA}}, repo + ".pushPrincipalArns[0]", []string{roleB, "is not in " + repo + ".allowOnlyPrincipals"}},
		{"granted root outside allow-only", Access{PullPrincipalArns: []string{rootC}, AllowOnlyPrincipals: []string{roleA}}, repo + ".pullPrincipalArns[0]", []string{"account 333333333333"}},
		{"policy with generated fields", Access{Policy: `{"Statement":[]}`, PullAccountIDs: []string{acctA}, StrictDeny: true}, repo + ".policy",
			[]string{"cannot be combined with " + repo + ".pullAccountIds, " + repo + ".strictDeny"}},
		// custom statements
		{"statement not JSON", stmt(`{"Effect":`), ps0, []string{"JSON object", "invalid JSON"}},
		{"statement not an object", stmt(`["x"]`), ps0, []string{"JSON object", "an array"}},
		{"statement trailing data", stmt(`{} {}`), ps0, []string{"unexpected data"}},
		{"missing Effect", stmt(`{"Principal":"*","Action":"ecr:ListImages","Condition":{"Bool":{"a":"b"}}}`), ps0, []string{`"Effect": "Allow" or "Deny"`, "got nothing"}},
		{"bad Effect", stmt(`{"Effect":"allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ListImages"}`), ps0, []string{`"Allow" or "Deny"`}},
		{"missing Action", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"}}`), ps0, []string{`must have "Action"`}},
		{"Action and NotAction", stmt(`{"Effect":"Deny","Principal":"*","Action":"ecr:A","NotAction":"ecr:B"}`), ps0, []string{"not both"}},
		{"Action is a number", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":5}`), ps0, []string{"Action must be a string or a list"}},
		{"Action list with a number", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["ecr:A",5]}`), ps0, []string{"Action[1] must be a string"}},
		{"empty Action list", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":[]}`), ps0, []string{"must not be an empty list"}},
		{"non-ECR action", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["s3:GetObject"]}`), ps0, []string{"only ECR actions", `"s3:GetObject"`}},
		{"GetAuthorizationToken", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["ecr:BatchGetImage","ecr:GetAuthorizationToken"]}`), ps0,
			[]string{"ecr:GetAuthorizationToken", "has no effect in a repository policy", "IdentityPolicy"}},
		{"GetAuthorizationToken any case", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ECR:getauthorizationtoken"}`), ps0, []string{"has no effect in a repository policy"}},
		{"Resource ARN", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ListImages","Resource":"arn:aws:ecr:us-east-1:111111111111:repository/x"}`), ps0,
			[]string{`Resource must be "*" or left out`, "Invalid repository policy provided"}},
		{"unknown element", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ListImages","Actions":"x"}`), ps0, []string{`unknown element "Actions"`}},
		{"missing Principal", stmt(`{"Effect":"Allow","Action":"ecr:ListImages"}`), ps0, []string{`must have "Principal"`}},
		{"Principal string other than *", stmt(`{"Effect":"Allow","Principal":"111111111111","Action":"ecr:ListImages"}`), ps0, []string{`Principal must be "*" or an object`}},
		{"unknown principal type", stmt(`{"Effect":"Allow","Principal":{"Aws":"111111111111"},"Action":"ecr:ListImages"}`), ps0, []string{`unknown principal type "Aws"`}},
		{"bad AWS principal", stmt(`{"Effect":"Allow","Principal":{"AWS":["arn:aws:sts::111111111111:assumed-role/r/s"]},"Action":"ecr:ListImages"}`), ps0, []string{"Principal.AWS", "use the role ARN"}},
		{"public principal without condition", stmt(`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}`), ps0, []string{`Principal "*" (any authenticated principal of any AWS account) without a Condition that limits the caller`, "allowAnyAwsAccountPull does not lift this"}},
		{"AWS * without condition", stmt(`{"Effect":"Allow","Principal":{"AWS":["111111111111","*"]},"Action":"ecr:BatchGetImage"}`), ps0, []string{`Principal "*"`}},
		{"public principal with empty condition", stmt(`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Condition":{}}`), ps0, []string{`without a Condition that limits the caller`}},
		{"bad Condition", stmt(`{"Effect":"Deny","Principal":"*","Action":"ecr:PutImage","Condition":{"Bool":"x"}}`), ps0, []string{"Condition", "Bool must be an object"}},
		{"Sid reuses a generated one", stmt(`{"Sid":"AllowPull","Effect":"Deny","Principal":"*","Action":"ecr:PutImage"}`), ps0, []string{`Sid "AllowPull"`, "generated statement"}},
		{"duplicate custom Sid", Access{PolicyStatements: []string{
			`{"Sid":"S","Effect":"Deny","Principal":"*","Action":"ecr:PutImage"}`,
			`{"Sid":"S","Effect":"Deny","Principal":"*","Action":"ecr:BatchDeleteImage"}`,
		}}, repo + ".policyStatements[1]", []string{`Sid "S"`, repo + ".policyStatements[0]"}},
		// policy document
		{"policy not JSON", Access{Policy: `{"Statement":`}, repo + ".policy", []string{"JSON object", "invalid JSON"}},
		{"policy not an object", Access{Policy: `"x"`}, repo + ".policy", []string{"JSON object"}},
		{"policy without Statement", Access{Policy: `{"Version":"2012-10-17"}`}, repo + ".policy", []string{`must have a "Statement"`}},
		{"policy with empty Statement", Access{Policy: `{"Statement":[]}`}, repo + ".policy", []string{"must not be empty"}},
		{"policy Statement wrong type", Access{Policy: `{"Statement":"x"}`}, repo + ".policy", []string{"Statement must be"}},
		{"policy bad Version", Access{Policy: `{"Version":"2020-01-01","Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:PutImage"}]}`}, repo + ".policy", []string{"Version must be"}},
		{"policy unknown key", Access{Policy: `{"Statements":[]}`}, repo + ".policy", []string{`unknown element "Statements"`}},
		{"policy statement with GetAuthorizationToken", Access{Policy: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:GetAuthorizationToken"}]}`},
			repo + ".policy.Statement[0]", []string{"ecr:GetAuthorizationToken"}},
		{"policy public without allowAnyAwsAccountPull", Access{Policy: `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}`},
			repo + ".policy.Statement[0]", []string{`Principal "*"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ps := tc.access.Validate(validate.Under(repo))
			assertProblem(t, ps, tc.path, tc.parts...)
			_, err := RepositoryPolicy(tc.access)
			assert.Error(t, err, "RepositoryPolicy must refuse what Validate refuses")
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	a := Access{
		Partition:           "aws",
		PullAccountIDs:      []string{"1", acctA, "2"},
		PushPrincipalArns:   []string{"arn:aws:sts::111111111111:assumed-role/r/s"},
		PullOrganizationIDs: []string{"org"},
		StrictDeny:          true,
		PolicyStatements:    []string{`{"Effect":"Allow","Principal":"*","Action":"ecr:GetAuthorizationToken","Resource":["*","arn:aws:ecr:us-east-1:111111111111:repository/x"]}`},
	}
	ps := a.Validate(validate.Under(repo))
	for _, want := range []struct{ path, part string }{
		{repo + ".pullAccountIds[0]", "12-digit"},
		{repo + ".pullAccountIds[2]", "12-digit"},
		{repo + ".pushPrincipalArns[0]", "role ARN"},
		{repo + ".pullOrganizationIds[0]", "Organizations ID"},
		{repo + ".strictDeny", "allowOnlyPrincipals"},
		{repo + ".policyStatements[0]", "GetAuthorizationToken"},
		{repo + ".policyStatements[0]", "Resource"},
		{repo + ".policyStatements[0]", `Principal "*"`},
	} {
		assertProblem(t, ps, want.path, want.part)
	}
	assert.Len(t, ps, 8, "%v", ps)

	err := ps.Err("Registry arguments")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "8 problems")
}

func TestValidatePathsWithoutPrefix(t *testing.T) {
	t.Parallel()
	ps := Access{PullAccountIDs: []string{"x"}}.Validate(validate.Under(""))
	require.Len(t, ps, 1)
	assert.Equal(t, "pullAccountIds[0]", ps[0].Path)
}
