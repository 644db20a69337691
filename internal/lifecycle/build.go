package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Rule is one typed lifecycle rule. It always expires images; transitions to
// the archive storage class need PolicyJSON.
type Rule struct {
	Priority    int // 0 = assign automatically
	Description string
	TagStatus   string // "tagged" | "untagged" | "any"
	TagPrefixes []string
	TagPatterns []string
	CountType   string // "imageCountMoreThan" | "sinceImagePushed"
	CountNumber int
}

// Spec is one repository's `lifecycle` object; nil pointers are unset.
type Spec struct {
	Disabled                bool
	Template                string // "" | "development" | "production" | "cost_optimization" | "compliance"
	Rules                   []Rule
	KeepLatest              *int     // keep the newest N images (any tag status)
	ExpireUntaggedAfterDays *int     // untagged images older than N days
	ExpireTaggedAfterDays   *int     // tagged images (tagPatternList ["*"]) older than N days
	ExpireAllAfterDays      *int     // all images older than N days
	ProtectTags             []string // tag prefixes, or patterns (an entry containing '*'), whose images the other rules never expire
	PolicyJSON              string   // a complete ECR lifecycle policy document, used as given (still validated)
}

// The protective rule (aws-ecr-constraints.md §2 item 10) needs an action
// that never fires. The idiom's imageCountMoreThan 9999 fires once 10,000
// images carry a protected tag, which the 100,000-images-per-repository quota
// allows, and would then silently delete protected images. An age of 36,500
// days (100 years) cannot be reached by any image ECR (launched 2015) holds.
const (
	ProtectCountType   = CountTypeSinceImagePushed
	ProtectCountNumber = 36500
)

// Template is one predefined lifecycle template: the helper values it fills
// in (0 = not set).
type Template struct {
	Name                    string
	KeepLatest              int
	ExpireUntaggedAfterDays int
	ExpireTaggedAfterDays   int
}

// templates are lgallard/terraform-aws-ecr's lifecycle templates, from the
// table "Available Templates" in shared/reference/seeds/002_7da7de55d57f32d2.txt
// lines 707-711:
//
//	Template Keep Images Untagged Expiry Tagged Expiry Tag Prefixes Use Case
//	development 50 7 days - ["dev", "feature"] Development workflows with frequent builds
//	production 100 14 days 90 days ["v", "release", "prod"] Production environments requiring stability
//	cost_optimization 10 3 days 30 days [] (all images) Test environments with aggressive cost optimization
//	compliance 200 30 days 365 days ["v", "release", "audit"] Compliance environments requiring long retention
//
// The "Tag Prefixes" column is not carried over: lgallard uses it to narrow
// the keep-latest rule to images with those prefixes (line 671), which ECR
// reads as "images carrying all of them at once" (the list is ANDed), and our
// keepLatest has no tag scope. Mapping the column to protectTags would keep
// those images forever, which is a different policy.
//
// Three templates set keepLatest, expireUntaggedAfterDays and
// expireTaggedAfterDays together, which ECR cannot enforce all at once (see
// the package documentation, "Templates"); their tagged expiry yields, which
// gives exactly the two rules the seed's own migration example (lines
// 879-918) calls the production template: any imageCountMoreThan 100 and
// untagged sinceImagePushed 14 days.
var templates = []Template{
	{Name: "development", KeepLatest: 50, ExpireUntaggedAfterDays: 7},
	{Name: "production", KeepLatest: 100, ExpireUntaggedAfterDays: 14, ExpireTaggedAfterDays: 90},
	{Name: "cost_optimization", KeepLatest: 10, ExpireUntaggedAfterDays: 3, ExpireTaggedAfterDays: 30},
	{Name: "compliance", KeepLatest: 200, ExpireUntaggedAfterDays: 30, ExpireTaggedAfterDays: 365},
}

// Templates returns the predefined templates, in documentation order.
func Templates() []Template { return slices.Clone(templates) }

// TemplateNames returns the accepted values of Spec.Template, without "".
func TemplateNames() []string {
	names := make([]string, len(templates))
	for i, t := range templates {
		names[i] = t.Name
	}
	return names
}

