package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// MaxRepositoryPolicyLength is the largest repository policy text ECR
// accepts, in characters (SetRepositoryPolicy, policyText "Maximum length of
// 10240",
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html).
const MaxRepositoryPolicyLength = 10240

// Statement IDs of the generated statements, in the order they appear.
const (
	SidAllowPull                   = "AllowPull"
	SidAllowPush                   = "AllowPush"
	SidAllowPullByOrganization     = "AllowPullByOrganization"
	SidAllowPushByOrganization     = "AllowPushByOrganization"
	SidAllowPullByOrganizationPath = "AllowPullByOrganizationPath"
	SidAllowLambdaAccountPull      = "AllowLambdaAccountPull"
	SidAllowLambdaPull             = "AllowLambdaPull"
	SidAllowAnyAwsAccountPull      = "AllowAnyAwsAccountPull"
	SidDenyOutsideAllowOnly        = "DenyOutsideAllowOnlyPrincipals"
	SidDenyChangesOutsideAllowOnly = "DenyPolicyChangesOutsideAllowOnlyPrincipals"
)

// GeneratedSids lists the Sids above in statement order; custom statements may
// not reuse them.
var GeneratedSids = []string{
	SidAllowPull, SidAllowPush, SidAllowPullByOrganization, SidAllowPushByOrganization,
	SidAllowPullByOrganizationPath, SidAllowLambdaAccountPull, SidAllowLambdaPull,
	SidAllowAnyAwsAccountPull, SidDenyOutsideAllowOnly, SidDenyChangesOutsideAllowOnly,
}

// PullActions lets a principal pull images (sorted).
var PullActions = []string{
	"ecr:BatchCheckLayerAvailability",
	"ecr:BatchGetImage",
	"ecr:GetDownloadUrlForLayer",
}

// PushActions lets a principal pull and push images (sorted).
var PushActions = []string{
	"ecr:BatchCheckLayerAvailability",
	"ecr:BatchGetImage",
	"ecr:CompleteLayerUpload",
	"ecr:GetDownloadUrlForLayer",
	"ecr:InitiateLayerUpload",
	"ecr:PutImage",
	"ecr:UploadLayerPart",
}

// LambdaPullActions is what AWS documents for Lambda functions created from
// images in another account (sorted).
var LambdaPullActions = []string{
	"ecr:BatchGetImage",
	"ecr:GetDownloadUrlForLayer",
}

// DenyActions are denied to everyone outside AllowOnlyPrincipals: every ECR
// action that acts on the repository's images, per the actions table of the
// Service Authorization Reference
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html),
// including ecr:UpdateImageStorageClass (archive and restore) and
// ecr:DescribeImageSigningStatus. Sorted. Left out on purpose:
// ecr:ReplicateImage, an internal ECR action that the destination registry's
// policy authorizes for a whole source account
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-create-replication.html),
// and the repository's own settings and administration, which stay with IAM
// (StrictDenyActions covers the changes). TestDenyActionsCoverImageActions
// keeps this list in step with Actions.
var DenyActions = []string{
	"ecr:BatchCheckLayerAvailability",
	"ecr:BatchDeleteImage",
	"ecr:BatchGetImage",
	"ecr:BatchImportUpstreamImage",
	"ecr:CompleteLayerUpload",
	"ecr:DescribeImageReplicationStatus",
	"ecr:DescribeImageScanFindings",
	"ecr:DescribeImageSigningStatus",
	"ecr:DescribeImages",
	"ecr:GetDownloadUrlForLayer",
	"ecr:GetImageCopyStatus",
	"ecr:GetLifecyclePolicyPreview",
	"ecr:InitiateLayerUpload",
	"ecr:ListImages",
	"ecr:PutImage",
	"ecr:StartImageScan",
	"ecr:StartLifecyclePolicyPreview",
	"ecr:UpdateImageStorageClass",
	"ecr:UploadLayerPart",
}

