package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// MaxRepositoryPolicyLength is the largest RepositoryPolicyText ECR accepts,
// in characters (ECR API model, aws-ecr-constraints.md §1.4).
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
	SidAllowPublicPull             = "AllowPublicPull"
	SidDenyOutsideAllowOnly        = "DenyOutsideAllowOnlyPrincipals"
	SidDenyChangesOutsideAllowOnly = "DenyPolicyChangesOutsideAllowOnlyPrincipals"
)

// GeneratedSids lists the Sids above in statement order; custom statements may
// not reuse them.
var GeneratedSids = []string{
	SidAllowPull, SidAllowPush, SidAllowPullByOrganization, SidAllowPushByOrganization,
	SidAllowPullByOrganizationPath, SidAllowLambdaAccountPull, SidAllowLambdaPull,
	SidAllowPublicPull, SidDenyOutsideAllowOnly, SidDenyChangesOutsideAllowOnly,
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
// action on the repository's images (sorted). See the package documentation.
var DenyActions = []string{
	"ecr:BatchCheckLayerAvailability",
	"ecr:BatchDeleteImage",
	"ecr:BatchGetImage",
	"ecr:BatchImportUpstreamImage",
	"ecr:CompleteLayerUpload",
	"ecr:DescribeImageReplicationStatus",
	"ecr:DescribeImageScanFindings",
	"ecr:DescribeImages",
	"ecr:GetDownloadUrlForLayer",
	"ecr:GetLifecyclePolicyPreview",
	"ecr:InitiateLayerUpload",
	"ecr:ListImages",
	"ecr:PutImage",
	"ecr:StartImageScan",
	"ecr:StartLifecyclePolicyPreview",
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
	AllowOnlyPrincipals   []string // principal ARNs or unique IDs (AROA…/AIDA…); all others are denied
	StrictDeny            bool     // also deny policy changes and deletion outside AllowOnlyPrincipals
	AllowPublicPull       bool     // Principal "*" may pull; permits "*" principals in custom statements
	PolicyStatements      []string // extra statements, each a JSON object, after the generated ones
	Policy                string   // a complete document that replaces the generated one
}

// Empty reports whether no access setting is given: the component then creates
// no RepositoryPolicy. Partition is not an access setting.
func (a Access) Empty() bool {
	return len(a.PullAccountIDs) == 0 && len(a.PushAccountIDs) == 0 &&
		len(a.PullPrincipalArns) == 0 && len(a.PushPrincipalArns) == 0 &&
		len(a.PullOrganizationIDs) == 0 && len(a.PushOrganizationIDs) == 0 &&
		len(a.PullOrganizationPaths) == 0 && len(a.LambdaPullAccountIDs) == 0 &&
		len(a.AllowOnlyPrincipals) == 0 && !a.StrictDeny && !a.AllowPublicPull &&
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
		stmts = append(stmts, v)
	}
	doc := map[string]any{"Version": "2012-10-17", "Statement": stmts}
	return canonicalDocument(doc, partition)
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
	if a.AllowPublicPull {
		add(allow(SidAllowPublicPull, "*", PullActions, nil))
	}
	if len(a.AllowOnlyPrincipals) > 0 {
		cond := a.denyCondition()
		add(deny(SidDenyOutsideAllowOnly, DenyActions, cond))
		if a.StrictDeny {
			add(deny(SidDenyChangesOutsideAllowOnly, StrictDenyActions, cond))
		}
	}
	return stmts
}

// denyCondition exempts the AllowOnlyPrincipals (by ARN or by unique ID) and
// AWS service principals; see the package documentation for why one block.
func (a Access) denyCondition() map[string]any {
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

// IdentityPolicy returns the canonical IAM identity policy that lets a
// principal perform actions on the given repositories, plus
// ecr:GetAuthorizationToken on "*" (it cannot be scoped to a repository), as
// CDK's grantPull/grantPush do. With no repositories or no other actions only
// the token statement is written. Pass PullActions or PushActions for the
// usual grants.
func IdentityPolicy(actions []string, repositoryArns []string) string {
	var scoped []string
	for _, act := range actions {
		if !strings.EqualFold(act, AuthorizationTokenAction) {
			scoped = append(scoped, act)
		}
	}
	var stmts []any
	if len(scoped) > 0 && len(repositoryArns) > 0 {
		stmts = append(stmts, map[string]any{
			"Sid": "RepositoryAccess", "Effect": "Allow",
			"Action": anyList(scoped), "Resource": anyList(repositoryArns),
		})
	}
	stmts = append(stmts, map[string]any{
		"Sid": "AuthorizationToken", "Effect": "Allow",
		"Action": AuthorizationTokenAction, "Resource": "*",
	})
	doc, err := canonicalDocument(map[string]any{"Version": "2012-10-17", "Statement": stmts}, DefaultPartition)
	if err != nil {
		panic("policy: identity policy: " + err.Error()) // built from strings only; cannot fail
	}
	return doc
}
