package policy

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// The registry policy (PutRegistryPolicy) is the private registry's own
// resource policy: it lets other accounts replicate into this registry and
// lets principals import images through its pull through cache rules, and,
// under the V2 policy scope, grants or denies any ECR action on the
// registry's repositories.
//
// # Scope
//
// The account setting REGISTRY_POLICY_SCOPE decides what the policy may say
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html):
//
//   - V1: "Amazon ECR only enforces the following permissions at the private
//     registry level": ecr:ReplicateImage, ecr:BatchImportUpstreamImage and
//     ecr:CreateRepository; any other action fails PutRegistryPolicy with
//     InvalidParameterException "Invalid registry policy provided"
//     (pulumi/pulumi-aws#2326).
//   - V2, the default scope: every ECR action may be named and the policy is
//     enforced on every ECR request to the registry's repositories.
//
// Registry.Scope says which the account uses (the component does not change
// the account setting); V1 refuses every other action, "*" and NotAction.
//
// # Generated statements
//
//	AllowReplicationFrom   Principal {"AWS": the source accounts' root ARNs},
//	                       ecr:CreateRepository + ecr:ReplicateImage on
//	                       arn:<partition>:ecr:<region>:<registry>:repository/*
//	                       (AWS's cross-account replication example; without
//	                       CreateRepository the destination repositories would
//	                       have to exist already).
//	AllowPullThroughCache  Principal {"AWS": account root ARNs and principal ARNs},
//	                       ecr:BatchImportUpstreamImage + ecr:CreateRepository on
//	                       repository/<prefix>/* for each pull through cache
//	                       prefix of the registry (repository/* when there is
//	                       none, or with ROOT): what the first pull of an
//	                       image through the cache needs
//	                       (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html).
//	custom statements      Statements, canonicalized, in the given order.
//
// Statements are checked like repository policy statements (Effect,
// Principal, Action, Condition, unique Sids, no unconditioned Principal "*"
// Allow, confused-deputy conditions for services), except that a registry
// policy statement must name its Resource: "*" or repository ARNs of this
// registry (arn:<partition>:ecr:<region>:<registry>:repository/<name or pattern>).

// Registry policy scopes (ECR account setting REGISTRY_POLICY_SCOPE).
const (
	ScopeV1 = "V1"
	ScopeV2 = "V2"
)

// V1RegistryActions are the actions a V1-scope registry policy may name.
var V1RegistryActions = []string{"ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:ReplicateImage"}

// MaxRegistryPolicyLength is PutRegistryPolicy's policyText limit.
const MaxRegistryPolicyLength = 10240

// Sids of the generated registry policy statements.
const (
	SidAllowReplicationFrom  = "AllowReplicationFrom"
	SidAllowPullThroughCache = "AllowPullThroughCache"
)

// Field names of the registry policy arguments, for paths.
const (
	fieldScope                    = "scope"
	fieldAllowReplicationFrom     = "allowReplicationFrom"
	fieldAllowPullThroughCacheFor = "allowPullThroughCacheFor"
	fieldStatements               = "statements"
)

// Registry is what a registry policy is generated from.
type Registry struct {
	// Partition, Region and RegistryID are the registry's own: they build
	// the Resource ARNs of the generated statements and bound the custom ones.
	Partition, Region, RegistryID string
	// Scope is V1 or V2 ("" is V2).
	Scope string
	// ReplicationSourceAccounts may replicate into this registry.
	ReplicationSourceAccounts []string
	// PullThroughCachePrincipals (account IDs or principal ARNs) may pull
	// images through the cache rules with prefixes PullThroughCachePrefixes.
	PullThroughCachePrincipals []string
	PullThroughCachePrefixes   []string
	// Statements are custom statements (JSON objects) after the generated ones.
	Statements []string
	// Policy is a complete document replacing everything else.
	Policy string
}

// Empty reports whether nothing asks for a registry policy.
func (a Registry) Empty() bool {
	return len(a.ReplicationSourceAccounts) == 0 && len(a.PullThroughCachePrincipals) == 0 &&
		len(a.Statements) == 0 && a.Policy == ""
}

var (
	// arn:<partition>:ecr:<region>:<account>:repository/<name, * and ? allowed>
	repositoryArnRe = regexp.MustCompile(`^arn:(aws[a-z-]*):ecr:([a-z0-9-]+):([0-9]{12}):repository/([a-z0-9._/*?-]+)$`)
)