// StrictDenyActions are also denied to everyone outside AllowOnlyPrincipals
// when StrictDeny is set: changes to the repository's policy and protection,
// and its deletion (sorted).
var StrictDenyActions = []string{
	"ecr:DeleteLifecyclePolicy",
	"ecr:DeleteRepository",
	"ecr:DeleteRepositoryPolicy",
	"ecr:PutImageScanningConfiguration",
	"ecr:PutImageTagMutability",
	"ecr:PutLifecyclePolicy",
	"ecr:SetRepositoryPolicy",
	"ecr:TagResource",
	"ecr:UntagResource",
}

// AuthorizationTokenAction cannot be scoped to a repository; it belongs in
// identity policies only.
const AuthorizationTokenAction = "ecr:GetAuthorizationToken"

// LambdaServicePrincipal is the service that pulls images for Lambda.
const LambdaServicePrincipal = "lambda.amazonaws.com"

// Access is one repository's access settings, already merged with defaults.
// Every value is a known plain string.
type Access struct {
	Partition             string   // "aws", "aws-cn", "aws-us-gov", ...; "" means "aws"
	PullAccountIDs        []string // 12-digit account IDs → arn:<partition>:iam::<id>:root
	PushAccountIDs        []string
	PullPrincipalArns     []string // IAM role/user ARNs (or account root ARNs)
	PushPrincipalArns     []string
	PullOrganizationIDs   []string // aws:PrincipalOrgID, e.g. o-a1b2c3d4e5
	PushOrganizationIDs   []string
	PullOrganizationPaths []string // aws:PrincipalOrgPaths, e.g. o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*
	LambdaPullAccountIDs  []string // Lambda functions in these accounts may use the images
	// AllowOnlyPrincipals are role or user ARNs or unique IDs (AROA…/AIDA…);
	// every other principal is denied DenyActions. An account root ARN is
	// refused: aws:PrincipalArn matches only the root user, not the account's
	// roles and users. Setting it requires RegistryID.
	AllowOnlyPrincipals []string
	// StrictDeny also denies StrictDenyActions (policy changes, deletion)
	// outside AllowOnlyPrincipals; the registry account's root user stays
	// able to change or delete the policy (break-glass). It needs at least one
	// ARN in AllowOnlyPrincipals.
	StrictDeny bool
	// RegistryID is the 12-digit account that owns the repository. It is
	// required when AllowOnlyPrincipals is set (a missing one is a validation
	// problem; the caller supplies it, it is not a user setting): the deny
	// statements exempt that account's service-linked roles
	// (arn:<partition>:iam::<RegistryID>:role/aws-service-role/*, e.g. Amazon
	// Inspector enhanced scanning, replication), and StrictDeny exempts its
	// root user. It is not an access setting: Empty ignores it.
	RegistryID string
	// AllowAnyAwsAccountPull lets any authenticated principal of any AWS
	// account pull (Principal "*", no condition). It is not anonymous access,
	// but IAM Access Analyzer reports the repository as public
	// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html);
	// Amazon ECR Public is the service for public images. It relaxes nothing else: custom
	// statements with Principal "*" still need a condition that limits the
	// caller, and a raw Policy may then carry an unconditioned "*" Allow only
	// for PullActions.
	AllowAnyAwsAccountPull bool
	PolicyStatements       []string // extra statements, each a JSON object, after the generated ones
	Policy                 string   // a complete document that replaces the generated one
}

// Empty reports whether no access setting is given: the component then creates
// no RepositoryPolicy. Partition is not an access setting.
func (a Access) Empty() bool {
	return len(a.PullAccountIDs) == 0 && len(a.PushAccountIDs) == 0 &&
		len(a.PullPrincipalArns) == 0 && len(a.PushPrincipalArns) == 0 &&
		len(a.PullOrganizationIDs) == 0 && len(a.PushOrganizationIDs) == 0 &&
		len(a.PullOrganizationPaths) == 0 && len(a.LambdaPullAccountIDs) == 0 &&
		len(a.AllowOnlyPrincipals) == 0 && !a.StrictDeny && !a.AllowAnyAwsAccountPull &&
		len(a.PolicyStatements) == 0 && a.Policy == ""
}

