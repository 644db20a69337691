package policy

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

const (
	acctA = "111111111111"
	acctB = "222222222222"
	acctC = "333333333333"
	roleA = "arn:aws:iam::111111111111:role/ci"
	roleB = "arn:aws:iam::222222222222:role/app"
	rootA = "arn:aws:iam::111111111111:root"
	rootB = "arn:aws:iam::222222222222:root"
	rootC = "arn:aws:iam::333333333333:root"
	orgA  = "o-a1b2c3d4e5"
	orgB  = "o-f6g7h8i9j0"
	pathA = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"
	idR   = "AROAEXAMPLEROLEID1234"
	idU   = "AIDAEXAMPLEUSERID1234"
	slrA  = "arn:aws:iam::111111111111:role/aws-service-role/*" // acctA's service-linked roles
	slrB  = "arn:aws:iam::222222222222:role/aws-service-role/*"
)

// want is the part of a statement a case asserts on; nil fields must be absent.
type want struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Condition any
}

func pullActions() []any       { return list(PullActions...) }
func pushActions() []any       { return list(PushActions...) }
func lambdaPullActions() []any { return list(LambdaPullActions...) }

func TestRepositoryPolicyStatements(t *testing.T) {
	t.Parallel()
	denyCond := func(arns, ids []any) obj {
		c := obj{"BoolIfExists": obj{"aws:PrincipalIsAWSService": "false"}}
		if arns != nil {
			c["ArnNotLike"] = obj{"aws:PrincipalArn": unwrap(arns)}
		}
		if ids != nil {
			c["StringNotLike"] = obj{"aws:userid": unwrap(ids)}
		}
		return c
	}
	cases := []struct {
		name   string
		access Access
		want   []want
	}{
		{
			name:   "pull accounts become sorted root ARNs",
			access: Access{PullAccountIDs: []string{acctB, acctA}},
			want:   []want{{Sid: "AllowPull", Effect: "Allow", Principal: obj{"AWS": list(rootA, rootB)}, Action: pullActions()}},
		},
		{
			name:   "a single principal is a string, as ECR returns it",
			access: Access{PullPrincipalArns: []string{roleA}},
			want:   []want{{Sid: "AllowPull", Effect: "Allow", Principal: obj{"AWS": roleA}, Action: pullActions()}},
		},
		{
			name:   "account ID and its root ARN are one principal",
			access: Access{PullAccountIDs: []string{acctA}, PullPrincipalArns: []string{rootA}},
			want:   []want{{Sid: "AllowPull", Effect: "Allow", Principal: obj{"AWS": rootA}, Action: pullActions()}},
		},
		{
			name:   "push principals are not repeated in AllowPull",
			access: Access{PullAccountIDs: []string{acctA, acctB}, PushAccountIDs: []string{acctA}, PushPrincipalArns: []string{roleB}},
			want: []want{
				{Sid: "AllowPull", Effect: "Allow", Principal: obj{"AWS": rootB}, Action: pullActions()},
				{Sid: "AllowPush", Effect: "Allow", Principal: obj{"AWS": list(rootA, roleB)}, Action: pushActions()},
			},
		},
		{
			name:   "AllowPull is omitted when every pull principal can push",
			access: Access{PullAccountIDs: []string{acctA}, PushAccountIDs: []string{acctA}},
			want:   []want{{Sid: "AllowPush", Effect: "Allow", Principal: obj{"AWS": rootA}, Action: pushActions()}},
		},
		{
			name:   "organizations and organization paths",
			access: Access{PullOrganizationIDs: []string{orgB, orgA}, PushOrganizationIDs: []string{orgA}, PullOrganizationPaths: []string{pathA}},
			want: []want{
				{Sid: "AllowPullByOrganization", Effect: "Allow", Principal: "*", Action: pullActions(),
					Condition: obj{"StringEquals": obj{"aws:PrincipalOrgID": list(orgA, orgB)}}},
				{Sid: "AllowPushByOrganization", Effect: "Allow", Principal: "*", Action: pushActions(),
					Condition: obj{"StringEquals": obj{"aws:PrincipalOrgID": orgA}}},
				{Sid: "AllowPullByOrganizationPath", Effect: "Allow", Principal: "*", Action: pullActions(),
					Condition: obj{"ForAnyValue:StringLike": obj{"aws:PrincipalOrgPaths": pathA}}},
			},
		},
		{
			name:   "Lambda: account principal and service principal limited to the accounts' functions",
			access: Access{Partition: "aws-cn", LambdaPullAccountIDs: []string{acctC, acctA}},
			want: []want{
				{Sid: "AllowLambdaAccountPull", Effect: "Allow", Action: lambdaPullActions(),
					Principal: obj{"AWS": list("arn:aws-cn:iam::111111111111:root", "arn:aws-cn:iam::333333333333:root")}},
				{Sid: "AllowLambdaPull", Effect: "Allow", Action: lambdaPullActions(),
					Principal: obj{"Service": "lambda.amazonaws.com"},
					Condition: obj{"StringLike": obj{"aws:SourceArn": list(
						"arn:aws-cn:lambda:*:111111111111:function:*",
						"arn:aws-cn:lambda:*:333333333333:function:*")}}},
			},
		},
		{
			name:   "any-AWS-account pull",
			access: Access{AllowAnyAwsAccountPull: true},
			want:   []want{{Sid: "AllowAnyAwsAccountPull", Effect: "Allow", Principal: "*", Action: pullActions()}},
		},
		{
			name:   "deny-all-else by ARN exempts the registry's service-linked roles",
			access: Access{PullAccountIDs: []string{acctA}, AllowOnlyPrincipals: []string{roleA}, RegistryID: acctA},
			want: []want{
				{Sid: "AllowPull", Effect: "Allow", Principal: obj{"AWS": rootA}, Action: pullActions()},
				{Sid: "DenyOutsideAllowOnlyPrincipals", Effect: "Deny", Principal: "*", Action: list(DenyActions...),
					Condition: denyCond(list(slrA, roleA), nil)},
			},
		},
		{
			name:   "deny-all-else by unique ID",
			access: Access{AllowOnlyPrincipals: []string{idU, idR}, RegistryID: acctB},
			want: []want{
				{Sid: "DenyOutsideAllowOnlyPrincipals", Effect: "Deny", Principal: "*", Action: list(DenyActions...),
					Condition: denyCond(list(slrB), list(idU, idR+":*"))},
			},
		},
		{
			name:   "strict deny leaves the registry account's root able to change the policy (break-glass)",
			access: Access{AllowOnlyPrincipals: []string{idU, roleA}, StrictDeny: true, RegistryID: acctA, Partition: "aws"},
			want: []want{
				{Sid: "DenyOutsideAllowOnlyPrincipals", Effect: "Deny", Principal: "*", Action: list(DenyActions...),
					Condition: denyCond(list(slrA, roleA), list(idU))},
				{Sid: "DenyPolicyChangesOutsideAllowOnlyPrincipals", Effect: "Deny", Principal: "*", Action: list(StrictDenyActions...),
					Condition: denyCond(list(slrA, roleA, rootA), list(idU))},
			},
		},
		{
			name:   "ARNs and unique IDs share one condition block (AND of the negations)",
			access: Access{AllowOnlyPrincipals: []string{roleB, idR, roleA}, RegistryID: acctA},
			want: []want{
				{Sid: "DenyOutsideAllowOnlyPrincipals", Effect: "Deny", Principal: "*", Action: list(DenyActions...),
					Condition: denyCond(list(slrA, roleA, roleB), list(idR+":*"))},
			},
		},
		{
			name:   "the exemptions follow the partition",
			access: Access{Partition: "aws-us-gov", AllowOnlyPrincipals: []string{"arn:aws-us-gov:iam::111111111111:role/ci"}, StrictDeny: true, RegistryID: acctA},
			want: []want{
				{Sid: "DenyOutsideAllowOnlyPrincipals", Effect: "Deny", Principal: "*", Action: list(DenyActions...),
					Condition: denyCond(list("arn:aws-us-gov:iam::111111111111:role/aws-service-role/*", "arn:aws-us-gov:iam::111111111111:role/ci"), nil)},
				{Sid: "DenyPolicyChangesOutsideAllowOnlyPrincipals", Effect: "Deny", Principal: "*", Action: list(StrictDenyActions...),
					Condition: denyCond(list("arn:aws-us-gov:iam::111111111111:role/aws-service-role/*", "arn:aws-us-gov:iam::111111111111:role/ci", "arn:aws-us-gov:iam::111111111111:root"), nil)},
			},
		},
		{
			name: "custom statements follow, canonicalized, in the given order",
			access: Access{PullAccountIDs: []string{acctA}, PolicyStatements: []string{
				`{"Sid":"Z","Effect":"Allow","Principal":{"AWS":["222222222222","222222222222"]},"Action":["ecr:ListImages","ecr:DescribeImages"]}`,
				`{"Effect":"Deny","Principal":"*","Action":"ecr:BatchDeleteImage","Condition":{"Bool":{"aws:SecureTransport":false}}}`,
			}},
			want: []want{
				{Sid: "AllowPull", Effect: "Allow", Principal: obj{"AWS": rootA}, Action: pullActions()},
				{Sid: "Z", Effect: "Allow", Principal: obj{"AWS": rootB}, Action: list("ecr:DescribeImages", "ecr:ListImages")},
				{Effect: "Deny", Principal: "*", Action: "ecr:BatchDeleteImage",
					Condition: obj{"Bool": obj{"aws:SecureTransport": "false"}}},
			},
		},
		{
			name: "policy replaces the generated document",
			access: Access{Policy: `{"Statement":{"Sid":"Mine","Effect":"Allow","Principal":{"AWS":["333333333333"]},` +
				`"Action":["ecr:BatchGetImage"]},"Version":"2012-10-17"}`},
			want: []want{{Sid: "Mine", Effect: "Allow", Principal: obj{"AWS": rootC}, Action: "ecr:BatchGetImage"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Empty(t, tc.access.Validate(validate.Under("r")).Errors())
			text, err := RepositoryPolicy(tc.access)
			require.NoError(t, err)
			d := parseDoc(t, text)
			assert.Equal(t, "2012-10-17", d.Version)
			require.Len(t, d.Statement, len(tc.want), text)
			for i, w := range tc.want {
				got := d.Statement[i]
				if w.Sid == "" {
					assert.NotContains(t, got, "Sid")
				} else {
					assert.Equal(t, w.Sid, got["Sid"], "statement %d", i)
				}
				assert.Equal(t, w.Effect, got["Effect"], "statement %d Effect", i)
				assert.Equal(t, w.Principal, got["Principal"], "statement %d Principal", i)
				assert.Equal(t, w.Action, got["Action"], "statement %d Action", i)
				if w.Condition == nil {
					assert.NotContains(t, got, "Condition", "statement %d", i)
				} else {
					assert.Equal(t, w.Condition, got["Condition"], "statement %d Condition", i)
				}
				assert.NotContains(t, got, "Resource", "statement %d", i)
			}
			assert.NotContains(t, text, AuthorizationTokenAction)
		})
	}
}

// unwrap writes a one-element list as its element, as the canonical form does.
func unwrap(l []any) any {
	if len(l) == 1 {
		return l[0]
	}
	return l
}

func fullAccess() Access {
	return Access{
		Partition:             "aws",
		PullAccountIDs:        []string{acctB, acctA, acctC},
		PushAccountIDs:        []string{acctA},
		PullPrincipalArns:     []string{roleB, "arn:aws:iam::222222222222:user/dev/alice"},
		PushPrincipalArns:     []string{roleA, "arn:aws:iam::111111111111:role/deploy/pipeline"},
		PullOrganizationIDs:   []string{orgA, orgB},
		PushOrganizationIDs:   []string{orgB, orgA},
		PullOrganizationPaths: []string{pathA, "o-a1b2c3d4e5/r-ab12/"},
		LambdaPullAccountIDs:  []string{acctC, acctB},
		AllowOnlyPrincipals:   []string{roleA, idR, roleB, idU},
		StrictDeny:            true,
		RegistryID:            acctA,
		PolicyStatements: []string{
			`{"Sid":"Audit","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::333333333333:role/audit","333333333333"]},"Action":["ecr:ListImages","ecr:DescribeImages"]}`,
			`{"Sid":"Tls","Effect":"Deny","Principal":"*","Action":"ecr:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`,
		},
	}
}

func TestStatementOrder(t *testing.T) {
	t.Parallel()
	a := fullAccess()
	text, err := RepositoryPolicy(a)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"AllowPull", "AllowPush", "AllowPullByOrganization", "AllowPushByOrganization",
		"AllowPullByOrganizationPath", "AllowLambdaAccountPull", "AllowLambdaPull",
		"DenyOutsideAllowOnlyPrincipals", "DenyPolicyChangesOutsideAllowOnlyPrincipals",
		"Audit", "Tls",
	}, parseDoc(t, text).sids())

	b := Access{AllowAnyAwsAccountPull: true, PullAccountIDs: []string{acctA}, PolicyStatements: []string{`{"Sid":"X","Effect":"Allow","Principal":"*","Action":"ecr:ListImages","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`}}
	text, err = RepositoryPolicy(b)
	require.NoError(t, err)
	assert.Equal(t, []string{"AllowPull", "AllowAnyAwsAccountPull", "X"}, parseDoc(t, text).sids())
}