// Validate returns every problem with a, at the paths the locator gives.
func (a Registry) Validate(at validate.Locator) validate.Problems {
	var ps validate.Problems
	if a.Empty() {
		ps.Addf(at(""), "sets nothing: give allowReplicationFrom, allowPullThroughCacheFor, statements or policy, or remove registryPolicy")
		return ps
	}
	ps = a.validateFields(at)
	if len(ps.Errors()) > 0 {
		return ps
	}
	doc, err := a.build()
	where := at("")
	if a.Policy != "" {
		where = at(fieldPolicy)
	}
	switch {
	case err != nil:
		ps.Addf(where, "must produce a valid registry policy: %v", err)
	case utf8.RuneCountInString(doc) > MaxRegistryPolicyLength:
		ps.Addf(where, "the registry policy would be %d characters long, but ECR accepts at most %d; grant whole accounts instead of many principals, or shorten the statements", utf8.RuneCountInString(doc), MaxRegistryPolicyLength)
	}
	return ps
}

// RegistryPolicy returns the canonical registry policy. It validates a
// first and returns every problem as one error.
func RegistryPolicy(a Registry) (string, error) {
	if err := a.Validate(validate.Under("")).Err("registry policy"); err != nil {
		return "", err
	}
	return a.build()
}

func (a Registry) scope() string {
	if a.Scope == "" {
		return ScopeV2
	}
	return a.Scope
}

// CheckFields checks every rule except those of the whole document (its
// length): what can be checked of the fields known so far.
func (a Registry) CheckFields(at validate.Locator) validate.Problems { return a.validateFields(at) }

func (a Registry) validateFields(at validate.Locator) validate.Problems {
	var ps validate.Problems
	item := func(name string, i int) string { return fmt.Sprintf("%s[%d]", at(name), i) }
	partition := partitionOrDefault(a.Partition)
	if a.Scope != "" {
		ps.Add(validate.OneOf(at(fieldScope), a.Scope, ScopeV1, ScopeV2)...)
	}
	for i, id := range a.ReplicationSourceAccounts {
		switch {
		case !accountIDRe.MatchString(id):
			ps.Addf(item(fieldAllowReplicationFrom, i), "must be a 12-digit AWS account ID, got %q", id)
		case id == a.RegistryID:
			ps.Addf(item(fieldAllowReplicationFrom, i), "is this registry's own account %s: replication within one account needs no registry policy", id)
		}
	}
	for i, p := range a.PullThroughCachePrincipals {
		if accountIDRe.MatchString(p) {
			continue
		}
		ps.Add(checkPrincipalArn(item(fieldAllowPullThroughCacheFor, i), p, partition)...)
	}
	if a.Policy != "" {
		var set []string
		if len(a.ReplicationSourceAccounts) > 0 {
			set = append(set, at(fieldAllowReplicationFrom))
		}
		if len(a.PullThroughCachePrincipals) > 0 {
			set = append(set, at(fieldAllowPullThroughCacheFor))
		}
		if len(a.Statements) > 0 {
			set = append(set, at(fieldStatements))
		}
		if len(set) > 0 {
			ps.Addf(at(fieldPolicy), "policy replaces the generated registry policy, so it cannot be combined with %s; put those grants into the policy document or remove it", strings.Join(set, ", "))
		}
		ps.Add(a.checkRegistryDocument(at(fieldPolicy), a.Policy)...)
		return ps
	}
	rules := a.rules(map[string]string{SidAllowReplicationFrom: "a generated statement", SidAllowPullThroughCache: "a generated statement"})
	for i, s := range a.Statements {
		path := item(fieldStatements, i)
		v, err := parseJSON(s)
		if err != nil {
			ps.Addf(path, "must be one IAM policy statement as a JSON object: %v", err)
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			ps.Addf(path, "must be one IAM policy statement as a JSON object, got %s", jsonKind(v))
			continue
		}
		ps.Add(rules.check(path, m)...)
	}
	return ps
}

// registryRules are what a registry policy statement is checked against.
type registryRules struct {
	partition, region, account, scope string
	sids                              map[string]string
}

func (a Registry) rules(sids map[string]string) registryRules {
	return registryRules{partition: partitionOrDefault(a.Partition), region: a.Region, account: a.RegistryID, scope: a.scope(), sids: sids}
}

var registryStatementKeys = map[string]bool{
	"Sid": true, "Effect": true, "Principal": true, "NotPrincipal": true,
	"Action": true, "NotAction": true, "Resource": true, "Condition": true,
}