func lookupTemplate(name string) (Template, bool) {
	for _, t := range templates {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}

// DefaultPolicy is the policy of a repository that says nothing about its
// lifecycle: expire untagged images older than 14 days.
func DefaultPolicy() *Policy {
	return &Policy{Rules: []PolicyRule{{
		RulePriority: 1,
		Description:  fmt.Sprintf("Expire untagged images older than %d days", defaultPolicyDays),
		Selection: Selection{
			TagStatus:   TagStatusUntagged,
			CountType:   CountTypeSinceImagePushed,
			CountUnit:   CountUnitDays,
			CountNumber: defaultPolicyDays,
		},
		Action: Action{Type: ActionExpire},
	}}}
}

func (s *Spec) empty() bool {
	return !s.Disabled && s.Template == "" && len(s.Rules) == 0 && s.KeepLatest == nil &&
		s.ExpireUntaggedAfterDays == nil && s.ExpireTaggedAfterDays == nil &&
		s.ExpireAllAfterDays == nil && len(s.ProtectTags) == 0 && s.PolicyJSON == ""
}

type setField struct{ name, value string }

// setFields lists the fields other than Disabled and PolicyJSON that are set.
func (s *Spec) setFields() []setField {
	var fs []setField
	if s.Template != "" {
		fs = append(fs, setField{"template", fmt.Sprintf("%q", s.Template)})
	}
	if len(s.Rules) > 0 {
		fs = append(fs, setField{"rules", fmt.Sprintf("%d rules", len(s.Rules))})
	}
	for _, h := range []struct {
		name string
		v    *int
	}{
		{"keepLatest", s.KeepLatest},
		{"expireUntaggedAfterDays", s.ExpireUntaggedAfterDays},
		{"expireTaggedAfterDays", s.ExpireTaggedAfterDays},
		{"expireAllAfterDays", s.ExpireAllAfterDays},
	} {
		if h.v != nil {
			fs = append(fs, setField{h.name, fmt.Sprint(*h.v)})
		}
	}
	if len(s.ProtectTags) > 0 {
		fs = append(fs, setField{"protectTags", fmt.Sprintf("%q", s.ProtectTags)})
	}
	return fs
}

// Build validates the spec (paths under path, e.g.
// `repositories["x"].lifecycle`) and returns the policy to apply, its rules
// sorted by priority. A nil *Policy with no problems means "no lifecycle
// policy" (Disabled); a nil or entirely empty spec gives DefaultPolicy. When
// there are problems the policy is nil. The translation is described in the
// package documentation.
func Build(path string, spec *Spec) (*Policy, validate.Problems) {
	if spec == nil || spec.empty() {
		return DefaultPolicy(), nil
	}
	var ps validate.Problems
	if spec.Disabled {
		fields := spec.setFields()
		if spec.PolicyJSON != "" {
			fields = append(fields, setField{"policyJson", "a document"})
		}
		for _, f := range fields {
			ps.Addf(validate.Field(path, f.name), "%s must not be set when disabled is true (disabled means the repository gets no lifecycle policy), got %s", f.name, f.value)
		}
		return nil, ps
	}
	if spec.PolicyJSON != "" {
		return buildFromJSON(path, spec)
	}
	return buildTyped(path, spec)
}

func buildFromJSON(path string, spec *Spec) (*Policy, validate.Problems) {
	var ps validate.Problems
	for _, f := range spec.setFields() {
		ps.Addf(validate.Field(path, f.name), "%s must not be set together with policyJson (policyJson is the complete lifecycle policy document, used as given), got %s", f.name, f.value)
	}
	at := validate.Field(path, "policyJson")
	p, err := Parse(spec.PolicyJSON)
	if err != nil {
		ps.Addf(at, "policyJson must be an ECR lifecycle policy document: %v", err)
		return nil, ps
	}
	for _, q := range Validate("", p) {
		msg := q.Message
		if q.Path != "" {
			msg = q.Path + ": " + msg
		}
		ps.Add(validate.Problem{Path: at, Message: msg})
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return p, nil
}

// helper is one resolved helper value and where it came from.
type helper struct {
	n        int
	set      bool
	template bool
}

func resolveHelper(explicit *int, fromTemplate int) helper {
	switch {
	case explicit != nil:
		return helper{n: *explicit, set: true}
	case fromTemplate > 0:
		return helper{n: fromTemplate, set: true, template: true}
	}
	return helper{}
}

type genKind int

const (
	genProtect genKind = iota
	genHelper
	genRule
)

// gen is one generated rule with the spec field it came from.
type gen struct {
	rule     PolicyRule
	kind     genKind
	explicit bool   // the user gave the priority
	name     string // how messages refer to it
	path     string // where its problems go
	field    string // the helper or protectTags entry, for messages
}

// label names a field of the generated rule in a message: the typed rule's
// field, or the helper / protectTags entry itself.
func (g gen) label(field string) string {
	if g.kind != genRule {
		return g.field
	}
	if rest, ok := strings.CutPrefix(g.at(field), g.path+"."); ok {
		return rest
	}
	return "the rule"
}

// at maps a field of the generated document rule to the spec path it came
// from: typed rules map field by field, helpers and protectTags entries are
// one field each.
func (g gen) at(field string) string {
	if g.kind != genRule || field == "" {
		return g.path
	}
	switch field {
	case "rulePriority":
		return validate.Field(g.path, "priority")
	case "description":
		return validate.Field(g.path, "description")
	case "selection.tagStatus":
		return validate.Field(g.path, "tagStatus")
	case "selection.tagPrefixList":
		return validate.Field(g.path, "tagPrefixes")
	case "selection.tagPatternList":
		return validate.Field(g.path, "tagPatterns")
	case "selection.countType", "selection.countUnit":
		return validate.Field(g.path, "countType")
	case "selection.countNumber":
		return validate.Field(g.path, "countNumber")
	}
	if rest, ok := strings.CutPrefix(field, "selection.tagPatternList["); ok {
		return validate.Field(g.path, "tagPatterns["+rest)
	}
	if rest, ok := strings.CutPrefix(field, "selection.tagPrefixList["); ok {
		return validate.Field(g.path, "tagPrefixes["+rest)
	}
	return g.path
}

func buildTyped(path string, spec *Spec) (*Policy, validate.Problems) {
	var ps validate.Problems
	field := func(name string) string { return validate.Field(path, name) }

	// 1. Template values fill unset helpers.
	var tmpl Template
	if spec.Template != "" {
		if t, ok := lookupTemplate(spec.Template); ok {
			tmpl = t
		} else {
			ps.Add(validate.OneOf(field("template"), spec.Template, TemplateNames()...)...)
		}
	}
	keep := resolveHelper(spec.KeepLatest, tmpl.KeepLatest)
	untagged := resolveHelper(spec.ExpireUntaggedAfterDays, tmpl.ExpireUntaggedAfterDays)
	tagged := resolveHelper(spec.ExpireTaggedAfterDays, tmpl.ExpireTaggedAfterDays)
	all := resolveHelper(spec.ExpireAllAfterDays, 0)

	// 2. A template value yields to anything set explicitly that it would
	// conflict with.
	explicitAny, explicitUntagged := -1, -1
	for j, r := range spec.Rules {
		switch {
		case r.TagStatus == TagStatusAny && explicitAny < 0:
			explicitAny = j
		case r.TagStatus == TagStatusUntagged && explicitUntagged < 0:
			explicitUntagged = j
		}
	}
	if keep.template && (all.set || explicitAny >= 0) {
		keep = helper{}
	}
	if untagged.template && explicitUntagged >= 0 {
		untagged = helper{}
	}
	// The untagged and tagged rules together select every image first, so
	// an any rule after them could never fire.
	if (untagged.set || explicitUntagged >= 0) && tagged.set && (keep.set || all.set || explicitAny >= 0) {
		switch {
		case tagged.template:
			tagged = helper{}
		case keep.template:
			keep = helper{}
		case untagged.template:
			untagged = helper{}
		}
	}
	helperAt := func(name string, h helper) (string, string) {
		if h.template {
			return field("template"), fmt.Sprintf("%s (from template %q)", name, spec.Template)
		}
		return field(name), name
	}

	// 3. Rules in translation order.
	var gens []gen
	addHelper := func(name string, h helper, sel Selection, description string) {
		p, n := helperAt(name, h)
		sel.CountNumber = h.n
		gens = append(gens, gen{
			rule: PolicyRule{Description: description, Selection: sel, Action: Action{Type: ActionExpire}},
			kind: genHelper, name: n, path: p, field: name,
		})
	}

	seen := map[string]int{}
	for k, t := range spec.ProtectTags {
		at := fmt.Sprintf("%s[%d]", field("protectTags"), k)
		if t == "" {
			ps.Addf(at, `a protected tag must not be empty (an empty prefix would protect every tagged image; write "*" if that is meant), got ""`)
			continue
		}
		if j, ok := seen[t]; ok {
			ps.Addf(at, "protected tags must be unique, got %q, which protectTags[%d] already lists", t, j)
			continue
		}
		seen[t] = k
		sel := Selection{TagStatus: TagStatusTagged, CountType: ProtectCountType, CountNumber: ProtectCountNumber}
		if ProtectCountType != CountTypeImageCountMoreThan {
			sel.CountUnit = CountUnitDays
		}
		desc := fmt.Sprintf("Protect images with a tag starting with %q (never expires)", t)
		if strings.Contains(t, "*") {
			sel.TagPatternList = []string{t}
			desc = fmt.Sprintf("Protect images with a tag matching %q (never expires)", t)
		} else {
			sel.TagPrefixList = []string{t}
		}
		gens = append(gens, gen{
			rule: PolicyRule{Description: desc, Selection: sel, Action: Action{Type: ActionExpire}},
			kind: genProtect, name: fmt.Sprintf("protectTags[%d] (%q)", k, t), path: at, field: fmt.Sprintf("protectTags[%d]", k),
		})
	}
	if untagged.set {
		addHelper("expireUntaggedAfterDays", untagged,
			Selection{TagStatus: TagStatusUntagged, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays},
			fmt.Sprintf("Expire untagged images older than %d days", untagged.n))
	}
	for j, r := range spec.Rules {
		at := fmt.Sprintf("%s[%d]", field("rules"), j)
		priority := r.Priority
		if priority < 0 {
			ps.Addf(validate.Field(at, "priority"), "priority must be 0 (assign automatically) or a positive integer, got %d", r.Priority)
			priority = 0
		}
		sel := Selection{
			TagStatus:      r.TagStatus,
			TagPrefixList:  cloneOrNil(r.TagPrefixes),
			TagPatternList: cloneOrNil(r.TagPatterns),
			CountType:      r.CountType,
			CountNumber:    r.CountNumber,
		}
		if strings.HasPrefix(r.CountType, "since") {
			sel.CountUnit = CountUnitDays
		}
		desc := r.Description
		if desc == "" {
			desc = describe(sel)
		}
		gens = append(gens, gen{
			rule:     PolicyRule{RulePriority: priority, Description: desc, Selection: sel, Action: Action{Type: ActionExpire}},
			kind:     genRule,
			explicit: priority > 0,
			name:     fmt.Sprintf("rules[%d]", j),
			path:     at,
		})
	}
	if tagged.set {
		addHelper("expireTaggedAfterDays", tagged,
			Selection{TagStatus: TagStatusTagged, TagPatternList: []string{"*"}, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays},
			fmt.Sprintf("Expire tagged images older than %d days", tagged.n))
	}
	const oneAny = "ECR allows one tagStatus any rule per storage class, with the highest priority, and the first rule whose tag selection matches an image is the only one that can expire it, so the second could never expire anything"
	switch {
	case keep.set && all.set:
		// keep.template was dropped above, so both are explicit.
		ps.Addf(field("expireAllAfterDays"), "expireAllAfterDays cannot be combined with keepLatest (%d): both select every image (tagStatus any); %s. Use one of them, or keepLatest with expireUntaggedAfterDays or expireTaggedAfterDays", keep.n, oneAny)
	case (keep.set || all.set) && explicitAny >= 0:
		name, h := "keepLatest", keep
		if all.set {
			name, h = "expireAllAfterDays", all
		}
		p, _ := helperAt(name, h)
		ps.Addf(p, "%s cannot be combined with rules[%d], which also has tagStatus any: %s", name, explicitAny, oneAny)
	case keep.set:
		addHelper("keepLatest", keep,
			Selection{TagStatus: TagStatusAny, CountType: CountTypeImageCountMoreThan},
			fmt.Sprintf("Keep the newest %d images", keep.n))
	case all.set:
		addHelper("expireAllAfterDays", all,
			Selection{TagStatus: TagStatusAny, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays},
			fmt.Sprintf("Expire images older than %d days", all.n))
	}

	// 4. The number of rules, and a policy that would expire nothing.
	var protects, helpers, typed int
	for _, g := range gens {
		switch g.kind {
		case genProtect:
			protects++
		case genHelper:
			helpers++
		default:
			typed++
		}
	}
	if len(gens) > MaxRules {
		ps.Addf(path, "a lifecycle policy can have at most %d rules (ECR limit), but this one would have %d: %d from protectTags (one per entry, as ECR ANDs the entries of one rule), %d from rules and %d from the helper fields", MaxRules, len(gens), protects, typed, helpers)
	}
	if protects > 0 && helpers+typed == 0 && len(ps) == 0 {
		ps.Addf(field("protectTags"), "protectTags only keeps images away from the other rules, and there are none, so the policy would never expire an image; add rules, a helper such as expireUntaggedAfterDays, or a template")
	}
	if len(gens) == 0 {
		if len(ps) == 0 { // unreachable: a non-empty spec sets something
			ps.Addf(path, "the lifecycle settings produce no rule")
		}
		return nil, ps
	}

	// 5. Priorities.
	assignPriorities(gens)

	// 6. ECR's rules, reported at the spec fields.
	p := &Policy{Rules: make([]PolicyRule, len(gens))}
	for i, g := range gens {
		p.Rules[i] = g.rule
	}
	loc := locator{
		policy: path,
		rules:  path,
		at:     func(i int, f string) string { return gens[i].at(f) },
		name:   func(i int) string { return fmt.Sprintf("%s (priority %d)", gens[i].name, gens[i].rule.RulePriority) },
		label:  func(i int, f string) string { return gens[i].label(f) },
	}
	ps.Add(checkPolicy(p, loc, checkOptions{typed: true, skipCount: true})...)

	// 7. Placements that would change what the fields mean.
	checkProtectOrder(&ps, gens)
	checkShadowed(&ps, gens)

	if len(ps) > 0 {
		return nil, ps
	}
	slices.SortStableFunc(p.Rules, func(a, b PolicyRule) int { return a.RulePriority - b.RulePriority })
	return p, nil
}

func cloneOrNil(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	return slices.Clone(xs)
}

// assignPriorities keeps explicit priorities; every other rule that is not a
// tagStatus any rule takes, in translation order, the lowest positive number
// not used yet; then each automatic any rule takes one more than the highest
// number in the policy.
func assignPriorities(gens []gen) {
	used := map[int]bool{}
	for _, g := range gens {
		if g.explicit {
			used[g.rule.RulePriority] = true
		}
	}
	next := 1
	for i := range gens {
		g := &gens[i]
		if g.explicit || g.rule.Selection.TagStatus == TagStatusAny {
			continue
		}
		for used[next] {
			next++
		}
		g.rule.RulePriority = next
		used[next] = true
	}
	highest := 0
	for p := range used {
		highest = max(highest, p)
	}
	for i := range gens {
		g := &gens[i]
		if !g.explicit && g.rule.Selection.TagStatus == TagStatusAny {
			highest++
			g.rule.RulePriority = highest
		}
	}
}

// checkProtectOrder refuses a typed tagged rule whose explicit priority puts
// it before a protectTags rule: ECR would let it expire protected images.
func checkProtectOrder(ps *validate.Problems, gens []gen) {
	last, lastName := 0, ""
	for _, g := range gens {
		if g.kind == genProtect && g.rule.RulePriority > last {
			last, lastName = g.rule.RulePriority, g.name
		}
	}
	if last == 0 {
		return
	}
	for _, g := range gens {
		if g.kind != genRule || !g.explicit || g.rule.Selection.TagStatus != TagStatusTagged || g.rule.RulePriority > last {
			continue
		}
		ps.Addf(g.at("rulePriority"), "priority %d puts this rule before %s at priority %d, so it could expire protected images (ECR applies the first matching rule); leave the priority unset or use more than %d", g.rule.RulePriority, lastName, last, last)
	}
}

// checkShadowed refuses a rule (other than a protectTags rule, which is meant
// never to fire) that can never expire an image because rules with a higher
// priority select every image it selects: ECR lets only the first rule whose
// tag selection matches an image expire it (aws-ecr-constraints.md §4.1 rules
// 4 and 5). The coverage test is sufficient, not complete: it finds the cases
// the helpers produce (an untagged rule, a tagged rule matching every tag,
// identical or broader prefixes) and never reports a rule that can fire.
// A rule that already has a problem is skipped, to report each mistake once.
func checkShadowed(ps *validate.Problems, gens []gen) {
	hasProblem := func(path string) bool {
		for _, q := range *ps {
			if q.Path == path || strings.HasPrefix(q.Path, path+".") || strings.HasPrefix(q.Path, path+"[") {
				return true
			}
		}
		return false
	}
	order := make([]int, len(gens))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return gens[a].rule.RulePriority - gens[b].rule.RulePriority })
	ref := func(g gen) string { return fmt.Sprintf("%s (priority %d)", g.name, g.rule.RulePriority) }
	var untaggedBy, taggedBy string
	var higherTagged []int
	for _, i := range order {
		g := gens[i]
		s := g.rule.Selection
		if g.kind != genProtect && !hasProblem(g.path) {
			by := ""
			switch s.TagStatus {
			case TagStatusUntagged:
				by = untaggedBy
			case TagStatusAny:
				if untaggedBy != "" && taggedBy != "" {
					by = untaggedBy + " and " + taggedBy
					if untaggedBy == taggedBy {
						by = untaggedBy
					}
				}
			case TagStatusTagged:
				by = taggedBy
				if by == "" {
					for _, h := range higherTagged {
						if covers(gens[h].rule.Selection, s) {
							by = ref(gens[h])
							break
						}
					}
				}
			}
			if by != "" {
				ps.Addf(g.path, "%s (priority %d) can never expire an image: every image it selects is selected first by %s, and ECR lets only the first rule whose tag selection matches an image expire it; remove one of them or change their priorities", g.name, g.rule.RulePriority, by)
			}
		}
		switch s.TagStatus {
		case TagStatusUntagged:
			if untaggedBy == "" {
				untaggedBy = ref(g)
			}
		case TagStatusAny:
			if untaggedBy == "" {
				untaggedBy = ref(g)
			}
			if taggedBy == "" {
				taggedBy = ref(g)
			}
		case TagStatusTagged:
			if taggedBy == "" && selectsEveryTag(s) {
				taggedBy = ref(g)
			}
			higherTagged = append(higherTagged, i)
		}
	}
}