func shuffled(r *rand.Rand, in []string) []string {
	out := append([]string(nil), in...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	// Repeat an element now and then: duplicates must not change the text.
	if len(out) > 0 && r.Intn(2) == 0 {
		out = append(out, out[r.Intn(len(out))])
	}
	return out
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	base := fullAccess()
	want, err := RepositoryPolicy(base)
	require.NoError(t, err)
	r := rand.New(rand.NewSource(1))
	for i := range 50 {
		a := base
		a.PullAccountIDs = shuffled(r, a.PullAccountIDs)
		a.PushAccountIDs = shuffled(r, a.PushAccountIDs)
		a.PullPrincipalArns = shuffled(r, a.PullPrincipalArns)
		a.PushPrincipalArns = shuffled(r, a.PushPrincipalArns)
		a.PullOrganizationIDs = shuffled(r, a.PullOrganizationIDs)
		a.PushOrganizationIDs = shuffled(r, a.PushOrganizationIDs)
		a.PullOrganizationPaths = shuffled(r, a.PullOrganizationPaths)
		a.LambdaPullAccountIDs = shuffled(r, a.LambdaPullAccountIDs)
		a.AllowOnlyPrincipals = shuffled(r, a.AllowOnlyPrincipals)
		got, err := RepositoryPolicy(a)
		require.NoError(t, err)
		require.Equal(t, want, got, "iteration %d: %+v", i, a)
	}
	// The inputs were not modified.
	assert.Equal(t, fullAccess(), base)
}

func TestCanonicalJSONText(t *testing.T) {
	t.Parallel()
	text, err := RepositoryPolicy(fullAccess())
	require.NoError(t, err)
	assert.True(t, json.Valid([]byte(text)))
	assert.True(t, strings.HasPrefix(text, `{"Version":"2012-10-17","Statement":[{"Sid":"AllowPull","Effect":"Allow","Principal":{"AWS":[`), text)
	assert.NotContains(t, text, "\n")
	assert.NotContains(t, text, " ")

	again, err := Canonicalize(text)
	require.NoError(t, err)
	assert.Equal(t, text, again, "canonical text is a fixed point")

	// No HTML escaping.
	a := Access{PolicyStatements: []string{`{"Effect":"Deny","Principal":"*","Action":"ecr:PutImage","Condition":{"StringLike":{"aws:PrincipalTag/team":"a<b>&c"}}}`}}
	text, err = RepositoryPolicy(a)
	require.NoError(t, err)
	assert.Contains(t, text, `"a<b>&c"`)
	assert.NotContains(t, text, `\u003c`)
}

// TestCanonicalizeECRReadback feeds Canonicalize what ECR returns for the
// generated policy: bare account IDs kept or rewritten, principals reordered,
// single values as lists, pretty-printed, 2008 keys order, etc.
func TestCanonicalizeECRReadback(t *testing.T) {
	t.Parallel()
	a := Access{
		PullAccountIDs:      []string{acctA, acctB},
		PushPrincipalArns:   []string{roleA},
		PullOrganizationIDs: []string{orgA},
		AllowOnlyPrincipals: []string{roleA, roleB},
		RegistryID:          acctA,
	}
	generated, err := RepositoryPolicy(a)
	require.NoError(t, err)

	readback := `{
  "Statement" : [ {
    "Action" : [ "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage" ],
    "Principal" : { "AWS" : [ "222222222222", "arn:aws:iam::111111111111:root" ] },
    "Effect" : "Allow",
    "Sid" : "AllowPull"
  }, {
    "Sid" : "AllowPush",
    "Effect" : "Allow",
    "Principal" : { "AWS" : [ "arn:aws:iam::111111111111:role/ci" ] },
    "Action" : [ "ecr:UploadLayerPart", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:GetDownloadUrlForLayer",
                 "ecr:CompleteLayerUpload", "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability" ]
  }, {
    "Sid" : "AllowPullByOrganization",
    "Effect" : "Allow",
    "Principal" : "*",
    "Action" : [ "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability" ],
    "Condition" : { "StringEquals" : { "aws:PrincipalOrgID" : [ "o-a1b2c3d4e5" ] } }
  }, {
    "Sid" : "DenyOutsideAllowOnlyPrincipals",
    "Effect" : "Deny",
    "Principal" : "*",
    "Action" : ` + mustJSON(reversed(DenyActions)) + `,
    "Condition" : {
      "BoolIfExists" : { "aws:PrincipalIsAWSService" : false },
      "ArnNotLike" : { "aws:PrincipalArn" : [ "arn:aws:iam::222222222222:role/app", "arn:aws:iam::111111111111:role/ci",
                                               "arn:aws:iam::111111111111:role/aws-service-role/*" ] }
    }
  } ],
  "Version" : "2012-10-17"
}`
	got, err := Canonicalize(readback)
	require.NoError(t, err)
	assert.Equal(t, generated, got)

	eq, err := Equivalent(readback, generated)
	require.NoError(t, err)
	assert.True(t, eq)

	// A real change is not hidden.
	changed := strings.Replace(readback, `"222222222222", `, `"333333333333", `, 1)
	got, err = Canonicalize(changed)
	require.NoError(t, err)
	assert.NotEqual(t, generated, got)
	eq, err = Equivalent(changed, generated)
	require.NoError(t, err)
	assert.False(t, eq)
}

func TestCanonicalizeForPartition(t *testing.T) {
	t.Parallel()
	got, err := CanonicalizeForPartition(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:BatchGetImage"}]}`, "aws-us-gov")
	require.NoError(t, err)
	assert.Equal(t, `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws-us-gov:iam::111111111111:root"},"Action":"ecr:BatchGetImage"}]}`, got)

	a := Access{Partition: "aws-us-gov", PullAccountIDs: []string{acctA}}
	text, err := RepositoryPolicy(a)
	require.NoError(t, err)
	assert.Contains(t, text, `"arn:aws-us-gov:iam::111111111111:root"`)
}

func TestCanonicalizeShapes(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{ // single statement object becomes a list; empty Sid dropped; unknown keys sorted last
			`{"Version":"2012-10-17","Statement":{"Sid":"","Action":["ecr:B","ecr:A"],"Effect":"Allow","Principal":{"Service":["b.amazonaws.com","a.amazonaws.com"],"AWS":"*"}},"Zeta":1,"Id":"x"}`,
			`{"Version":"2012-10-17","Id":"x","Statement":[{"Effect":"Allow","Principal":{"AWS":"*","Service":["a.amazonaws.com","b.amazonaws.com"]},"Action":["ecr:A","ecr:B"]}],"Zeta":1}`,
		},
		{ // condition operators and keys sorted; numbers and booleans become strings
			`{"Statement":[{"Effect":"Deny","Principal":"*","NotAction":["ecr:B","ecr:A","ecr:B"],"Condition":{"StringNotEquals":{"k2":["b","a"],"k1":5},"Bool":{"aws:SecureTransport":[false]}}}]}`,
			`{"Statement":[{"Effect":"Deny","Principal":"*","NotAction":["ecr:A","ecr:B"],"Condition":{"Bool":{"aws:SecureTransport":"false"},"StringNotEquals":{"k1":"5","k2":["a","b"]}}}]}`,
		},
	}
	for _, tc := range cases {
		got, err := Canonicalize(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got)
		again, err := Canonicalize(got)
		require.NoError(t, err)
		assert.Equal(t, got, again, "idempotent")
	}
}

func TestCanonicalizeErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"":                                "empty document",
		"{":                               "invalid JSON",
		`{"Statement":[]} {}`:             "after the top-level value",
		`[]`:                              "must be a JSON object",
		`{"Statement":5}`:                 "Statement must be",
		`{"Statement":[5]}`:               "Statement[0] must be a JSON object",
		`{"Statement":[{"Action":5}]}`:    "Action",
		`{"Statement":[{"Principal":5}]}`: "Principal",
		`{"Statement":[{"Principal":{"AWS":[1]}}]}`:           "element 0 must be a string",
		`{"Statement":[{"Condition":{"StringEquals":"x"}}]}`:  "StringEquals must be an object",
		`{"Statement":[{"Condition":{"Bool":{"k":{}}}}]}`:     "must be a string, number, boolean",
		`{"Statement":[{"Condition":{"Bool":{"k":[null]}}}]}`: "element 0",
	}
	for in, part := range cases {
		_, err := Canonicalize(in)
		if assert.Error(t, err, in) {
			assert.Contains(t, err.Error(), part, in)
		}
	}
}