func (r registryRules) check(path string, m map[string]any) validate.Problems {
	var ps validate.Problems
	for _, k := range sortedKeys(m) {
		switch {
		case k == "NotResource":
			ps.Addf(path, "must not have \"NotResource\": name the repositories the statement covers in Resource")
		case !registryStatementKeys[k]:
			ps.Addf(path, "has unknown element %q; a registry policy statement has Sid, Effect, Principal or NotPrincipal, Action or NotAction, Resource and Condition", k)
		}
	}
	ps.Add(checkSid(path, m, r.sids)...)
	effect := checkEffect(path, m, &ps)
	switch key := exclusiveElement(path, m, "Action", "NotAction", "an ECR action such as \"ecr:ReplicateImage\" or a list of them", &ps); {
	case key == "NotAction" && r.scope == ScopeV1:
		ps.Addf(path, "must not use NotAction under the V1 registry policy scope, which accepts only %s: NotAction names every other action too", strings.Join(V1RegistryActions, ", "))
	case key != "":
		ps.Add(r.checkActions(path, key, m[key])...)
	}
	hasP := checkPrincipalElement(path, m, "registry policy", effect, r.partition, &ps)

	if res, present := m["Resource"]; present {
		ps.Add(r.checkResource(path, res)...)
	} else {
		ps.Addf(path, "must have \"Resource\": the repositories of this registry it covers, such as \"arn:%s:ecr:%s:%s:repository/*\"", r.partition, orPlaceholder(r.region, "<region>"), orPlaceholder(r.account, "<account>"))
	}

	cond, hasCond := m["Condition"]
	if hasCond {
		if _, err := normalizeCondition(cond); err != nil {
			ps.Addf(path, "Condition %v", err)
		}
	}
	if services := servicePrincipals(m["Principal"]); effect == "Allow" && hasP && len(services) > 0 && !conditionLimits(cond, sourceKeys) {
		ps.Addf(path, "allows the service principal %s without an aws:SourceAccount or aws:SourceArn condition, so the service could use the grant on behalf of any AWS account (the confused deputy problem, https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)", strings.Join(services, ", "))
	}
	if effect == "Allow" && hasP && isEveryone(m["Principal"]) && !conditionLimits(cond, callerLimitingKeys) {
		ps.Addf(path, "allows Principal \"*\" (any authenticated principal of any AWS account) without a Condition that limits the caller; add one on %s with StringEquals, StringLike, ArnEquals or ArnLike",
			strings.Join(callerLimitingKeys, ", "))
	}
	return ps
}

func orPlaceholder(s, placeholder string) string {
	if s == "" {
		return placeholder
	}
	return s
}

// checkActions accepts ECR actions (and patterns matching some) under V2,
// and only V1RegistryActions under V1.
func (r registryRules) checkActions(path, key string, v any) validate.Problems {
	var ps validate.Problems
	actions, ok := stringsOf(v)
	switch {
	case !ok:
		ps.Addf(path, "%s must be a string or a list of strings, got %s", key, jsonKind(v))
		return ps
	case len(actions) == 0:
		ps.Addf(path, "%s must not be an empty list", key)
		return ps
	}
	v1 := r.scope == ScopeV1
	for _, act := range actions {
		switch {
		case act == "*" && v1:
			ps.Addf(path, "%s \"*\" is refused under the V1 registry policy scope, which accepts only %s (ECR answers InvalidParameterException 'Invalid registry policy provided'); name those actions, or set scope: V2 if the account uses the V2 scope", key, strings.Join(V1RegistryActions, ", "))
		case act == "*":
		case !ecrActionRe.MatchString(act):
			ps.Addf(path, "%s must contain only ECR actions (\"ecr:<Action>\", wildcards allowed) or \"*\": a registry policy governs ECR only, got %q", key, act)
		case strings.ContainsAny(act, "*?"):
			matches := matchingActions(act)
			if len(matches) == 0 {
				ps.Addf(path, "%s pattern %q matches no ECR action (the action list is %s)", key, act, ActionsSource)
				continue
			}
			if v1 {
				for _, m := range matches {
					if !containsFold(V1RegistryActions, m) {
						ps.Addf(path, "%s pattern %q also matches %s, which the V1 registry policy scope refuses (it accepts only %s); name the actions one by one", key, act, m, strings.Join(V1RegistryActions, ", "))
						break
					}
				}
			}
		default:
			if _, known := lookupAction(act); !known {
				hint := ""
				if c := closestAction(act); c != "" {
					hint = fmt.Sprintf("; did you mean %s?", c)
				}
				ps.Addf(path, "%s %q is not an ECR action (the action list is %s)%s", key, act, ActionsSource, hint)
				continue
			}
			if v1 && !containsFold(V1RegistryActions, act) {
				ps.Addf(path, "%s %q is refused under the V1 registry policy scope, which accepts only %s (ECR answers InvalidParameterException 'Invalid registry policy provided', pulumi/pulumi-aws#2326); remove it, or set scope: V2 if the account uses the V2 scope", key, act, strings.Join(V1RegistryActions, ", "))
			}
		}
	}
	return ps
}

