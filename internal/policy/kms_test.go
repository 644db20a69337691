package policy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// The key policy as JSON: the account administers the key without being able
// to use it outside ECR, ECR may use it for the account's principals only
// (kms:ViaService, kms:CallerAccount), named administrators and users get
// their statements, and CloudWatch Logs may use it for the event log only.
func TestKeyPolicyDocument(t *testing.T) {
	t.Parallel()
	doc, err := KeyPolicy{Partition: "aws", AccountID: "123456789012", Region: "eu-west-1"}.Document()
	require.NoError(t, err)
	want := `{"Version":"2012-10-17","Statement":[` +
		`{"Sid":"AccountAdministersKey","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":[` + quoted(KeyAdministrationActions) + `],"Resource":"*"},` +
		`{"Sid":"UseThroughEcrOnly","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["kms:CreateGrant","kms:Decrypt","kms:DescribeKey","kms:Encrypt","kms:GenerateDataKey*","kms:ReEncrypt*","kms:RetireGrant"],"Resource":"*",` +
		`"Condition":{"StringEquals":{"kms:CallerAccount":"123456789012","kms:ViaService":"ecr.eu-west-1.amazonaws.com"}}}]}`
	assert.Equal(t, want, doc)

	full, err := KeyPolicy{
		Partition: "aws", AccountID: "123456789012", Region: "eu-west-1",
		AdministratorArns: []string{"arn:aws:iam::123456789012:role/platform-admin"},
		UserArns:          []string{"arn:aws:iam::210987654321:role/auditor", "arn:aws:iam::123456789012:role/ci"},
		LogGroupArns:      []string{"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/ecr/p/s/main"},
	}.Document()
	require.NoError(t, err)
	var parsed struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(full), &parsed))
	sids := make([]string, len(parsed.Statement))
	for i, s := range parsed.Statement {
		sids[i] = s["Sid"].(string)
		assert.NotEqual(t, "*", s["Principal"], "no wildcard principal (checkov CKV_AWS_33)")
	}
	assert.Equal(t, []string{SidAccountAdministersKey, SidUseThroughEcrOnly, SidKeyAdministrators, SidKeyUsers, SidCloudWatchLogsUsesKey}, sids)
	assert.Contains(t, full, `{"Sid":"KeyUsers","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:role/ci","arn:aws:iam::210987654321:role/auditor"]},"Action":["kms:Decrypt","kms:DescribeKey","kms:Encrypt","kms:GenerateDataKey*","kms:ReEncrypt*"],"Resource":"*"}`)
	assert.Contains(t, full, `{"Sid":"CloudWatchLogsUsesKey","Effect":"Allow","Principal":{"Service":"logs.eu-west-1.amazonaws.com"},"Action":["kms:Decrypt*","kms:Describe*","kms:Encrypt*","kms:GenerateDataKey*","kms:ReEncrypt*"],"Resource":"*","Condition":{"ArnEquals":{"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/ecr/p/s/main"}}}`)
	assert.Contains(t, full, `"Sid":"KeyAdministrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/platform-admin"}`)

	// The account can always put a new key policy: no lockout.
	assert.Contains(t, KeyAdministrationActions, "kms:PutKeyPolicy")
	for _, a := range KeyAdministrationActions {
		assert.NotContains(t, []string{"kms:Decrypt", "kms:Encrypt", "kms:CreateGrant", "kms:GenerateDataKey*", "kms:ReEncrypt*"}, a,
			"administration holds no cryptographic action")
	}
}

func TestKeyPolicyInOtherPartitions(t *testing.T) {
	t.Parallel()
	doc, err := KeyPolicy{Partition: "aws-cn", AccountID: "123456789012", Region: "cn-north-1", LogGroupArns: []string{"arn:aws-cn:logs:cn-north-1:123456789012:log-group:g"}}.Document()
	require.NoError(t, err)
	assert.Contains(t, doc, `"arn:aws-cn:iam::123456789012:root"`)
	assert.Contains(t, doc, `"kms:ViaService":"ecr.cn-north-1.amazonaws.com.cn"`)
	assert.Contains(t, doc, `"Service":"logs.cn-north-1.amazonaws.com.cn"`)
}

func TestKeyPolicyRefusesBadPrincipals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		k    KeyPolicy
		want string
	}{
		{"wildcard", KeyPolicy{AdministratorArns: []string{"*"}}, `administratorArns[0]: must be a principal ARN without wildcards`},
		{"session", KeyPolicy{UserArns: []string{"arn:aws:sts::123456789012:assumed-role/ci/s"}}, `userArns[0]: is an STS assumed-role session ARN`},
		{"not an ARN", KeyPolicy{UserArns: []string{"ci"}}, `userArns[0]: must be an IAM principal ARN`},
		{"other partition", KeyPolicy{Partition: "aws", UserArns: []string{"arn:aws-cn:iam::123456789012:role/ci"}}, `userArns[0]: must be in the repository's partition "aws"`},
		{"repeated", KeyPolicy{AdministratorArns: []string{"arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/a"}}, `administratorArns[1]: repeats administratorArns[0]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.k.AccountID, tc.k.Region = "123456789012", "eu-west-1"
			ps := tc.k.Validate(validate.Under(""))
			require.NotEmpty(t, ps)
			assert.Contains(t, ps.Err("key").Error(), tc.want)
			_, err := tc.k.Document()
			require.Error(t, err)
		})
	}
}

func quoted(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ",")
}