// RepositoryPolicy returns the canonical repository policy, or "" when a is
// Empty. It validates a first and returns every problem as one error; a policy
// longer than MaxRepositoryPolicyLength is an error naming both lengths.
func RepositoryPolicy(a Access) (string, error) {
	if a.Empty() {
		return "", nil
	}
	if err := a.validateFields(validate.Under("")).Err("repository access"); err != nil {
		return "", err
	}
	doc, err := a.build()
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(doc); n > MaxRepositoryPolicyLength {
		return "", fmt.Errorf("%s", lengthMessage(n))
	}
	return doc, nil
}

func lengthMessage(n int) string {
	return fmt.Sprintf("the repository policy would be %d characters long, but ECR accepts at most %d (MaxRepositoryPolicyLength): grant whole accounts or organizations instead of many principals, or shorten the custom statements", n, MaxRepositoryPolicyLength)
}

// build assembles and canonicalizes the document. It assumes validated input
// but never panics on anything else.
func (a Access) build() (string, error) {
	partition := partitionOrDefault(a.Partition)
	if a.Policy != "" {
		v, err := parseJSON(a.Policy)
		if err != nil {
			return "", fmt.Errorf("policy: %w", err)
		}
		if m, ok := v.(map[string]any); ok {
			if list, err := statementList(m["Statement"]); err == nil {
				for _, s := range list {
					dropResourceStar(s)
				}
			}
		}
		doc, err := canonicalDocument(v, partition)
		if err != nil {
			return "", fmt.Errorf("policy: %w", err)
		}
		return doc, nil
	}

	stmts := a.generated(partition)
	for i, s := range a.PolicyStatements {
		v, err := parseJSON(s)
		if err != nil {
			return "", fmt.Errorf("policyStatements[%d]: %w", i, err)
		}
		if m, ok := v.(map[string]any); ok {
			dropResourceStar(m)
		}
		stmts = append(stmts, v)
	}
	doc := map[string]any{"Version": "2012-10-17", "Statement": stmts}
	return canonicalDocument(doc, partition)
}

// dropResourceStar removes "Resource": "*" from a parsed statement: AWS's
// repository policy examples carry it
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html),
// it says nothing in a repository policy, and the generated text never has a
// Resource.
func dropResourceStar(stmt map[string]any) {
	if isResourceStar(stmt["Resource"]) {
		delete(stmt, "Resource")
	}
}