// checkResource accepts "*" and repository ARNs of this registry.
func (r registryRules) checkResource(path string, v any) validate.Problems {
	var ps validate.Problems
	values, ok := stringsOf(v)
	if !ok || len(values) == 0 {
		ps.Addf(path, "Resource must be a string or a non-empty list of strings, got %s", jsonKind(v))
		return ps
	}
	for _, res := range values {
		if res == "*" {
			continue
		}
		m := repositoryArnRe.FindStringSubmatch(res)
		if m == nil {
			ps.Addf(path, "Resource must be \"*\" or repository ARNs such as arn:%s:ecr:%s:%s:repository/* (a registry policy governs this registry's repositories only), got %q", r.partition, orPlaceholder(r.region, "<region>"), orPlaceholder(r.account, "<account>"), res)
			continue
		}
		if m[1] != r.partition {
			ps.Addf(path, "Resource %q is in partition %s, but this registry is in %s", res, m[1], r.partition)
		}
		if r.region != "" && m[2] != r.region {
			ps.Addf(path, "Resource %q is in Region %s, but this registry is in %s: a registry policy governs only its own registry's repositories", res, m[2], r.region)
		}
		if r.account != "" && m[3] != r.account {
			ps.Addf(path, "Resource %q is in account %s, but this registry is account %s: a registry policy governs only its own registry's repositories", res, m[3], r.account)
		}
	}
	return ps
}

func (a Registry) checkRegistryDocument(path, text string) validate.Problems {
	var ps validate.Problems
	rules := a.rules(map[string]string{})
	for i, s := range documentStatements(path, text, "registry policy", &ps) {
		ps.Add(rules.check(fmt.Sprintf("%s.Statement[%d]", path, i), s)...)
	}
	return ps
}

// build assembles and canonicalizes the document.
func (a Registry) build() (string, error) {
	partition := partitionOrDefault(a.Partition)
	if a.Policy != "" {
		v, err := parseJSON(a.Policy)
		if err != nil {
			return "", fmt.Errorf("policy: %w", err)
		}
		return canonicalDocument(v, partition)
	}
	if (len(a.ReplicationSourceAccounts) > 0 || len(a.PullThroughCachePrincipals) > 0) && (a.Region == "" || a.RegistryID == "") {
		return "", errors.New("the registry's Region and account are needed to name its repositories")
	}
	repositories := func(name string) string {
		return "arn:" + partition + ":ecr:" + a.Region + ":" + a.RegistryID + ":repository/" + name
	}
	var stmts []any
	if len(a.ReplicationSourceAccounts) > 0 {
		roots := make([]string, len(a.ReplicationSourceAccounts))
		for i, id := range a.ReplicationSourceAccounts {
			roots[i] = accountRoot(partition, id)
		}
		s := allow(SidAllowReplicationFrom, awsPrincipal(roots), []string{"ecr:CreateRepository", "ecr:ReplicateImage"}, nil)
		s["Resource"] = repositories("*")
		stmts = append(stmts, s)
	}
	if len(a.PullThroughCachePrincipals) > 0 {
		principals := make([]string, len(a.PullThroughCachePrincipals))
		for i, p := range a.PullThroughCachePrincipals {
			principals[i] = accountRoot(partition, p)
		}
		var resources []string
		for _, prefix := range a.PullThroughCachePrefixes {
			if prefix == "ROOT" {
				resources = nil
				break
			}
			resources = append(resources, repositories(strings.TrimSuffix(prefix, "/")+"/*"))
		}
		if len(resources) == 0 {
			resources = []string{repositories("*")}
		}
		s := allow(SidAllowPullThroughCache, awsPrincipal(principals), []string{"ecr:BatchImportUpstreamImage", "ecr:CreateRepository"}, nil)
		s["Resource"] = anyList(resources)
		stmts = append(stmts, s)
	}
	for i, text := range a.Statements {
		v, err := parseJSON(text)
		if err != nil {
			return "", fmt.Errorf("statements[%d]: %w", i, err)
		}
		stmts = append(stmts, v)
	}
	return canonicalDocument(map[string]any{"Version": "2012-10-17", "Statement": stmts}, partition)
}
