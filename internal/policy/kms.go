package policy

import (
	"fmt"
	"slices"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// The key policy of the KMS key a Registry creates for its repositories
// (encryption.kms.create). Its statements, in this order, each omitted when
// its inputs are empty:
//
//	AccountAdministersKey  Principal {"AWS": "arn:<partition>:iam::<account>:root"}, KeyAdministrationActions.
//	                       The account can always manage the key (no lockout: KMS's own
//	                       recommendation, and its lockout check passes), and IAM policies of the
//	                       account can grant these actions. It deliberately holds no
//	                       cryptographic action: "kms:*" for the account, AWS's minimal example,
//	                       would let any IAM policy of the account grant Decrypt directly.
//	UseThroughEcrOnly      Principal {"AWS": account root}, EcrKeyActions, StringEquals
//	                       kms:ViaService = ecr.<region>.<dns suffix> and kms:CallerAccount = <account>:
//	                       principals of the account whose IAM policies allow it may use the key,
//	                       but only in requests ECR makes for them (creating a repository:
//	                       DescribeKey, CreateGrant; deleting one: RetireGrant).
//	KeyAdministrators      Principal {"AWS": administratorArns}, KeyAdministrationActions.
//	KeyUsers               Principal {"AWS": userArns}, KeyUseActions: direct use, outside ECR.
//	CloudWatchLogsUsesKey  Principal {"Service": "logs.<region>.<dns suffix>"}, LogsKeyActions,
//	                       ArnEquals kms:EncryptionContext:aws:logs:arn = the log groups encrypted
//	                       with the key (the event log).
//
// Sources: Amazon ECR User Guide, "Encryption at rest" (root keeps the key
// manageable; kms:ViaService ecr.<region>.amazonaws.com restricts use to ECR;
// creators need kms:CreateGrant, kms:RetireGrant and kms:DescribeKey), and
// the CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using
// AWS KMS" (the logs.<region>.amazonaws.com statement). Principal "*" is never
// used, so checkov CKV_AWS_33 (no wildcard principal in a key policy) passes.
//
// Pullers, also those of other accounts, need no statement: ECR decrypts with
// the grants it created on the key when the repository was created and hands
// the data key to S3 (same source, steps 5–7), so pullAccountIds and
// pullPrincipalArns never touch the key policy.

// Statement IDs of the key policy, in the order they appear.
const (
	SidAccountAdministersKey = "AccountAdministersKey"
	SidUseThroughEcrOnly     = "UseThroughEcrOnly"
	SidKeyAdministrators     = "KeyAdministrators"
	SidKeyUsers              = "KeyUsers"
	SidCloudWatchLogsUsesKey = "CloudWatchLogsUsesKey"
)

// KeyAdministrationActions manage the key without using it (sorted). Every
// action is key-scoped, so it means something in a key policy;
// kms:ReplicateKey and kms:UpdatePrimaryRegion matter for a multi-Region key.
var KeyAdministrationActions = []string{
	"kms:CancelKeyDeletion",
	"kms:CreateAlias",
	"kms:DeleteAlias",
	"kms:DescribeKey",
	"kms:DisableKey",
	"kms:DisableKeyRotation",
	"kms:EnableKey",
	"kms:EnableKeyRotation",
	"kms:GetKeyPolicy",
	"kms:GetKeyRotationStatus",
	"kms:ListGrants",
	"kms:ListKeyPolicies",
	"kms:ListKeyRotations",
	"kms:ListResourceTags",
	"kms:PutKeyPolicy",
	"kms:ReplicateKey",
	"kms:RetireGrant",
	"kms:RevokeGrant",
	"kms:RotateKeyOnDemand",
	"kms:ScheduleKeyDeletion",
	"kms:TagResource",
	"kms:UntagResource",
	"kms:UpdateAlias",
	"kms:UpdateKeyDescription",
	"kms:UpdatePrimaryRegion",
}

// KeyUseActions are the cryptographic operations of a symmetric key (sorted).
var KeyUseActions = []string{
	"kms:Decrypt",
	"kms:DescribeKey",
	"kms:Encrypt",
	"kms:GenerateDataKey*",
	"kms:ReEncrypt*",
}

// EcrKeyActions are what ECR does with a repository's key on behalf of the
// principal creating, using or deleting the repository (sorted).
var EcrKeyActions = []string{
	"kms:CreateGrant",
	"kms:Decrypt",
	"kms:DescribeKey",
	"kms:Encrypt",
	"kms:GenerateDataKey*",
	"kms:ReEncrypt*",
	"kms:RetireGrant",
}

// LogsKeyActions are what CloudWatch Logs needs of a log group's key (sorted).
var LogsKeyActions = []string{
	"kms:Decrypt*",
	"kms:Describe*",
	"kms:Encrypt*",
	"kms:GenerateDataKey*",
	"kms:ReEncrypt*",
}

// MaxKeyPolicyLength is the largest key policy KMS accepts, in characters
// (PutKeyPolicy, Policy "Maximum length of 32768").
const MaxKeyPolicyLength = 32768

// KeyPolicy is what the key policy of a Registry's key is built from.
type KeyPolicy struct {
	Partition, AccountID, Region string
	AdministratorArns            []string
	UserArns                     []string
	// LogGroupArns are log groups encrypted with the key.
	LogGroupArns []string
}

// ServiceHost is the host name of a service endpoint in a region, the value
// kms:ViaService and regional service principals take: amazonaws.com.cn in
// the China partition, amazonaws.com elsewhere (the ISO partitions are not
// covered).
func ServiceHost(service, region, partition string) string {
	suffix := "amazonaws.com"
	if partition == "aws-cn" {
		suffix = "amazonaws.com.cn"
	}
	return service + "." + region + "." + suffix
}

// Document returns the canonical key policy. Invalid principal ARNs (checked
// by Validate) are an error.
func (k KeyPolicy) Document() (string, error) {
	if err := k.Validate(validate.Under("")).Err("key policy"); err != nil {
		return "", err
	}
	partition := partitionOrDefault(k.Partition)
	root := "arn:" + partition + ":iam::" + k.AccountID + ":root"
	stmts := []any{
		keyStatement(SidAccountAdministersKey, awsPrincipal([]string{root}), KeyAdministrationActions, nil),
		keyStatement(SidUseThroughEcrOnly, awsPrincipal([]string{root}), EcrKeyActions, map[string]any{
			"StringEquals": map[string]any{
				"kms:CallerAccount": k.AccountID,
				"kms:ViaService":    ServiceHost("ecr", k.Region, partition),
			},
		}),
	}
	if len(k.AdministratorArns) > 0 {
		stmts = append(stmts, keyStatement(SidKeyAdministrators, awsPrincipal(k.AdministratorArns), KeyAdministrationActions, nil))
	}
	if len(k.UserArns) > 0 {
		stmts = append(stmts, keyStatement(SidKeyUsers, awsPrincipal(k.UserArns), KeyUseActions, nil))
	}
	if len(k.LogGroupArns) > 0 {
		stmts = append(stmts, keyStatement(SidCloudWatchLogsUsesKey,
			map[string]any{"Service": ServiceHost("logs", k.Region, partition)}, LogsKeyActions,
			condition("ArnEquals", "kms:EncryptionContext:aws:logs:arn", k.LogGroupArns)))
	}
	doc, err := canonicalDocument(map[string]any{"Version": "2012-10-17", "Statement": stmts}, partition)
	if err != nil {
		return "", err
	}
	if n := len(doc); n > MaxKeyPolicyLength {
		return "", fmt.Errorf("the key policy would be %d characters long, but KMS accepts at most %d: name fewer administrators or users", n, MaxKeyPolicyLength)
	}
	return doc, nil
}

// Validate checks the principals: IAM role, user or account-root ARNs of the
// key's partition, each listed once. at locates "administratorArns" and
// "userArns".
func (k KeyPolicy) Validate(at validate.Locator) validate.Problems {
	var ps validate.Problems
	partition := partitionOrDefault(k.Partition)
	for _, l := range []struct {
		field string
		arns  []string
	}{{"administratorArns", k.AdministratorArns}, {"userArns", k.UserArns}} {
		ps.Add(CheckPrincipalArns(at(l.field), l.arns, partition)...)
	}
	return ps
}

// CheckPrincipalArns checks a list of principal ARNs, as a repository
// policy's principals are checked, and refuses repeats.
func CheckPrincipalArns(path string, arns []string, partition string) validate.Problems {
	var ps validate.Problems
	for i, arn := range arns {
		item := fmt.Sprintf("%s[%d]", path, i)
		ps.Add(checkPrincipalArn(item, arn, partition)...)
		if j := slices.Index(arns, arn); j < i {
			ps.Addf(item, "repeats %s[%d] (%q)", path, j, arn)
		}
	}
	return ps
}

func keyStatement(sid string, principal any, actions []string, cond map[string]any) map[string]any {
	s := allow(sid, principal, actions, cond)
	s["Resource"] = "*" // a key policy statement must name its resource: the key itself
	return s
}
