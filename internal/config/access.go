package config

import (
	"regexp"
	"slices"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// accessList is one list-valued field of `access`: its argument name, where
// it lives in Access and where it goes in policy.Access. One table drives
// merging, filling, checking and building for all of them.
type accessList struct {
	field string
	in    func(*Access) **List
	set   func(*policy.Access, []string)
}

var accessLists = []accessList{
	{"pullAccountIds", func(a *Access) **List { return &a.PullAccountIds }, func(p *policy.Access, v []string) { p.PullAccountIDs = v }},
	{"pushAccountIds", func(a *Access) **List { return &a.PushAccountIds }, func(p *policy.Access, v []string) { p.PushAccountIDs = v }},
	{"pullPrincipalArns", func(a *Access) **List { return &a.PullPrincipalArns }, func(p *policy.Access, v []string) { p.PullPrincipalArns = v }},
	{"pushPrincipalArns", func(a *Access) **List { return &a.PushPrincipalArns }, func(p *policy.Access, v []string) { p.PushPrincipalArns = v }},
	{"pullOrganizationIds", func(a *Access) **List { return &a.PullOrganizationIds }, func(p *policy.Access, v []string) { p.PullOrganizationIDs = v }},
	{"pushOrganizationIds", func(a *Access) **List { return &a.PushOrganizationIds }, func(p *policy.Access, v []string) { p.PushOrganizationIDs = v }},
	{"pullOrganizationPaths", func(a *Access) **List { return &a.PullOrganizationPaths }, func(p *policy.Access, v []string) { p.PullOrganizationPaths = v }},
	{"lambdaPullAccountIds", func(a *Access) **List { return &a.LambdaPullAccountIds }, func(p *policy.Access, v []string) { p.LambdaPullAccountIDs = v }},
	{"allowOnlyPrincipals", func(a *Access) **List { return &a.AllowOnlyPrincipals }, func(p *policy.Access, v []string) { p.AllowOnlyPrincipals = v }},
}

// needsEnvironment names the lists whose values are checked against the
// partition (ARNs) or the registry account (the deny statements' exemptions);
// they wait for those when they are deferred.
var needsEnvironment = map[string]bool{"pullPrincipalArns": true, "pushPrincipalArns": true, "allowOnlyPrincipals": true}

// mergedAccess is a repository's access settings with defaults applied, each
// field remembering the path it was written at. A repository's value replaces
// the default's, field by field (lists are not concatenated).
type mergedAccess struct {
	Access
	at validate.Locator
}

// Bits of mergeAccess's fromDefaults above the lists' (one bit per list,
// fewer than 16 of them): which settings came from defaults.access.
const (
	inheritedStrictDeny = 1 << (16 + iota)
	inheritedAnyAccount
	inheritedStatements
	inheritedPolicy
)

// noAccess stands for an access object that is not given; it is only read.
var noAccess Access

func mergeAccess(path string, repo, defaults *Access) mergedAccess {
	own, inherited := repo, defaults
	if own == nil {
		own = &noAccess
	}
	if inherited == nil {
		inherited = &noAccess
	}
	var m mergedAccess
	// Which fields came from defaults: one bit each, so merging costs no
	// allocation; paths are only written when a problem needs one.
	var fromDefaults uint32
	for i, f := range accessLists {
		v := *f.in(own)
		if v == nil {
			v, fromDefaults = *f.in(inherited), fromDefaults|1<<i
		}
		*f.in(&m.Access) = v
	}
	if m.StrictDeny = own.StrictDeny; m.StrictDeny == nil {
		m.StrictDeny, fromDefaults = inherited.StrictDeny, fromDefaults|inheritedStrictDeny
	}
	if m.AllowAnyAwsAccountPull = anyAccountPull(own); m.AllowAnyAwsAccountPull == nil {
		m.AllowAnyAwsAccountPull, fromDefaults = anyAccountPull(inherited), fromDefaults|inheritedAnyAccount
	}
	if m.PolicyStatements = own.PolicyStatements; m.PolicyStatements == nil {
		m.PolicyStatements, fromDefaults = inherited.PolicyStatements, fromDefaults|inheritedStatements
	}
	if m.Policy = own.Policy; m.Policy == nil {
		m.Policy, fromDefaults = inherited.Policy, fromDefaults|inheritedPolicy
	}
	m.at = func(field string) string {
		if fromDefaults&accessFieldBit(field) != 0 {
			return validate.Field("defaults.access", field)
		}
		return validate.Field(validate.Field(path, "access"), field)
	}
	return m
}

// accessFieldBit is the bit of mergeAccess's fromDefaults for an argument
// name; 0 for a name that is not one setting (the object itself).
func accessFieldBit(field string) uint32 {
	for i, f := range accessLists {
		if f.field == field {
			return 1 << i
		}
	}
	switch field {
	case "strictDeny":
		return inheritedStrictDeny
	case fieldAnyAccount, "allowPublicPull":
		return inheritedAnyAccount
	case "policyStatements":
		return inheritedStatements
	case "policy":
		return inheritedPolicy
	}
	return 0
}

// wanted reports whether the repository gets a repository policy: some access
// setting is given. A list that is an output counts as given; if it resolves
// empty and nothing else is set, resolving fails with a clear message.
func (m *mergedAccess) wanted() bool {
	for _, f := range accessLists {
		if given(*f.in(&m.Access)) {
			return true
		}
	}
	if given(m.PolicyStatements) {
		return true
	}
	return m.Policy != nil || deref(m.StrictDeny) || deref(m.AllowAnyAwsAccountPull)
}

const fieldAnyAccount = "allowAnyAwsAccountPull"

// anyAccountPull is the object's allowAnyAwsAccountPull, or its deprecated
// spelling allowPublicPull.
func anyAccountPull(a *Access) *bool {
	if a.AllowAnyAwsAccountPull != nil {
		return a.AllowAnyAwsAccountPull
	}
	return a.AllowPublicPull
}

// checkAccessObject checks one access object as written.
func checkAccessObject(path string, a *Access) validate.Problems {
	var ps validate.Problems
	if a == nil || a.AllowPublicPull == nil {
		return nil
	}
	at := validate.Field(validate.Field(path, "access"), "allowPublicPull")
	if a.AllowAnyAwsAccountPull != nil && *a.AllowAnyAwsAccountPull != *a.AllowPublicPull {
		ps.Addf(at, "is the deprecated name of %s and says the opposite (%t vs %t); set only %s", fieldAnyAccount, *a.AllowPublicPull, *a.AllowAnyAwsAccountPull, fieldAnyAccount)
		return ps
	}
	ps.Warnf(at, "is deprecated: it never allowed anonymous pulls, only any authenticated principal of any AWS account; use %s", fieldAnyAccount)
	return ps
}

func given(l *List) bool {
	return l != nil && (l.Ref != 0 || l.FromOutput || len(l.Items) > 0)
}

// userRefs lists the deferred values of the access settings themselves.
func (m *mergedAccess) userRefs() []Ref {
	var refs []Ref
	for _, f := range accessLists {
		refs = (*f.in(&m.Access)).refs(refs)
	}
	refs = m.PolicyStatements.refs(refs)
	if m.Policy != nil && m.Policy.Ref != 0 {
		refs = append(refs, m.Policy.Ref)
	}
	return refs
}

// resolveAccess checks the merged access settings and, when every value is
// known, builds the repository policy. While only the environment (the
// account and partition the aws provider deploys to) is unknown, every rule
// is checked with the partition the principals themselves name, and the
// partition is compared when it is known; while a setting is an output, each
// list that is wholly known is checked on its own and the rules that relate
// several fields run when the outputs resolve.
func resolveAccess(path string, repo, defaults *Access, env Env, memo *memo) (*Document, validate.Problems) {
	m := mergeAccess(path, repo, defaults)
	if !m.wanted() {
		return nil, nil
	}
	a := policy.Access{
		Partition:              env.Partition.Value,
		RegistryID:             env.AccountID.Value,
		StrictDeny:             deref(m.StrictDeny),
		AllowAnyAwsAccountPull: deref(m.AllowAnyAwsAccountPull),
	}
	userRefs := m.userRefs()
	envRefs := []Ref{}
	for _, t := range []Text{env.Partition, env.AccountID} {
		if t.Ref != 0 {
			envRefs = append(envRefs, t.Ref)
		}
	}
	refs := sortedRefs(append(userRefs, envRefs...))

	if len(userRefs) > 0 {
		var ps validate.Problems
		for _, f := range accessLists {
			items, known := (*f.in(&m.Access)).strings()
			if !known || len(items) == 0 || (needsEnvironment[f.field] && len(envRefs) > 0) {
				continue
			}
			one := policy.Access{Partition: a.Partition, RegistryID: a.RegistryID}
			f.set(&one, items)
			ps.Add(one.Validate(m.at)...)
		}
		return &Document{Refs: refs}, ps
	}

	for _, f := range accessLists {
		items, _ := (*f.in(&m.Access)).strings()
		f.set(&a, items)
	}
	a.PolicyStatements, _ = m.PolicyStatements.strings()
	if m.Policy != nil {
		a.Policy = m.Policy.Value
	}
	var ps validate.Problems
	if a.Empty() {
		ps.Addf(m.at(""), "the access settings resolved to empty lists, so there is no policy to apply; remove them or give them values")
		return nil, ps
	}
	if len(envRefs) > 0 {
		if !env.Partition.IsKnown() {
			a.Partition = partitionNamedBy(a)
		}
		if !env.AccountID.IsKnown() {
			a.RegistryID = placeholderAccount
		}
		// The checks depend on the settings only, so settings shared by many
		// repositories are checked once (problems are still reported at the
		// path of each repository that has them).
		key := accessKey(a)
		if memo.checked[key] {
			return &Document{Refs: refs}, nil
		}
		ps := a.ValidateFields(m.at)
		if len(ps) == 0 {
			memo.checked[key] = true
		}
		return &Document{Refs: refs}, ps
	}
	key := accessKey(a)
	if doc, ok := memo.documents[key]; ok {
		return &Document{JSON: doc}, nil
	}
	doc, ps := a.Document(m.at)
	if len(ps.Errors()) > 0 {
		return nil, ps
	}
	if len(ps) == 0 {
		memo.documents[key] = doc
	}
	return &Document{JSON: doc}, ps
}

// placeholderAccount stands for the registry account while it is unknown:
// it only fills the deny statements' exemptions, which are not checked
// against anything else.
const placeholderAccount = "000000000000"

// partitionNamedBy is the partition of the first principal ARN, for checks
// made before the real partition is known: principals that disagree with each
// other are refused then, with the real partition once it is known.
func partitionNamedBy(a policy.Access) string {
	texts := slices.Concat(a.PullPrincipalArns, a.PushPrincipalArns, a.AllowOnlyPrincipals, a.PolicyStatements, []string{a.Policy})
	for _, t := range texts {
		if m := arnPartitionRe.FindStringSubmatch(t); m != nil {
			return m[1]
		}
	}
	return policy.DefaultPartition
}

var arnPartitionRe = regexp.MustCompile(`arn:(aws(?:-[a-z]+)*):`)