// generated returns the generated statements in their fixed order.
func (a Access) generated(partition string) []any {
	var stmts []any
	add := func(s map[string]any) { stmts = append(stmts, s) }
	root := func(ids []string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = accountRoot(partition, id)
		}
		return out
	}

	push := append(root(a.PushAccountIDs), a.PushPrincipalArns...)
	pushSet := map[string]bool{}
	for _, p := range push {
		pushSet[p] = true
	}
	var pull []string
	for _, p := range append(root(a.PullAccountIDs), a.PullPrincipalArns...) {
		if !pushSet[p] {
			pull = append(pull, p)
		}
	}

	if len(pull) > 0 {
		add(allow(SidAllowPull, awsPrincipal(pull), PullActions, nil))
	}
	if len(push) > 0 {
		add(allow(SidAllowPush, awsPrincipal(push), PushActions, nil))
	}
	if len(a.PullOrganizationIDs) > 0 {
		add(allow(SidAllowPullByOrganization, "*", PullActions,
			condition("StringEquals", "aws:PrincipalOrgID", a.PullOrganizationIDs)))
	}
	if len(a.PushOrganizationIDs) > 0 {
		add(allow(SidAllowPushByOrganization, "*", PushActions,
			condition("StringEquals", "aws:PrincipalOrgID", a.PushOrganizationIDs)))
	}
	if len(a.PullOrganizationPaths) > 0 {
		add(allow(SidAllowPullByOrganizationPath, "*", PullActions,
			condition("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", a.PullOrganizationPaths)))
	}
	if len(a.LambdaPullAccountIDs) > 0 {
		add(allow(SidAllowLambdaAccountPull, awsPrincipal(root(a.LambdaPullAccountIDs)), LambdaPullActions, nil))
		arns := make([]string, len(a.LambdaPullAccountIDs))
		for i, id := range a.LambdaPullAccountIDs {
			arns[i] = lambdaFunctionsArn(partition, id)
		}
		add(allow(SidAllowLambdaPull, map[string]any{"Service": LambdaServicePrincipal}, LambdaPullActions,
			condition("StringLike", "aws:SourceArn", arns)))
	}
	if a.AllowAnyAwsAccountPull {
		add(allow(SidAllowAnyAwsAccountPull, "*", PullActions, nil))
	}
	if len(a.AllowOnlyPrincipals) > 0 {
		var exempt []string
		if a.RegistryID != "" {
			exempt = append(exempt, serviceLinkedRoles(partition, a.RegistryID))
		}
		add(deny(SidDenyOutsideAllowOnly, DenyActions, a.denyCondition(exempt)))
		if a.StrictDeny {
			if a.RegistryID != "" {
				exempt = append(exempt, accountRoot(partition, a.RegistryID))
			}
			add(deny(SidDenyChangesOutsideAllowOnly, StrictDenyActions, a.denyCondition(exempt)))
		}
	}
	return stmts
}

// denyCondition exempts the AllowOnlyPrincipals (by ARN or by unique ID),
// the extra ARN patterns and AWS service principals; see the package
// documentation for why one block.
func (a Access) denyCondition(extraArns []string) map[string]any {
	var arns, ids []string
	for _, p := range a.AllowOnlyPrincipals {
		switch {
		case strings.HasPrefix(p, "AROA"):
			ids = append(ids, p+":*")
		case strings.HasPrefix(p, "AIDA"):
			ids = append(ids, p)
		default:
			arns = append(arns, p)
		}
	}
	arns = append(arns, extraArns...)
	cond := map[string]any{
		"BoolIfExists": map[string]any{"aws:PrincipalIsAWSService": "false"},
	}
	if len(arns) > 0 {
		cond["ArnNotLike"] = map[string]any{"aws:PrincipalArn": anyList(arns)}
	}
	if len(ids) > 0 {
		cond["StringNotLike"] = map[string]any{"aws:userid": anyList(ids)}
	}
	return cond
}

// serviceLinkedRoles matches every service-linked role of an account: IAM
// creates them under the path /aws-service-role/<service principal>/
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html).
func serviceLinkedRoles(partition, account string) string {
	return "arn:" + partition + ":iam::" + account + ":role/aws-service-role/*"
}

func lambdaFunctionsArn(partition, account string) string {
	return "arn:" + partition + ":lambda:*:" + account + ":function:*"
}

func allow(sid string, principal any, actions []string, cond map[string]any) map[string]any {
	s := map[string]any{"Sid": sid, "Effect": "Allow", "Principal": principal, "Action": anyList(actions)}
	if cond != nil {
		s["Condition"] = cond
	}
	return s
}

func deny(sid string, actions []string, cond map[string]any) map[string]any {
	return map[string]any{"Sid": sid, "Effect": "Deny", "Principal": "*", "Action": anyList(actions), "Condition": cond}
}

func awsPrincipal(values []string) map[string]any {
	return map[string]any{"AWS": anyList(values)}
}

func condition(op, key string, values []string) map[string]any {
	return map[string]any{op: map[string]any{key: anyList(values)}}
}

func anyList(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}
