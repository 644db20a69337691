package policy

import (
	"bytes"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxManagedPolicyLength is the largest IAM managed policy document, in
// characters; IAM does not count white space, and the canonical text has none
// outside strings (IAM and AWS STS quotas,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
const MaxManagedPolicyLength = 6144

// Statement IDs of the identity policies.
const (
	sidRepositoryAccess   = "RepositoryAccess"
	sidAuthorizationToken = "AuthorizationToken"
)

// IdentityPolicy returns the canonical IAM identity policy that lets a
// principal perform actions on the given repositories, plus
// ecr:GetAuthorizationToken on "*" (it cannot be scoped to a repository), as
// CDK's grantPull/grantPullPush do. With no repositories or no other actions
// only the token statement is written. Pass PullActions or PushActions for
// the usual grants. Each repository adds its ARN (about 70 characters), so
// past some 80 repositories the document no longer fits an IAM managed policy
// (MaxManagedPolicyLength); IdentityPolicies splits it.
func IdentityPolicy(actions []string, repositoryArns []string) string {
	return identityDocument(scopedActions(actions), repositoryArns)
}

// IdentityPolicies grants what IdentityPolicy grants, split into as few
// documents as a split of the sorted ARNs allows, each at most
// MaxManagedPolicyLength characters so it can be attached as an IAM managed
// policy. Every document is self-contained: its RepositoryAccess statement
// (all the actions on its share of the repositories) and the
// AuthorizationToken statement. The repository ARNs are sorted and
// de-duplicated, and each lands in exactly one document, as given: no ARN is
// widened to a wildcard, which could match repositories outside the registry.
// The result depends only on the set of actions and the set of ARNs.
//
// With no repositories or no repository actions it returns the one
// token-only document. An ARN too long to fit a document even alone (not a
// real ECR ARN: repository names have at most 256 characters) gets a document
// of its own, which is then over the limit.
func IdentityPolicies(actions []string, repositoryArns []string) []string {
	scoped := scopedActions(actions)
	arns := sortedUnique(repositoryArns)
	if len(scoped) == 0 || len(arns) == 0 {
		return []string{identityDocument(scoped, nil)}
	}
	// The length of a document whose Resource is an empty list; each ARN adds
	// its quoted length and a comma (one ARN is written without the brackets,
	// so this overestimates that case by two characters).
	base := characters(identityDocument(scoped, []string{"a", "b"})) - 2*len(`"a"`) - len(",")
	var docs []string
	var chunk []string
	size := base
	flush := func() {
		docs = append(docs, identityDocuments(scoped, chunk)...)
		chunk, size = nil, base
	}
	for _, arn := range arns {
		add := quotedLength(arn)
		if len(chunk) > 0 {
			add++ // the comma
		}
		if len(chunk) > 0 && size+add > MaxManagedPolicyLength {
			flush()
			add = quotedLength(arn)
		}
		chunk = append(chunk, arn)
		size += add
	}
	flush()
	return docs
}

// identityDocuments writes one chunk of ARNs, halving it should it ever come
// out over the limit, so the bound holds whatever the estimate says.
func identityDocuments(scoped, arns []string) []string {
	doc := identityDocument(scoped, arns)
	if len(arns) < 2 || characters(doc) <= MaxManagedPolicyLength {
		return []string{doc}
	}
	half := len(arns) / 2
	return append(identityDocuments(scoped, arns[:half]), identityDocuments(scoped, arns[half:])...)
}

func identityDocument(scoped, repositoryArns []string) string {
	var stmts []any
	if len(scoped) > 0 && len(repositoryArns) > 0 {
		stmts = append(stmts, map[string]any{
			"Sid": sidRepositoryAccess, "Effect": "Allow",
			"Action": anyList(scoped), "Resource": anyList(repositoryArns),
		})
	}
	stmts = append(stmts, map[string]any{
		"Sid": sidAuthorizationToken, "Effect": "Allow",
		"Action": AuthorizationTokenAction, "Resource": "*",
	})
	doc, err := canonicalDocument(map[string]any{"Version": "2012-10-17", "Statement": stmts}, DefaultPartition)
	if err != nil {
		panic("policy: identity policy: " + err.Error()) // built from strings only; cannot fail
	}
	return doc
}

// scopedActions drops ecr:GetAuthorizationToken, which has its own statement.
func scopedActions(actions []string) []string {
	var scoped []string
	for _, act := range actions {
		if !strings.EqualFold(act, AuthorizationTokenAction) {
			scoped = append(scoped, act)
		}
	}
	return scoped
}

func sortedUnique(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	n := 0
	for i, s := range out {
		if i == 0 || s != out[n-1] {
			out[n] = s
			n++
		}
	}
	return out[:n]
}

// characters counts what IAM counts: characters, white space excluded.
func characters(doc string) int {
	n := 0
	for _, r := range doc {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			n++
		}
	}
	return n
}

// quotedLength is the length in characters of s written as a JSON string.
func quotedLength(s string) int {
	var b bytes.Buffer
	writeString(&b, s)
	return utf8.RuneCount(b.Bytes())
}

// RepositoryArnPattern matches an ECR repository ARN in any partition.
var RepositoryArnPattern = regexp.MustCompile(`^arn:aws(?:-[a-z]+)*:ecr:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:repository/(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)