// entryPrefix returns the literal prefix every tag matching the entry starts
// with, and whether matching the entry means exactly "starts with it"
// (prefix entries, and patterns of the form "lit*", "*", "**"...).
func entryPrefix(e string, pattern bool) (lit string, prefixOnly bool) {
	if !pattern {
		return e, true
	}
	k := strings.IndexByte(e, '*')
	if k < 0 {
		return e, false
	}
	return e[:k], strings.Trim(e[k:], "*") == ""
}

type entry struct {
	s       string
	pattern bool
}

func entries(s Selection) []entry {
	out := make([]entry, 0, len(s.TagPrefixList)+len(s.TagPatternList))
	for _, p := range s.TagPrefixList {
		out = append(out, entry{p, false})
	}
	for _, p := range s.TagPatternList {
		out = append(out, entry{p, true})
	}
	return out
}

// selectsEveryTag: a tagged selection every tagged image matches.
func selectsEveryTag(s Selection) bool {
	es := entries(s)
	if len(es) == 0 {
		return false
	}
	for _, e := range es {
		if lit, prefixOnly := entryPrefix(e.s, e.pattern); !prefixOnly || lit != "" {
			return false
		}
	}
	return true
}

// covers reports whether every image the tagged selection lo selects is also
// selected by the tagged selection hi. Each entry of hi must be implied by
// some entry of lo: a "starts with L" entry is implied by any entry whose
// matches all start with something starting with L; any other pattern only by
// itself.
func covers(hi, lo Selection) bool {
	his, los := entries(hi), entries(lo)
	if len(his) == 0 || len(los) == 0 {
		return false
	}
	for _, h := range his {
		hLit, hPrefixOnly := entryPrefix(h.s, h.pattern)
		ok := false
		for _, l := range los {
			lLit, _ := entryPrefix(l.s, l.pattern)
			if hPrefixOnly && strings.HasPrefix(lLit, hLit) || h.pattern && l.pattern && h.s == l.s {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// describe writes a description for a typed rule that has none.
func describe(s Selection) string {
	var what string
	switch s.TagStatus {
	case TagStatusUntagged:
		what = "untagged images"
	case TagStatusAny:
		what = "images"
	default:
		switch {
		case len(s.TagPrefixList) > 0:
			what = "images with tags starting with " + quoteList(s.TagPrefixList)
		case len(s.TagPatternList) > 0:
			what = "images with tags matching " + quoteList(s.TagPatternList)
		default:
			what = "tagged images"
		}
	}
	if s.CountType == CountTypeImageCountMoreThan {
		return fmt.Sprintf("Keep the newest %d %s", s.CountNumber, what)
	}
	return fmt.Sprintf("Expire %s older than %d days", what, s.CountNumber)
}

func quoteList(xs []string) string {
	const show = 3
	q := make([]string, 0, show)
	for _, x := range xs[:min(len(xs), show)] {
		q = append(q, fmt.Sprintf("%q", x))
	}
	out := strings.Join(q, " and ")
	if len(xs) > show {
		out += fmt.Sprintf(" and %d more", len(xs)-show)
	}
	return out
}
