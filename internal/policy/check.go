package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Field names, as they appear in paths (the component's argument names).
const (
	fieldPartition              = "partition"
	fieldPullAccountIDs         = "pullAccountIds"
	fieldPushAccountIDs         = "pushAccountIds"
	fieldPullPrincipalArns      = "pullPrincipalArns"
	fieldPushPrincipalArns      = "pushPrincipalArns"
	fieldPullOrganizationIDs    = "pullOrganizationIds"
	fieldPushOrganizationIDs    = "pushOrganizationIds"
	fieldPullOrganizationPaths  = "pullOrganizationPaths"
	fieldLambdaPullAccountIDs   = "lambdaPullAccountIds"
	fieldAllowOnlyPrincipals    = "allowOnlyPrincipals"
	fieldStrictDeny             = "strictDeny"
	fieldAllowAnyAwsAccountPull = "allowAnyAwsAccountPull"
	fieldPolicyStatements       = "policyStatements"
	fieldPolicy                 = "policy"
	// registryId is not a user setting: the caller fills Access.RegistryID
	// with the repository's account; problems with it are reported here.
	fieldRegistryID = "registryId"
)

// Partitions lists the partitions accepted in Partition and in ARNs.
var Partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

var (
	partitionAlt = `aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc`
	// arn:<partition>:<service>::<account>:<resource>, IAM and STS have no region.
	principalArnRe = regexp.MustCompile(`^arn:(` + partitionAlt + `):(iam|sts)::([0-9]{12}):(.+)$`)
	// A role or user name: IAM's character set, 1 to 64 characters.
	iamNameRe = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	// A path segment: printable ASCII except '/' (IAM path characters).
	iamPathSegmentRe = regexp.MustCompile(`^[\x21-\x2E\x30-\x7E]+$`)
	stsFederatedRe   = regexp.MustCompile(`^federated-user/[\w+=,.@-]{2,32}$`)
	uniqueIDRe       = regexp.MustCompile(`^(AROA|AIDA)[A-Z0-9]{12,124}$`)
	// AWS Organizations ID syntax (Organizations API reference).
	organizationIDRe = regexp.MustCompile(`^o-[a-z0-9]{10,32}$`)
	// An entity path down to a root or OU, ending in "/" or "/*":
	// o-…/r-…/[ou-…/]…[*]
	organizationPathRe = regexp.MustCompile(`^o-[a-z0-9]{10,32}/r-[0-9a-z]{4,32}/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/)*\*?$`)
	// An ECR action or pattern; IAM compares action names case-insensitively.
	ecrActionRe = regexp.MustCompile(`^(?i:ecr):[A-Za-z*?]+$`)
)

// Validate returns every problem with a, each at the path the locator gives
// for its field (at("pullAccountIds")+"[0]"; at("") for the whole policy).
// Warnings (Problem.Warning) never fail validation. When there is no error it
// also checks the length of the canonical policy. Empty access has no
// problems, whatever its Partition.
func (a Access) Validate(at validate.Locator) validate.Problems {
	_, ps := a.Document(at)
	return ps
}

// Document validates a once, as Validate does, and returns the canonical
// repository policy with the problems: "" when there are errors or a is
// Empty. It is what a caller that needs both calls, so the settings are
// checked and the document built once.
func (a Access) Document(at validate.Locator) (string, validate.Problems) {
	if a.Empty() {
		return "", nil // no policy is created, so there is nothing to check
	}
	ps := a.validateFields(at)
	if len(ps.Errors()) > 0 {
		return "", ps
	}
	doc, err := a.build()
	where := at("")
	if a.Policy != "" {
		where = at(fieldPolicy)
	}
	switch {
	case err != nil:
		ps.Addf(where, "must produce a valid repository policy: %v", err)
		return "", ps
	case utf8.RuneCountInString(doc) > MaxRepositoryPolicyLength:
		ps.Addf(where, "%s", lengthMessage(utf8.RuneCountInString(doc)))
		return "", ps
	}
	return doc, ps
}

// ValidateFields checks every rule except the length of the finished
// document, without building it: the cheap check for settings whose document
// is built later (when the partition and account are known).
func (a Access) ValidateFields(at validate.Locator) validate.Problems {
	if a.Empty() {
		return nil
	}
	return a.validateFields(at)
}

// validateFields checks every rule except the final length.
func (a Access) validateFields(at validate.Locator) validate.Problems {
	var ps validate.Problems
	field := at
	item := func(name string, i int) string { return fmt.Sprintf("%s[%d]", field(name), i) }

	partition := a.Partition
	if partition != "" {
		ps.Add(validate.OneOf(field(fieldPartition), partition, Partitions...)...)
	}
	partition = partitionOrDefault(partition)

	for _, l := range []struct {
		name string
		ids  []string
	}{
		{fieldPullAccountIDs, a.PullAccountIDs},
		{fieldPushAccountIDs, a.PushAccountIDs},
		{fieldLambdaPullAccountIDs, a.LambdaPullAccountIDs},
	} {
		for i, id := range l.ids {
			if !accountIDRe.MatchString(id) {
				ps.Addf(item(l.name, i), "must be a 12-digit AWS account ID, got %q", id)
			}
		}
	}
	for _, l := range []struct {
		name string
		arns []string
	}{
		{fieldPullPrincipalArns, a.PullPrincipalArns},
		{fieldPushPrincipalArns, a.PushPrincipalArns},
	} {
		for i, arn := range l.arns {
			ps.Add(checkPrincipalArn(item(l.name, i), arn, partition)...)
		}
	}
	for _, l := range []struct {
		name string
		ids  []string
	}{
		{fieldPullOrganizationIDs, a.PullOrganizationIDs},
		{fieldPushOrganizationIDs, a.PushOrganizationIDs},
	} {
		for i, id := range l.ids {
			if !organizationIDRe.MatchString(id) {
				ps.Addf(item(l.name, i), "must be an AWS Organizations ID matching %s (o- and 10 to 32 lowercase letters or digits), got %q", organizationIDRe, id)
			}
		}
	}
	for i, p := range a.PullOrganizationPaths {
		if !organizationPathRe.MatchString(p) {
			ps.Addf(item(fieldPullOrganizationPaths, i), "must be an AWS Organizations entity path down to a root or OU, ending in \"/\" or \"/*\", like o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/* (for a whole organization use %s), got %q", fieldPullOrganizationIDs, p)
		}
	}
	for i, p := range a.AllowOnlyPrincipals {
		ps.Add(checkAllowOnly(item(fieldAllowOnlyPrincipals, i), p, partition)...)
	}
	switch {
	case a.RegistryID != "" && !accountIDRe.MatchString(a.RegistryID):
		ps.Addf(field(fieldRegistryID), "must be the 12-digit ID of the AWS account that owns the repository, got %q", a.RegistryID)
	case a.RegistryID == "" && len(a.AllowOnlyPrincipals) > 0:
		ps.Addf(field(fieldRegistryID), "the account that owns the repository (Access.RegistryID, supplied by the caller) is required with %s: the deny statements exempt that account's service-linked roles (arn:%s:iam::<registryId>:role/aws-service-role/*, such as Amazon Inspector's), and strictDeny its root user", field(fieldAllowOnlyPrincipals), partition)
	}

	if a.StrictDeny && len(a.AllowOnlyPrincipals) == 0 {
		ps.Addf(field(fieldStrictDeny), "strictDeny needs %s: it denies policy changes and deletion to everyone outside that list, and the list is empty", field(fieldAllowOnlyPrincipals))
	}
	if a.StrictDeny && len(a.AllowOnlyPrincipals) > 0 && onlyUniqueIDs(a.AllowOnlyPrincipals) {
		ps.Addf(field(fieldStrictDeny), "strictDeny needs at least one role or user ARN in %s, which holds unique IDs only: a role or user that is deleted and created again gets a new unique ID, and then only the account's root user could change or delete the repository policy", field(fieldAllowOnlyPrincipals))
	}
	if a.AllowAnyAwsAccountPull {
		ps.Warnf(field(fieldAllowAnyAwsAccountPull), "%s lets any authenticated principal of any AWS account pull the images (every AWS customer, though not anonymous users); IAM Access Analyzer reports the repository as public. For images meant for everyone use Amazon ECR Public; to share with known accounts use pullAccountIds, pullOrganizationIds or pullOrganizationPaths", fieldAllowAnyAwsAccountPull)
	}
	if a.AllowAnyAwsAccountPull && len(a.AllowOnlyPrincipals) > 0 && a.Policy == "" {
		ps.Addf(field(fieldAllowAnyAwsAccountPull), "%s grants pull to any authenticated principal of any AWS account, but %s denies it to everyone else; use one or the other", fieldAllowAnyAwsAccountPull, field(fieldAllowOnlyPrincipals))
	}
	ps.Add(a.checkGrantedButDenied(at)...)

	sids := map[string]string{}
	for _, s := range GeneratedSids {
		sids[s] = "a generated statement"
	}
	for i, s := range a.PolicyStatements {
		ps.Add(checkStatementText(item(fieldPolicyStatements, i), s, partition, sids)...)
	}
	if a.Policy != "" {
		if set := a.generatedFieldsSet(); len(set) > 0 {
			names := make([]string, len(set))
			for i, n := range set {
				names[i] = field(n)
			}
			ps.Addf(field(fieldPolicy), "policy replaces the generated repository policy, so it cannot be combined with %s; put those grants into the policy document or remove it", strings.Join(names, ", "))
		}
		ps.Add(checkDocument(field(fieldPolicy), a.Policy, a.AllowAnyAwsAccountPull, partition)...)
	}
	return ps
}

// generatedFieldsSet names the settings that generate statements (all except
// Partition and AllowAnyAwsAccountPull, which with Policy permits an
// unconditioned "*" Allow of PullActions in it).
func (a Access) generatedFieldsSet() []string {
	var set []string
	add := func(on bool, name string) {
		if on {
			set = append(set, name)
		}
	}
	add(len(a.PullAccountIDs) > 0, fieldPullAccountIDs)
	add(len(a.PushAccountIDs) > 0, fieldPushAccountIDs)
	add(len(a.PullPrincipalArns) > 0, fieldPullPrincipalArns)
	add(len(a.PushPrincipalArns) > 0, fieldPushPrincipalArns)
	add(len(a.PullOrganizationIDs) > 0, fieldPullOrganizationIDs)
	add(len(a.PushOrganizationIDs) > 0, fieldPushOrganizationIDs)
	add(len(a.PullOrganizationPaths) > 0, fieldPullOrganizationPaths)
	add(len(a.LambdaPullAccountIDs) > 0, fieldLambdaPullAccountIDs)
	add(len(a.AllowOnlyPrincipals) > 0, fieldAllowOnlyPrincipals)
	add(a.StrictDeny, fieldStrictDeny)
	add(len(a.PolicyStatements) > 0, fieldPolicyStatements)
	return set
}

// checkGrantedButDenied refuses grants that DenyOutsideAllowOnlyPrincipals
// would cancel. It can only decide when AllowOnlyPrincipals are all ARNs: a
// unique ID may belong to any account, so with one present nothing is checked.
func (a Access) checkGrantedButDenied(at validate.Locator) validate.Problems {
	var ps validate.Problems
	if len(a.AllowOnlyPrincipals) == 0 || a.Policy != "" {
		return nil
	}
	allowArns := map[string]bool{}
	allowAccounts := map[string]bool{} // accounts with a role or user in the list
	for _, p := range a.AllowOnlyPrincipals {
		m := principalArnRe.FindStringSubmatch(p)
		if m == nil {
			return nil // a unique ID, or invalid (reported elsewhere)
		}
		allowArns[p] = true
		if m[4] != "root" { // the root user's ARN covers the root user only
			allowAccounts[m[3]] = true
		}
	}
	allowPath := at(fieldAllowOnlyPrincipals)
	item := func(name string, i int) string { return fmt.Sprintf("%s[%d]", at(name), i) }

	for _, l := range []struct {
		name, grant string
		ids         []string
	}{
		{fieldPullAccountIDs, "pull", a.PullAccountIDs},
		{fieldPushAccountIDs, "push", a.PushAccountIDs},
		{fieldLambdaPullAccountIDs, "Lambda pull", a.LambdaPullAccountIDs},
	} {
		for i, id := range l.ids {
			if accountIDRe.MatchString(id) && !allowAccounts[id] {
				ps.Addf(item(l.name, i), "account %s is granted %s here, but %s names no principal of that account, so %s would deny all of its requests; add the account's roles or users to %s or remove the grant", id, l.grant, allowPath, SidDenyOutsideAllowOnly, allowPath)
			}
		}
	}
	for _, l := range []struct {
		name, grant string
		arns        []string
	}{
		{fieldPullPrincipalArns, "pull", a.PullPrincipalArns},
		{fieldPushPrincipalArns, "push", a.PushPrincipalArns},
	} {
		for i, arn := range l.arns {
			m := principalArnRe.FindStringSubmatch(arn)
			if m == nil || allowArns[arn] {
				continue
			}
			if m[4] == "root" {
				if !allowAccounts[m[3]] {
					ps.Addf(item(l.name, i), "account %s is granted %s here, but %s names no principal of that account, so %s would deny all of its requests; add the account's roles or users to %s or remove the grant", m[3], l.grant, allowPath, SidDenyOutsideAllowOnly, allowPath)
				}
				continue
			}
			ps.Addf(item(l.name, i), "%s is granted %s here but is not in %s, so %s would deny it; add it to %s or remove the grant", arn, l.grant, allowPath, SidDenyOutsideAllowOnly, allowPath)
		}
	}
	return ps
}

// checkPrincipalArn accepts an IAM role, user or account-root ARN (and an STS
// federated-user ARN) in the repository's partition.
func checkPrincipalArn(path, arn, partition string) validate.Problems {
	var ps validate.Problems
	if strings.ContainsAny(arn, "*?") {
		ps.Addf(path, "must be a principal ARN without wildcards (IAM does not match wildcards in a Principal), got %q", arn)
		return ps
	}
	m := principalArnRe.FindStringSubmatch(arn)
	if m == nil {
		ps.Addf(path, "must be an IAM principal ARN such as arn:aws:iam::123456789012:role/name, arn:aws:iam::123456789012:user/name or arn:aws:iam::123456789012:root (partition %s, a 12-digit account), got %q", strings.Join(Partitions, "|"), arn)
		return ps
	}
	argPartition, service, account, resource := m[1], m[2], m[3], m[4]
	if service == "sts" {
		if after, ok := strings.CutPrefix(resource, "assumed-role/"); ok {
			role, _, _ := strings.Cut(after, "/")
			ps.Addf(path, "is an STS assumed-role session ARN; use the role ARN arn:%s:iam::%s:role/%s (with the role's path, if it has one): IAM stores session principals differently from how they were written, so every update would show a change (terraform-aws-modules/terraform-aws-ecr#26), got %q", argPartition, account, role, arn)
			return ps
		}
		if !stsFederatedRe.MatchString(resource) {
			ps.Addf(path, "must be an IAM role, user or root ARN; the only STS principal accepted is federated-user/<name>, got %q", arn)
			return ps
		}
	} else if !validIAMResource(resource) {
		ps.Addf(path, "must name an IAM role (role/[path/]name), user (user/[path/]name) or the account root (root), with names of 1 to 64 characters from letters, digits and +=,.@_-, got %q", arn)
		return ps
	}
	if argPartition != partition {
		ps.Addf(path, "must be in the repository's partition %q: principals cannot be granted across partitions, got %q", partition, arn)
	}
	return ps
}

func validIAMResource(resource string) bool {
	if resource == "root" {
		return true
	}
	parts := strings.Split(resource, "/")
	if len(parts) < 2 || (parts[0] != "role" && parts[0] != "user") {
		return false
	}
	if !iamNameRe.MatchString(parts[len(parts)-1]) {
		return false
	}
	for _, seg := range parts[1 : len(parts)-1] {
		if !iamPathSegmentRe.MatchString(seg) {
			return false
		}
	}
	return true
}

func checkAllowOnly(path, p, partition string) validate.Problems {
	if strings.HasPrefix(p, "arn:") {
		ps := checkPrincipalArn(path, p, partition)
		if m := principalArnRe.FindStringSubmatch(p); len(ps) == 0 && m != nil && m[4] == "root" {
			ps.Addf(path, "is the root user of account %s: aws:PrincipalArn matches only the root user, so every role and user of that account would be denied; list the account's roles or users (or their unique IDs) instead, got %q", m[3], p)
		}
		return ps
	}
	var ps validate.Problems
	if !uniqueIDRe.MatchString(p) {
		ps.Addf(path, "must be an IAM role or user ARN (arn:<partition>:iam::<account>:role/<name>) or an IAM unique ID of a role (AROA…) or user (AIDA…) matching %s, got %q", uniqueIDRe, p)
	}
	return ps
}

// statementRules says where a statement comes from: a custom statement
// (policyStatements) or a statement of a raw policy document, which alone may
// use AllowAnyAwsAccountPull.
type statementRules struct {
	partition string
	sids      map[string]string // Sids seen so far, mapped to where they came from
	raw       bool              // a statement of a raw policy document
	// anyAccountPull: a raw policy with AllowAnyAwsAccountPull set may grant
	// PullActions to Principal "*" without a condition.
	anyAccountPull bool
}

// anyAccountHint says what AllowAnyAwsAccountPull does for this statement.
func (r statementRules) anyAccountHint() string {
	if !r.raw {
		return fieldAllowAnyAwsAccountPull + " does not lift this for custom statements"
	}
	return fmt.Sprintf("only a statement whose Action is exactly some of %s may do without one, and only with %s set", strings.Join(PullActions, ", "), fieldAllowAnyAwsAccountPull)
}

// onlyUniqueIDs reports whether a list of principals holds no ARN.
func onlyUniqueIDs(principals []string) bool {
	for _, p := range principals {
		if strings.HasPrefix(p, "arn:") {
			return false
		}
	}
	return true
}

// checkStatementText checks one custom statement. sids collects the Sids seen
// so far, mapped to where they came from. AllowAnyAwsAccountPull never
// relaxes a custom statement.
func checkStatementText(path, text, partition string, sids map[string]string) validate.Problems {
	var ps validate.Problems
	v, err := parseJSON(text)
	if err != nil {
		ps.Addf(path, "must be one IAM policy statement as a JSON object: %v", err)
		return ps
	}
	m, ok := v.(map[string]any)
	if !ok {
		ps.Addf(path, "must be one IAM policy statement as a JSON object, got %s", jsonKind(v))
		return ps
	}
	return checkStatement(path, m, statementRules{partition: partition, sids: sids})
}

var statementKeys = map[string]bool{
	"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true,
	"Action": true, "NotAction": true, "Condition": true,
}

// callerLimitingKeys are the global condition keys that narrow who may call:
// the caller's organization, account, ARN or user ID, or (for a service
// acting on someone's behalf) the account or resource it acts for (IAM global
// condition context keys,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
// Compared case-insensitively, as IAM compares key names.
var callerLimitingKeys = []string{
	"aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
	"aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:userid",
}

// limitingOperators match only when the key is present and equal to, or
// like, one of the values. Negated operators (StringNotEquals…), …IfExists
// (true when the key is absent), ForAllValues: (true for an absent key) and
// Null match callers outside the values, so they limit nothing.
var limitingOperators = []string{"StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike"}

// conditionLimits reports whether a Condition holds one of keys under a
// limiting operator (optionally with the ForAnyValue: set prefix), with
// values that are not all wildcards. IAM ANDs the entries of a Condition, so
// one such entry limits the whole statement.
func conditionLimits(cond any, keys []string) bool {
	ops, ok := cond.(map[string]any)
	if !ok {
		return false
	}
	for op, entries := range ops {
		base := op
		if len(base) > len("ForAnyValue:") && strings.EqualFold(base[:len("ForAnyValue:")], "ForAnyValue:") {
			base = base[len("ForAnyValue:"):]
		}
		if !containsFold(limitingOperators, base) {
			continue
		}
		kv, ok := entries.(map[string]any)
		if !ok {
			continue
		}
		for k, v := range kv {
			if containsFold(keys, k) && specificValues(v) {
				return true
			}
		}
	}
	return false
}

// specificValues reports whether every value of a condition key names
// something: a value of only * and ? matches every caller.
func specificValues(v any) bool {
	var values []any
	switch t := v.(type) {
	case []any:
		values = t
	default:
		values = []any{t}
	}
	if len(values) == 0 {
		return false
	}
	for _, e := range values {
		s, ok := scalarString(e)
		if !ok || strings.Trim(s, "*?") == "" {
			return false
		}
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// The elements every resource policy statement shares (repository and
// registry policies alike), checked the same way for both.

// checkSid records a statement's Sid in sids (Sid to the path that used it),
// refusing one already used.
func checkSid(path string, m map[string]any, sids map[string]string) validate.Problems {
	sid, present := m["Sid"]
	if !present {
		return nil
	}
	var ps validate.Problems
	s, ok := sid.(string)
	switch {
	case !ok:
		ps.Addf(path, "Sid must be a string, got %s", jsonKind(sid))
	case s == "":
	case sids[s] != "":
		ps.Addf(path, "Sid %q is already used by %s; statement IDs must be unique", s, sids[s])
	default:
		sids[s] = path
	}
	return ps
}

// checkEffect returns the statement's Effect, adding a problem unless it is
// Allow or Deny.
func checkEffect(path string, m map[string]any, ps *validate.Problems) string {
	effect, _ := m["Effect"].(string)
	if effect != "Allow" && effect != "Deny" {
		got := "nothing"
		if e, present := m["Effect"]; present {
			got = jsonKind(e)
		}
		ps.Addf(path, "must have \"Effect\": \"Allow\" or \"Deny\", got %s", got)
	}
	return effect
}

// exclusiveElement returns which of key and notKey (Action and NotAction,
// Principal and NotPrincipal) the statement has, or "" with a problem when
// it has both or neither; expected says what key should hold.
func exclusiveElement(path string, m map[string]any, key, notKey, expected string, ps *validate.Problems) string {
	_, has := m[key]
	_, hasNot := m[notKey]
	switch {
	case has && hasNot:
		ps.Addf(path, "must have either %s or %s, not both", key, notKey)
	case !has && !hasNot:
		ps.Addf(path, "must have %q: %s", key, expected)
	case hasNot:
		return notKey
	default:
		return key
	}
	return ""
}

// checkPrincipalElement checks Principal or NotPrincipal of a statement of a
// policyKind policy and reports whether it has a Principal.
func checkPrincipalElement(path string, m map[string]any, policyKind, effect, partition string, ps *validate.Problems) bool {
	if key := exclusiveElement(path, m, "Principal", "NotPrincipal",
		"a "+policyKind+" is a resource policy, so each statement names who it applies to", ps); key != "" {
		ps.Add(checkPrincipal(path, key, m[key], partition)...)
	}
	if _, hasNP := m["NotPrincipal"]; effect == "Allow" && hasNP {
		ps.Addf(path, "NotPrincipal with Allow grants every principal except those listed; use Principal (IAM policy elements: NotPrincipal, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html)")
	}
	_, hasP := m["Principal"]
	return hasP
}

func checkStatement(path string, m map[string]any, r statementRules) validate.Problems {
	var ps validate.Problems
	for _, k := range sortedKeys(m) {
		switch {
		case k == "Resource":
			if !isResourceStar(m[k]) {
				ps.Addf(path, "Resource must be \"*\" or left out, got %s: a repository policy applies only to its own repository, and ECR rejects a statement whose Resource names ARNs as \"Invalid repository policy provided\" (aws/aws-cdk#24314); AWS's repository policy examples write \"*\", which is dropped from the generated text", jsonKind(m[k]))
			}
		case k == "NotResource":
			ps.Addf(path, "must not have \"NotResource\": a repository policy applies only to its own repository, so there is nothing to exclude, and ECR rejects statements with a resource element other than \"*\" (aws/aws-cdk#24314)")
		case !statementKeys[k]:
			ps.Addf(path, "has unknown element %q; a repository policy statement has Sid, Effect, Principal or NotPrincipal, Action or NotAction, and Condition", k)
		}
	}

	ps.Add(checkSid(path, m, r.sids)...)
	effect := checkEffect(path, m, &ps)
	if key := exclusiveElement(path, m, "Action", "NotAction", "an ECR action such as \"ecr:BatchGetImage\" or a list of them", &ps); key != "" {
		ps.Add(checkActions(path, key, m[key])...)
	}
	hasP := checkPrincipalElement(path, m, "repository policy", effect, r.partition, &ps)

	cond, hasCond := m["Condition"]
	if hasCond {
		if _, err := normalizeCondition(cond); err != nil {
			ps.Addf(path, "Condition %v", err)
		}
	}
	if services := servicePrincipals(m["Principal"]); effect == "Allow" && hasP && len(services) > 0 && !conditionLimits(cond, sourceKeys) {
		ps.Addf(path, "allows the service principal %s without an aws:SourceAccount or aws:SourceArn condition, so the service could use the grant for any resource of any AWS account (the confused deputy problem, https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html); add StringEquals aws:SourceAccount with your account ID or ArnLike aws:SourceArn with the resource's ARN, as AWS's CodeBuild example does (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html)",
			strings.Join(services, ", "))
	}
	if effect == "Allow" && hasP && isEveryone(m["Principal"]) && !conditionLimits(cond, callerLimitingKeys) &&
		(!r.anyAccountPull || !onlyPullActions(m)) {
		ps.Addf(path, "allows Principal \"*\" (any authenticated principal of any AWS account) without a Condition that limits the caller; add one on %s with StringEquals, StringLike, ArnEquals or ArnLike (other keys such as aws:SecureTransport, and Not…, …IfExists, ForAllValues: or Null operators, do not limit who calls); %s",
			strings.Join(callerLimitingKeys, ", "), r.anyAccountHint())
	}
	return ps
}

// sourceKeys are the keys that tie a service's request to the account or
// resource it acts for (confused deputy prevention).
var sourceKeys = []string{"aws:SourceAccount", "aws:SourceArn"}

// servicePrincipals returns the Service entries of a Principal.
func servicePrincipals(p any) []string {
	m, ok := p.(map[string]any)
	if !ok {
		return nil
	}
	values, _ := stringsOf(m["Service"])
	return values
}

// isResourceStar reports whether a Resource is exactly "*" (or ["*"], the
// same in the canonical form).
func isResourceStar(v any) bool {
	values, ok := stringsOf(v)
	return ok && len(values) == 1 && values[0] == "*"
}

// onlyPullActions reports whether a statement's Action (not NotAction) names
// only PullActions, exactly.
func onlyPullActions(m map[string]any) bool {
	actions, ok := stringsOf(m["Action"])
	if !ok || len(actions) == 0 {
		return false
	}
	for _, a := range actions {
		if !containsFold(PullActions, a) {
			return false
		}
	}
	return true
}

func checkActions(path, key string, v any) validate.Problems {
	var ps validate.Problems
	var actions []string
	switch t := v.(type) {
	case string:
		actions = []string{t}
	case []any:
		if len(t) == 0 {
			ps.Addf(path, "%s must not be an empty list", key)
		}
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				ps.Addf(path, "%s[%d] must be a string, got %s", key, i, jsonKind(e))
				continue
			}
			actions = append(actions, s)
		}
	default:
		ps.Addf(path, "%s must be a string or a list of strings, got %s", key, jsonKind(v))
	}
	for _, act := range actions {
		switch {
		case act == "*":
		case !ecrActionRe.MatchString(act):
			ps.Addf(path, "%s must contain only ECR actions (\"ecr:<Action>\", wildcards allowed) or \"*\", got %q", key, act)
		case strings.EqualFold(act, AuthorizationTokenAction):
			ps.Addf(path, "%s must not contain %s: it has no effect in a repository policy, because it is not scoped to a repository; grant it on \"*\" in the principal's IAM identity policy instead (IdentityPolicy does; https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html)", key, AuthorizationTokenAction)
		case strings.ContainsAny(act, "*?"):
			if len(matchingActions(act)) == 0 {
				ps.Addf(path, "%s pattern %q matches no ECR action (the action list is %s)", key, act, ActionsSource)
			}
		default:
			a, known := lookupAction(act)
			switch {
			case !known:
				hint := ""
				if c := closestAction(act); c != "" {
					hint = fmt.Sprintf("; did you mean %s?", c)
				}
				ps.Addf(path, "%s %q is not an ECR action (the action list is %s)%s", key, act, ActionsSource, hint)
			case !a.repository:
				ps.Warnf(path, "%s %q has no effect in a repository policy: it applies to the registry or the account, not to a repository (%s)", key, act, ActionsSource)
			}
		}
	}
	return ps
}

func checkPrincipal(path, key string, v any, partition string) validate.Problems {
	var ps validate.Problems
	switch t := v.(type) {
	case string:
		if t != "*" {
			ps.Addf(path, "%s must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:root\"}, got %q", key, t)
		}
	case map[string]any:
		if len(t) == 0 {
			ps.Addf(path, "%s must name at least one principal", key)
		}
		for _, k := range sortedKeys(t) {
			values, ok := stringsOf(t[k])
			if !ok || len(values) == 0 {
				ps.Addf(path, "%s.%s must be a string or a non-empty list of strings", key, k)
				continue
			}
			switch k {
			case "AWS":
				for _, p := range values {
					if p == "*" || accountIDRe.MatchString(p) {
						continue
					}
					for _, q := range checkPrincipalArn(path, p, partition) {
						ps.Addf(q.Path, "%s.AWS %s", key, q.Message)
					}
				}
			case "Service":
				for _, p := range values {
					if p == "" {
						ps.Addf(path, "%s.%s must not contain an empty string", key, k)
					}
				}
			case "Federated", "CanonicalUser":
				ps.Addf(path, "%s.%s is not accepted: ECR repository policies take AWS and Service principals only (a web-identity or SAML session is granted through the IAM role it assumes)", key, k)
			default:
				ps.Addf(path, "%s has unknown principal type %q; ECR repository policies take AWS and Service principals", key, k)
			}
		}
	default:
		ps.Addf(path, "%s must be \"*\" or an object such as {\"AWS\": [...]}, got %s", key, jsonKind(v))
	}
	return ps
}

func stringsOf(v any) ([]string, bool) {
	switch t := v.(type) {
	case string:
		return []string{t}, true
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// isEveryone reports whether a Principal includes "*": "*" itself or "*"
// under any principal type (AWS, Service, Federated, CanonicalUser).
func isEveryone(p any) bool {
	switch t := p.(type) {
	case string:
		return t == "*"
	case map[string]any:
		for _, v := range t {
			values, _ := stringsOf(v)
			if slices.Contains(values, "*") {
				return true
			}
		}
	}
	return false
}

var documentKeys = []string{"Version", "Id", "Statement"}

// checkDocument checks a raw policy document. anyAccountPull is
// AllowAnyAwsAccountPull: it permits an unconditioned "*" Allow of
// PullActions, and nothing else.
func checkDocument(path, text string, anyAccountPull bool, partition string) validate.Problems {
	var ps validate.Problems
	rules := statementRules{partition: partition, sids: map[string]string{}, raw: true, anyAccountPull: anyAccountPull}
	for i, s := range documentStatements(path, text, "repository policy", &ps) {
		ps.Add(checkStatement(fmt.Sprintf("%s.Statement[%d]", path, i), s, rules)...)
	}
	return ps
}

// documentStatements parses a policy document of a policyKind policy,
// checks its top-level elements and returns its statements (none when the
// document cannot be read).
func documentStatements(path, text, policyKind string, ps *validate.Problems) []map[string]any {
	v, err := parseJSON(text)
	if err != nil {
		ps.Addf(path, "must be a %s document as a JSON object: %v", policyKind, err)
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		ps.Addf(path, "must be a %s document as a JSON object, got %s", policyKind, jsonKind(v))
		return nil
	}
	for _, k := range sortedKeys(m) {
		if !contains(documentKeys, k) {
			ps.Addf(path, "has unknown element %q; a policy document has Version, Id and Statement", k)
		}
	}
	if ver, present := m["Version"]; present && ver != "2012-10-17" && ver != "2008-10-17" {
		ps.Addf(path, "Version must be \"2012-10-17\" (or the older \"2008-10-17\"), got %s", jsonKind(ver))
	}
	if id, present := m["Id"]; present {
		if _, ok := id.(string); !ok {
			ps.Addf(path, "Id must be a string, got %s", jsonKind(id))
		}
	}
	st, present := m["Statement"]
	if !present {
		ps.Addf(path, "must have a \"Statement\" list")
		return nil
	}
	list, err := statementList(st)
	if err != nil {
		ps.Addf(path, "%v", err)
		return nil
	}
	if len(list) == 0 {
		ps.Addf(path, "Statement must not be empty")
	}
	return list
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}