func TestEmpty(t *testing.T) {
	t.Parallel()
	assert.True(t, Access{}.Empty())
	assert.True(t, Access{Partition: "aws-cn"}.Empty(), "the partition alone is no access setting")
	text, err := RepositoryPolicy(Access{Partition: "aws-cn"})
	require.NoError(t, err)
	assert.Equal(t, "", text)
	assert.Empty(t, Access{}.Validate(validate.Under("r")))
	assert.Empty(t, Access{Partition: "bogus"}.Validate(validate.Under("r")), "no policy, nothing to check")
	assert.NotEmpty(t, Access{Partition: "bogus", PullAccountIDs: []string{acctA}}.Validate(validate.Under("r")))

	for name, a := range map[string]Access{
		"pull":       {PullAccountIDs: []string{acctA}},
		"push":       {PushAccountIDs: []string{acctA}},
		"pullArn":    {PullPrincipalArns: []string{roleA}},
		"pushArn":    {PushPrincipalArns: []string{roleA}},
		"pullOrg":    {PullOrganizationIDs: []string{orgA}},
		"pushOrg":    {PushOrganizationIDs: []string{orgA}},
		"orgPath":    {PullOrganizationPaths: []string{pathA}},
		"lambda":     {LambdaPullAccountIDs: []string{acctA}},
		"allowOnly":  {AllowOnlyPrincipals: []string{roleA}},
		"strict":     {StrictDeny: true},
		"anyAccount": {AllowAnyAwsAccountPull: true},
		"statements": {PolicyStatements: []string{"{}"}},
		"policy":     {Policy: "{}"},
	} {
		assert.False(t, a.Empty(), name)
	}
}

