package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// buildTyped translates the typed fields of a spec, one function per step of
// the package documentation, "Translation" (steps 4 to 8).
func buildTyped(path string, spec *Spec) (*Policy, validate.Problems) {
	b := &typedBuild{path: path, spec: spec}
	b.applyTemplate()        // 4
	b.yieldTemplateValues()  // 4
	b.refuseConflicts()      // 5
	b.generateRules()        // 6
	if !b.checkRuleCount() { // 8, what needs no priorities
		return nil, b.ps
	}
	assignPriorities(b.rules) // 7
	p := b.checkECRRules()    // 8
	checkProtectOrder(&b.ps, b.rules)
	checkShadowed(&b.ps, b.rules)
	if len(b.ps.Errors()) > 0 {
		return nil, b.ps
	}
	slices.SortStableFunc(p.Rules, func(a, b PolicyRule) int { return a.RulePriority - b.RulePriority })
	return p, b.ps
}

// typedBuild is the state of one typed translation.
type typedBuild struct {
	path string
	spec *Spec
	ps   validate.Problems

	tmpl                        Template
	keep, untagged, tagged, all helper
	archive, expireArchived     helper
	// The first typed rule with tagStatus any or untagged selecting active
	// (standard) images, and with tagStatus any selecting archived images;
	// -1 if none.
	explicitAny, explicitUntagged, explicitArchiveAny int

	rules []generatedRule
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

func (b *typedBuild) field(name string) string { return validate.Field(b.path, name) }

// helperAt is where a helper's problems go and how messages name it: the
// helper's own field, or the template field for a value the template gave.
func (b *typedBuild) helperAt(name string, h helper) (path, label string) {
	if h.template {
		return b.field("template"), fmt.Sprintf("%s (from template %q)", name, b.spec.Template)
	}
	return b.field(name), name
}

// Step 4: template values fill the helpers left unset.
func (b *typedBuild) applyTemplate() {
	if b.spec.Template != "" {
		if t, ok := lookupTemplate(b.spec.Template); ok {
			b.tmpl = t
		} else {
			b.ps.Add(validate.OneOf(b.field("template"), b.spec.Template, TemplateNames()...)...)
		}
	}
	b.keep = resolveHelper(b.spec.KeepLatest, b.tmpl.KeepLatest)
	b.untagged = resolveHelper(b.spec.ExpireUntaggedAfterDays, b.tmpl.ExpireUntaggedAfterDays)
	b.tagged = resolveHelper(b.spec.ExpireTaggedAfterDays, b.tmpl.ExpireTaggedAfterDays)
	b.all = resolveHelper(b.spec.ExpireAllAfterDays, 0)
	b.archive = resolveHelper(b.spec.ArchiveNotPulledAfterDays, 0)
	b.expireArchived = resolveHelper(b.spec.ExpireArchivedAfterDays, 0)
	b.explicitAny, b.explicitUntagged, b.explicitArchiveAny = -1, -1, -1
	first := func(k *int, j int) {
		if *k < 0 {
			*k = j
		}
	}
	for j, r := range b.spec.Rules {
		switch archived := r.storageClass() == StorageClassArchive; {
		case r.TagStatus == TagStatusAny && archived:
			first(&b.explicitArchiveAny, j)
		case r.TagStatus == TagStatusAny:
			first(&b.explicitAny, j)
		case r.TagStatus == TagStatusUntagged && !archived:
			first(&b.explicitUntagged, j)
		}
	}
}

// Step 4: a template value yields to anything set explicitly that it would
// conflict with (see the package documentation, "Templates").
func (b *typedBuild) yieldTemplateValues() {
	explicit := func(h helper) bool { return h.set && !h.template }
	// Explicit rules selecting every active image (no template sets them).
	anyRule := b.all.set || b.archive.set || b.explicitAny >= 0
	// keepLatest and expireTaggedAfterDays both select every tagged image,
	// and an any rule after either would select nothing new that is tagged.
	if b.keep.template && (explicit(b.tagged) || anyRule) {
		b.keep = helper{}
	}
	if b.tagged.template && (explicit(b.keep) || anyRule) {
		b.tagged = helper{}
	}
	if b.keep.template && b.tagged.template { // no built-in template sets both
		b.keep = helper{}
	}
	if b.untagged.template && b.explicitUntagged >= 0 {
		b.untagged = helper{}
	}
	// The untagged and tagged rules together select every image first, so
	// an any rule after them could never fire.
	if b.untagged.template && b.tagged.set && anyRule {
		b.untagged = helper{}
	}
}

// hasUntaggedRule: the policy has a rule selecting untagged active images
// (expireUntaggedAfterDays, from a template or not, or a typed rule).
func (b *typedBuild) hasUntaggedRule() bool { return b.untagged.set || b.explicitUntagged >= 0 }

// Step 5: combinations of explicit values that ECR would accept but never
// apply as written are refused, naming both fields; the refused helper
// generates no rule, so it is reported once.
func (b *typedBuild) refuseConflicts() {
	keep, all := b.keep, b.all
	switch {
	case keep.set && all.set:
		// keep.template was dropped by yieldTemplateValues, so both are explicit.
		b.ps.Addf(b.field("expireAllAfterDays"), "expireAllAfterDays cannot be combined with keepLatest (%d): both select every image (tagStatus any); %s. Use one of them; either combines with expireUntaggedAfterDays", keep.n, oneAny)
		b.keep, b.all = helper{}, helper{}
	case (keep.set || all.set) && b.explicitAny >= 0:
		name, h := "keepLatest", keep
		if all.set {
			name, h = "expireAllAfterDays", all
		}
		p, _ := b.helperAt(name, h)
		b.ps.Addf(p, "%s cannot be combined with rules[%d], which also has tagStatus any: %s", name, b.explicitAny, oneAny)
		b.keep, b.all = helper{}, helper{}
	}
	if b.keep.set && b.tagged.set {
		// Both explicit: template values yielded in yieldTemplateValues.
		p, name := b.helperAt("keepLatest", b.keep)
		b.ps.Addf(p, "%s (%d) cannot be combined with expireTaggedAfterDays (%d): both select every tagged image, and expireTaggedAfterDays comes first, so ECR (which lets only the first rule whose tag selection matches an image expire it) would never let keepLatest cap the tagged images; it could only expire untagged images. Use keepLatest to keep the newest N tagged images, or expireTaggedAfterDays to expire tagged images by age, not both", name, b.keep.n, b.tagged.n)
		b.keep = helper{}
	}
	if b.archive.set {
		// Template values yielded in yieldTemplateValues, so the others are explicit.
		var other string
		switch {
		case b.keep.set:
			other = fmt.Sprintf("keepLatest (%d)", b.keep.n)
		case b.tagged.set:
			other = fmt.Sprintf("expireTaggedAfterDays (%d)", b.tagged.n)
		case b.all.set:
			other = fmt.Sprintf("expireAllAfterDays (%d)", b.all.n)
		case b.explicitAny >= 0:
			other = fmt.Sprintf("rules[%d] (tagStatus any)", b.explicitAny)
		}
		if other != "" {
			b.ps.Addf(b.field("archiveNotPulledAfterDays"), "archiveNotPulledAfterDays (%d) cannot be combined with %s: the archive rule selects every image (tagStatus any) and must be the last rule for active images, and %s selects every tagged image before it; ECR lets only the first rule whose tag selection matches an image act on it, so no tagged image would ever be archived. archiveNotPulledAfterDays combines with expireUntaggedAfterDays, protectTags and typed tagged rules", b.archive.n, other, other)
			b.archive = helper{}
		}
	}
	if b.expireArchived.set && b.explicitArchiveAny >= 0 {
		b.ps.Addf(b.field("expireArchivedAfterDays"), "expireArchivedAfterDays cannot be combined with rules[%d], which also selects every archived image (tagStatus any, sinceImageTransitioned): %s", b.explicitArchiveAny, oneAny)
		b.expireArchived = helper{}
	}
}

// Step 6: the rules, in translation order.
func (b *typedBuild) generateRules() {
	b.addProtectRules()
	if b.untagged.set {
		b.addHelper("expireUntaggedAfterDays", b.untagged,
			Selection{TagStatus: TagStatusUntagged, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays},
			fmt.Sprintf("Expire untagged images older than %d days", b.untagged.n))
	}
	b.addTypedRules()
	if b.tagged.set {
		b.addHelper("expireTaggedAfterDays", b.tagged,
			Selection{TagStatus: TagStatusTagged, TagPatternList: []string{"*"}, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays},
			fmt.Sprintf("Expire tagged images older than %d days", b.tagged.n))
	}
	b.addLastRules()
	if b.archive.set {
		g := b.addHelper("archiveNotPulledAfterDays", b.archive,
			Selection{TagStatus: TagStatusAny, CountType: CountTypeSinceImagePulled, CountUnit: CountUnitDays},
			fmt.Sprintf("Archive images not pulled for %d days", b.archive.n))
		g.rule.Action = Action{Type: ActionTransition, TargetStorageClass: StorageClassArchive}
	}
	if b.expireArchived.set {
		b.addHelper("expireArchivedAfterDays", b.expireArchived,
			Selection{TagStatus: TagStatusAny, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountUnit: CountUnitDays},
			fmt.Sprintf("Expire images archived more than %d days ago", b.expireArchived.n))
	}
}

func (b *typedBuild) addHelper(name string, h helper, sel Selection, description string) *generatedRule {
	p, n := b.helperAt(name, h)
	sel.CountNumber = h.n
	b.rules = append(b.rules, generatedRule{
		rule:   PolicyRule{Description: description, Selection: sel, Action: Action{Type: ActionExpire}},
		origin: fromHelper, name: n, path: p, field: name,
	})
	return &b.rules[len(b.rules)-1]
}

func (b *typedBuild) addProtectRules() {
	seen := map[string]int{}
	for k, t := range b.spec.ProtectTags {
		at := fmt.Sprintf("%s[%d]", b.field("protectTags"), k)
		if t == "" {
			b.ps.Addf(at, `a protected tag must not be empty (an empty prefix would protect every tagged image; write "*" if that is meant), got ""`)
			continue
		}
		if j, ok := seen[t]; ok {
			b.ps.Addf(at, "protected tags must be unique, got %q, which protectTags[%d] already lists", t, j)
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
		b.rules = append(b.rules, generatedRule{
			rule:   PolicyRule{Description: desc, Selection: sel, Action: Action{Type: ActionExpire}},
			origin: fromProtectTags, name: fmt.Sprintf("protectTags[%d] (%q)", k, t), path: at, field: fmt.Sprintf("protectTags[%d]", k),
		})
	}
}

func (b *typedBuild) addTypedRules() {
	for j, r := range b.spec.Rules {
		at := fmt.Sprintf("%s[%d]", b.field("rules"), j)
		priority := 0
		if r.Priority != nil {
			if *r.Priority < 1 {
				b.ps.Addf(validate.Field(at, "priority"), "priority must be a positive integer (ECR's rulePriority starts at 1); leave it unset to have one assigned automatically, got %d", *r.Priority)
			} else {
				priority = *r.Priority
			}
		}
		b.checkTypedTags(at, r)
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
		if r.storageClass() == StorageClassArchive {
			sel.StorageClass = StorageClassArchive
		}
		action := Action{Type: r.Action}
		switch r.Action {
		case "":
			action.Type = ActionExpire
		case ActionTransition:
			action.TargetStorageClass = StorageClassArchive
		}
		desc := r.Description
		if desc == "" {
			desc = describe(sel, action)
		}
		b.rules = append(b.rules, generatedRule{
			rule:     PolicyRule{RulePriority: priority, Description: desc, Selection: sel, Action: action},
			origin:   fromRules,
			explicit: priority > 0,
			name:     fmt.Sprintf("rules[%d]", j),
			path:     at,
		})
	}
}

// checkTypedTags refuses empty tag prefixes and patterns, as protectTags
// does: an empty prefix matches every tag, so it silently widens the rule to
// every tagged image, and an empty pattern matches no tag at all.
func (b *typedBuild) checkTypedTags(at string, r Rule) {
	for k, p := range r.TagPrefixes {
		if p == "" {
			b.ps.Addf(fmt.Sprintf("%s[%d]", validate.Field(at, "tagPrefixes"), k), `a tag prefix must not be empty (an empty prefix matches every tag; write tagPatterns ["*"] if every tagged image is meant), got ""`)
		}
	}
	for k, p := range r.TagPatterns {
		if p == "" {
			b.ps.Addf(fmt.Sprintf("%s[%d]", validate.Field(at, "tagPatterns"), k), `a tag pattern must not be empty (an empty pattern matches no tag, so the rule would select nothing; write "*" if every tagged image is meant), got ""`)
		}
	}
}

// oneAny explains why two tagStatus any rules of one storage class are refused.
const oneAny = "ECR allows one tagStatus any rule per storage class, with the highest priority, and the first rule whose tag selection matches an image is the only one that can expire it, so the second could never expire anything"

// addLastRules adds keepLatest or expireAllAfterDays, which come after every
// other rule (refuseConflicts left at most one of them).
//
// keepLatest counts what it selects, and ECR counts images that a
// higher-priority rule claimed too. When an untagged rule exists, a
// tagStatus any count would rank fresh untagged images (which only the
// untagged rule may expire) among the newest N and expire in-use tagged images
// instead; so keepLatest then selects tagged images only (tagPatternList
// ["*"]) and untagged images follow the untagged rule. Without an untagged
// rule it keeps the newest N images of any tag status.
func (b *typedBuild) addLastRules() {
	switch {
	case b.keep.set && b.hasUntaggedRule():
		g := b.addHelper("keepLatest", b.keep,
			Selection{TagStatus: TagStatusTagged, TagPatternList: []string{"*"}, CountType: CountTypeImageCountMoreThan},
			fmt.Sprintf("Keep the newest %d tagged images", b.keep.n))
		g.last = true
	case b.keep.set:
		b.addHelper("keepLatest", b.keep,
			Selection{TagStatus: TagStatusAny, CountType: CountTypeImageCountMoreThan},
			fmt.Sprintf("Keep the newest %d images", b.keep.n))
	case b.all.set:
		b.addHelper("expireAllAfterDays", b.all,
			Selection{TagStatus: TagStatusAny, CountType: CountTypeSinceImagePushed, CountUnit: CountUnitDays},
			fmt.Sprintf("Expire images older than %d days", b.all.n))
	}
}

// Step 8, first part: the number of rules, a policy that would expire
// nothing, and protectTags that protects nothing. It reports whether there
// are rules to go on with.
func (b *typedBuild) checkRuleCount() bool {
	var protects, helpers, typed int
	for _, g := range b.rules {
		switch g.origin {
		case fromProtectTags:
			protects++
		case fromHelper:
			helpers++
		default:
			typed++
		}
	}
	if len(b.rules) > MaxRules {
		b.ps.Addf(b.path, "a lifecycle policy can have at most %d rules (ECR limit), but this one would have %d: %d from protectTags (one per entry, as ECR ANDs the entries of one rule), %d from rules and %d from the helper fields", MaxRules, len(b.rules), protects, typed, helpers)
	}
	if protects > 0 && helpers+typed == 0 && len(b.ps) == 0 {
		b.ps.Addf(b.field("protectTags"), "protectTags only keeps images away from the other rules, and there are none, so the policy would never expire an image; add rules, a helper such as expireUntaggedAfterDays, or a template")
	}
	if protects > 0 && helpers+typed > 0 && !b.hasActiveTaggedRule() {
		b.ps.Warnf(b.field("protectTags"), "protectTags protects nothing here: it keeps tagged images away from the other rules, but the other rules select only untagged images (or archived images, which protective rules never select), so no tagged image would be expired or archived anyway")
	}
	if len(b.rules) == 0 {
		if len(b.ps) == 0 { // unreachable: a non-empty spec sets something
			b.ps.Addf(b.path, "the lifecycle settings produce no rule")
		}
		return false
	}
	return true
}

// hasActiveTaggedRule: a rule other than the protective ones selects tagged
// active (standard) images, the only images protectTags keeps from it.
func (b *typedBuild) hasActiveTaggedRule() bool {
	for _, g := range b.rules {
		if g.origin != fromProtectTags && g.rule.Selection.TagStatus != TagStatusUntagged && storageClassOf(g.rule) == StorageClassStandard {
			return true
		}
	}
	return false
}

// Step 8: ECR's own rules, reported at the spec fields the rules came from.
func (b *typedBuild) checkECRRules() *Policy {
	p := &Policy{Rules: make([]PolicyRule, len(b.rules))}
	for i, g := range b.rules {
		p.Rules[i] = g.rule
	}
	rules := b.rules
	loc := locator{
		policy: b.path,
		rules:  b.path,
		at:     func(i int, f string) string { return rules[i].at(f) },
		name:   func(i int) string { return fmt.Sprintf("%s (priority %d)", rules[i].name, rules[i].rule.RulePriority) },
		label:  func(i int, f string) string { return rules[i].label(f) },
	}
	b.ps.Add(checkPolicy(p, loc, checkOptions{typed: true, skipCount: true})...)
	return p
}

// origin is the kind of spec field a generated rule came from.
type origin int

const (
	fromProtectTags origin = iota
	fromHelper
	fromRules
)

// generatedRule is one rule of the policy with the spec field it came from.
type generatedRule struct {
	rule     PolicyRule
	origin   origin
	explicit bool   // the user gave the priority
	last     bool   // placed after every rule but the tagStatus any rules (keepLatest)
	name     string // how messages refer to it
	path     string // where its problems go
	field    string // the helper or protectTags entry, for messages
}

// label names a field of the generated rule in a message: the typed rule's
// field, or the helper / protectTags entry itself.
func (g generatedRule) label(field string) string {
	if g.origin != fromRules {
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
func (g generatedRule) at(field string) string {
	if g.origin != fromRules || field == "" {
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
	case "selection.countType", "selection.countUnit", "selection.storageClass":
		return validate.Field(g.path, "countType")
	case "action.type", "action.targetStorageClass":
		return validate.Field(g.path, "action")
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

func cloneOrNil(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	return slices.Clone(xs)
}

// assignPriorities (step 7) keeps explicit priorities; every other rule that
// is neither a tagStatus any rule nor marked last takes, in translation order,
// the lowest positive number not used yet; then each automatic rule marked
// last, and then each automatic tagStatus any rule, takes one more than the
// highest number in the policy.
func assignPriorities(rules []generatedRule) {
	used := map[int]bool{}
	for _, g := range rules {
		if g.explicit {
			used[g.rule.RulePriority] = true
		}
	}
	isAny := func(g *generatedRule) bool { return g.rule.Selection.TagStatus == TagStatusAny }
	next := 1
	for i := range rules {
		g := &rules[i]
		if g.explicit || g.last || isAny(g) {
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
	for _, pass := range []func(g *generatedRule) bool{
		func(g *generatedRule) bool { return g.last && !isAny(g) },
		isAny,
	} {
		for i := range rules {
			if g := &rules[i]; !g.explicit && pass(g) {
				highest++
				g.rule.RulePriority = highest
			}
		}
	}
}

// describe writes a description for a typed rule that has none.
func describe(s Selection, a Action) string {
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
	transition := a.Type == ActionTransition
	switch {
	case s.CountType == CountTypeImageCountMoreThan && transition:
		return fmt.Sprintf("Archive %s beyond the newest %d", what, s.CountNumber)
	case s.CountType == CountTypeImageCountMoreThan:
		return fmt.Sprintf("Keep the newest %d %s", s.CountNumber, what)
	case s.CountType == CountTypeSinceImagePulled && transition:
		return fmt.Sprintf("Archive %s not pulled for %d days", what, s.CountNumber)
	case s.CountType == CountTypeSinceImageTransitioned:
		return fmt.Sprintf("Expire archived %s after %d days in archive", what, s.CountNumber)
	case transition:
		return fmt.Sprintf("Archive %s older than %d days", what, s.CountNumber)
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