func TestRepositoryPolicyRefusesInvalidAccess(t *testing.T) {
	t.Parallel()
	_, err := RepositoryPolicy(Access{PullAccountIDs: []string{"123"}, StrictDeny: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pullAccountIds[0]")
	assert.Contains(t, err.Error(), "strictDeny")
}

func manyRoles(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("arn:aws:iam::%012d:role/a-rather-long-role-name-for-the-build-pipeline", i+1)
	}
	return out
}

func TestLengthLimit(t *testing.T) {
	t.Parallel()
	// Find the largest number of roles that fits, then one more must not.
	fits := 0
	for n := 1; n < 400; n++ {
		text, err := RepositoryPolicy(Access{PullPrincipalArns: manyRoles(n)})
		if err != nil {
			break
		}
		require.LessOrEqual(t, utf8.RuneCountInString(text), MaxRepositoryPolicyLength)
		fits = n
	}
	require.Greater(t, fits, 50)
	require.Less(t, fits, 399)

	a := Access{PullPrincipalArns: manyRoles(fits + 1)}
	_, err := RepositoryPolicy(a)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "10240")
	ps := a.Validate(validate.Under(`repositories["team/api"]`))
	require.Len(t, ps, 1)
	assert.Equal(t, `repositories["team/api"]`, ps[0].Path)
	assert.Contains(t, ps[0].Message, "10240")
	// The message carries the actual length.
	long := Access{PullPrincipalArns: manyRoles(fits + 1)}
	text := mustBuild(t, long)
	assert.Contains(t, ps[0].Message, fmt.Sprintf("%d characters", utf8.RuneCountInString(text)))

	// A too-long policy document is reported on the policy field.
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":` + mustJSON(manyRoles(fits+20)) + `},"Action":"ecr:BatchGetImage"}]}`
	ps = Access{Policy: big}.Validate(validate.Under("r"))
	require.Len(t, ps, 1)
	assert.Equal(t, "r.policy", ps[0].Path)
	assert.Contains(t, ps[0].Message, "at most 10240")
}

// The limit counts characters, not bytes.
func TestLengthCountsCharacters(t *testing.T) {
	t.Parallel()
	value := strings.Repeat("é", 6000) // 6000 characters, 12000 bytes
	a := Access{PolicyStatements: []string{`{"Effect":"Deny","Principal":"*","Action":"ecr:PutImage","Condition":{"StringEquals":{"aws:PrincipalTag/x":"` + value + `"}}}`}}
	text, err := RepositoryPolicy(a)
	require.NoError(t, err)
	assert.Greater(t, len(text), MaxRepositoryPolicyLength)
	assert.LessOrEqual(t, utf8.RuneCountInString(text), MaxRepositoryPolicyLength)
}

func mustBuild(t *testing.T, a Access) string {
	t.Helper()
	text, err := a.build()
	require.NoError(t, err)
	return text
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func reversed(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[len(in)-1-i] = s
	}
	return out
}

func TestIdentityPolicy(t *testing.T) {
	t.Parallel()
	repoA := "arn:aws:ecr:us-east-1:111111111111:repository/team/api"
	repoB := "arn:aws:ecr:us-east-1:111111111111:repository/team/web"
	text := IdentityPolicy([]string{"ecr:PutImage", "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "ecr:PutImage"}, []string{repoB, repoA})
	d := parseDoc(t, text)
	assert.Equal(t, "2012-10-17", d.Version)
	require.Len(t, d.Statement, 2)
	assert.Equal(t, obj{
		"Sid": "RepositoryAccess", "Effect": "Allow",
		"Action":   list("ecr:BatchGetImage", "ecr:PutImage"),
		"Resource": list(repoA, repoB),
	}, d.Statement[0])
	assert.Equal(t, obj{
		"Sid": "AuthorizationToken", "Effect": "Allow",
		"Action": "ecr:GetAuthorizationToken", "Resource": "*",
	}, d.Statement[1])
	assert.Equal(t, text, IdentityPolicy([]string{"ecr:BatchGetImage", "ecr:PutImage"}, []string{repoA, repoB, repoA}), "deterministic")

	pull := parseDoc(t, IdentityPolicy(PullActions, []string{repoA}))
	assert.Equal(t, list(PullActions...), pull.Statement[0]["Action"])
	assert.Equal(t, repoA, pull.Statement[0]["Resource"])

	onlyToken := parseDoc(t, IdentityPolicy(PullActions, nil))
	require.Len(t, onlyToken.Statement, 1)
	assert.Equal(t, "AuthorizationToken", onlyToken.Statement[0]["Sid"])

	canon, err := Canonicalize(text)
	require.NoError(t, err)
	assert.Equal(t, text, canon)
}

func TestActionLists(t *testing.T) {
	t.Parallel()
	for name, l := range map[string][]string{
		"PullActions": PullActions, "PushActions": PushActions, "LambdaPullActions": LambdaPullActions,
		"DenyActions": DenyActions, "StrictDenyActions": StrictDenyActions,
	} {
		assert.IsIncreasing(t, l, name+" sorted without duplicates")
		assert.NotContains(t, l, AuthorizationTokenAction, name)
	}
	assert.Subset(t, PushActions, PullActions)
	assert.Subset(t, PullActions, LambdaPullActions)
	assert.Subset(t, DenyActions, PushActions, "deny-all-else covers pull and push")
	for _, s := range StrictDenyActions {
		assert.NotContains(t, DenyActions, s, "strict adds actions the base deny leaves out")
	}
	assert.Subset(t, StrictDenyActions, []string{"ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:DeleteRepository"})
}
