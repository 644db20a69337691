package lifecycle

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Validate checks a lifecycle policy document against every documented ECR
// rule
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html,
// https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html)
// and reports all problems, with paths like
// `<path>.rules[1].selection.countUnit` (rules[i] is the i-th rule as given,
// counting from 0). A nil policy means "no lifecycle policy" and has no
// problems.
//
// Rules checked:
//   - 1 to 50 rules; the canonical text (JSON) 100 to 30,720 characters;
//   - rulePriority at least 1 and unique;
//   - tag prefixes, tag patterns and descriptions are valid UTF-8;
//   - tagStatus tagged, untagged or any; tagged needs tagPrefixList or
//     tagPatternList, not both; untagged and any allow neither; at most four
//     '*' per pattern;
//   - countType imageCountMoreThan, sinceImagePushed, sinceImagePulled or
//     sinceImageTransitioned; countUnit "days" required with the since* types
//     and forbidden with imageCountMoreThan; countNumber positive;
//   - storageClass standard or archive (omitted means standard); archive is
//     required with sinceImageTransitioned and refused with every other count
//     type;
//   - action.type expire or transition; transition needs targetStorageClass
//     archive and expire allows none; sinceImagePulled only with transition;
//     sinceImageTransitioned only with expire and countNumber at least 90;
//   - per storage class (the documented "any must be last" rule applied per
//     class, as AWS's own example "Combining archive and expire rules" has
//     two any rules; an inference): a tagStatus any rule has the highest
//     priority of its class; at most one untagged rule per class; no two
//     tagged rules of a class with the same set of tag prefixes.
func Validate(path string, p *Policy) validate.Problems {
	if p == nil {
		return nil
	}
	return checkPolicy(p, docLocator(path, p), checkOptions{})
}

// A locator tells checkPolicy where to report a problem about rule i and how
// to name the rule in messages. Validate reports at the document's own JSON
// paths; Build reports at the spec field a rule came from.
type locator struct {
	policy string                           // problems about the whole document
	rules  string                           // problems about the number of rules
	at     func(i int, field string) string // field is a JSON path inside the rule, "" for the rule
	name   func(i int) string               // how messages refer to rule i
	label  func(i int, field string) string // how messages name a field of rule i
}

func docLocator(path string, p *Policy) locator {
	rules := validate.Field(path, "rules")
	return locator{
		policy: path,
		rules:  rules,
		at: func(i int, field string) string {
			return validate.Field(fmt.Sprintf("%s[%d]", rules, i), field)
		},
		name:  func(i int) string { return fmt.Sprintf("rules[%d] (priority %d)", i, p.Rules[i].RulePriority) },
		label: func(_ int, field string) string { return jsonLabel(field) },
	}
}

// jsonLabel names a document field in a message: its last key, except that
// action.type stays qualified.
func jsonLabel(field string) string {
	if field == "action.type" {
		return field
	}
	if k := strings.LastIndexByte(field, '.'); k >= 0 {
		return field[k+1:]
	}
	return field
}

type checkOptions struct {
	// typed: the rules come from Build, which derives storageClass and
	// targetStorageClass from the count type and action, so a wrong count
	// type is the only problem to report about them.
	typed bool
	// skipCount: the caller reports the number of rules itself.
	skipCount bool
	// skipFields: the caller already reported field problems; only the
	// cross-rule checks and the length run.
	skipFields bool
}

func checkPolicy(p *Policy, l locator, o checkOptions) validate.Problems {
	var ps validate.Problems
	if !o.skipCount {
		if n := len(p.Rules); n < 1 || n > MaxRules {
			ps.Addf(l.rules, "a lifecycle policy must have 1 to %d rules (ECR limit), got %d", MaxRules, n)
		}
	}
	if !o.skipFields {
		for i := range p.Rules {
			checkRule(&ps, p.Rules[i], i, l, o)
		}
	}
	checkAcrossRules(&ps, p, l)
	if len(p.Rules) > 0 {
		if n := utf8.RuneCountInString(p.JSON()); n < MinPolicyLength || n > MaxPolicyLength {
			ps.Addf(l.policy, "the lifecycle policy document (canonical JSON) must be %d to %d characters long (ECR limit), got %d", MinPolicyLength, MaxPolicyLength, n)
		}
	}
	return ps
}

func checkRule(ps *validate.Problems, r PolicyRule, i int, l locator, o checkOptions) {
	s := r.Selection
	if r.RulePriority < 1 {
		ps.Addf(l.at(i, "rulePriority"), "%s must be an integer of at least 1 (ECR rulePriority minimum), got %d", l.label(i, "rulePriority"), r.RulePriority)
	}

	switch s.TagStatus {
	case TagStatusTagged:
		switch {
		case len(s.TagPrefixList) == 0 && len(s.TagPatternList) == 0:
			ps.Addf(l.at(i, "selection.tagStatus"), "a rule with tagStatus %q must list tag prefixes or tag patterns (ECR selects tagged images only by tag), got neither", s.TagStatus)
		case len(s.TagPrefixList) > 0 && len(s.TagPatternList) > 0:
			ps.Addf(l.at(i, "selection.tagPatternList"), "a rule may have tag prefixes or tag patterns but not both (ECR rule), got prefixes %q and patterns %q", s.TagPrefixList, s.TagPatternList)
		}
	case TagStatusUntagged, TagStatusAny:
		if len(s.TagPrefixList) > 0 {
			ps.Addf(l.at(i, "selection.tagPrefixList"), "tag prefixes are allowed only with tagStatus %q, not with %q (ECR rule), got %q", TagStatusTagged, s.TagStatus, s.TagPrefixList)
		}
		if len(s.TagPatternList) > 0 {
			ps.Addf(l.at(i, "selection.tagPatternList"), "tag patterns are allowed only with tagStatus %q, not with %q (ECR rule), got %q", TagStatusTagged, s.TagStatus, s.TagPatternList)
		}
	default:
		ps.Addf(l.at(i, "selection.tagStatus"), "%s must be tagged, untagged or any, got %q", l.label(i, "selection.tagStatus"), s.TagStatus)
	}
	for _, list := range []struct {
		field string
		xs    []string
	}{{"selection.tagPrefixList", s.TagPrefixList}, {"selection.tagPatternList", s.TagPatternList}} {
		for k, x := range list.xs {
			if !utf8.ValidString(x) {
				ps.Addf(l.at(i, fmt.Sprintf("%s[%d]", list.field, k)), "tag prefixes and patterns must be valid UTF-8 text, got %q", x)
			}
		}
	}
	if !utf8.ValidString(r.Description) {
		ps.Addf(l.at(i, "description"), "%s must be valid UTF-8 text, got %q", l.label(i, "description"), r.Description)
	}
	for k, pat := range s.TagPatternList {
		if n := strings.Count(pat, "*"); n > MaxPatternStars {
			ps.Addf(l.at(i, fmt.Sprintf("selection.tagPatternList[%d]", k)), "a tag pattern may contain at most %d '*' wildcards (ECR limit), got %d in %q", MaxPatternStars, n, pat)
		}
	}

	countTypeKnown := true
	switch s.CountType {
	case CountTypeImageCountMoreThan:
		if s.CountUnit != "" {
			ps.Addf(l.at(i, "selection.countUnit"), "%s must be omitted when countType is %s (ECR rejects a count unit there), got %q", l.label(i, "selection.countUnit"), s.CountType, s.CountUnit)
		}
	case CountTypeSinceImagePushed, CountTypeSinceImagePulled, CountTypeSinceImageTransitioned:
		if s.CountUnit != CountUnitDays {
			ps.Addf(l.at(i, "selection.countUnit"), "%s must be %q when countType is %s (ECR requires a count unit for the since* count types), got %q", l.label(i, "selection.countUnit"), CountUnitDays, s.CountType, s.CountUnit)
		}
	default:
		countTypeKnown = false
		ps.Addf(l.at(i, "selection.countType"), "%s must be imageCountMoreThan, sinceImagePushed, sinceImagePulled or sinceImageTransitioned, got %q", l.label(i, "selection.countType"), s.CountType)
	}
	if s.CountNumber < 1 {
		ps.Addf(l.at(i, "selection.countNumber"), "%s must be a positive integer (ECR does not accept 0 as a count), got %d", l.label(i, "selection.countNumber"), s.CountNumber)
	}

	storageKnown := true
	switch s.StorageClass {
	case "", StorageClassStandard, StorageClassArchive:
	default:
		storageKnown = false
		ps.Addf(l.at(i, "selection.storageClass"), "storageClass must be standard or archive (omitted means standard), got %q", s.StorageClass)
	}
	if storageKnown && countTypeKnown {
		if s.CountType == CountTypeSinceImageTransitioned {
			if s.StorageClass != StorageClassArchive {
				ps.Addf(l.at(i, "selection.storageClass"), "storageClass must be %q when countType is %s (ECR requires it), got %q", StorageClassArchive, s.CountType, s.StorageClass)
			}
		} else if s.StorageClass == StorageClassArchive {
			ps.Addf(l.at(i, "selection.storageClass"), "storageClass must be %q (or omitted) when countType is %s (ECR: the only supported value), got %q", StorageClassStandard, s.CountType, s.StorageClass)
		}
	}

	if !countTypeKnown && o.typed {
		return // the storage classes are derived from the count type, which is wrong
	}
	action := l.label(i, "action.type")
	switch r.Action.Type {
	case ActionExpire:
		if r.Action.TargetStorageClass != "" {
			ps.Addf(l.at(i, "action.targetStorageClass"), "targetStorageClass must be omitted when action.type is %s (it is only for transition), got %q", r.Action.Type, r.Action.TargetStorageClass)
		}
		if s.CountType == CountTypeSinceImagePulled {
			ps.Addf(l.at(i, "action.type"), "%s must be %q when countType is %s (ECR archives images by their last pull but cannot expire them by it), got %q", action, ActionTransition, s.CountType, r.Action.Type)
		}
		if s.CountType == CountTypeSinceImageTransitioned && s.CountNumber >= 1 && s.CountNumber < MinArchivedDays {
			ps.Addf(l.at(i, "selection.countNumber"), "%s must be at least %d when expiring archived images (sinceImageTransitioned): ECR keeps images in archive at least %d days, got %d", l.label(i, "selection.countNumber"), MinArchivedDays, MinArchivedDays, s.CountNumber)
		}
	case ActionTransition:
		if r.Action.TargetStorageClass != StorageClassArchive {
			ps.Addf(l.at(i, "action.targetStorageClass"), "targetStorageClass must be %q when action.type is %s (the only supported value), got %q", StorageClassArchive, r.Action.Type, r.Action.TargetStorageClass)
		}
		if s.CountType == CountTypeSinceImageTransitioned {
			ps.Addf(l.at(i, "action.type"), "%s must be %q when countType is %s (ECR: archived images can only be expired), got %q", action, ActionExpire, s.CountType, r.Action.Type)
		}
	default:
		ps.Addf(l.at(i, "action.type"), "%s must be expire or transition, got %q", action, r.Action.Type)
	}
}

func checkAcrossRules(ps *validate.Problems, p *Policy, l locator) {
	// Unique priorities.
	first := map[int]int{}
	for i, r := range p.Rules {
		if j, ok := first[r.RulePriority]; ok {
			ps.Addf(l.at(i, "rulePriority"), "%s must be unique (ECR rule), got %d, which %s already uses", l.label(i, "rulePriority"), r.RulePriority, l.name(j))
			continue
		}
		first[r.RulePriority] = i
	}

	// Per storage class: any last, one untagged rule, unique prefix sets.
	type classInfo struct {
		top      int // index of the rule with the highest priority (first such)
		untagged int // index of the first untagged rule by priority, -1 if none
		prefixes map[string]int
	}
	classes := map[string]*classInfo{}
	var order []string
	byPriority := make([]int, len(p.Rules))
	for i := range byPriority {
		byPriority[i] = i
	}
	slices.SortStableFunc(byPriority, func(a, b int) int { return p.Rules[a].RulePriority - p.Rules[b].RulePriority })
	for _, i := range byPriority {
		r := p.Rules[i]
		sc := storageClassOf(r)
		c := classes[sc]
		if c == nil {
			c = &classInfo{top: i, untagged: -1, prefixes: map[string]int{}}
			classes[sc] = c
			order = append(order, sc)
		}
		if r.RulePriority > p.Rules[c.top].RulePriority {
			c.top = i
		}
		switch r.Selection.TagStatus {
		case TagStatusUntagged:
			if c.untagged >= 0 {
				ps.Addf(l.at(i, "selection.tagStatus"), "only one rule per storage class may select untagged images (ECR rule), but %s already selects untagged %s images", l.name(c.untagged), sc)
			} else {
				c.untagged = i
			}
		case TagStatusTagged:
			if len(r.Selection.TagPrefixList) > 0 {
				key := strings.Join(sortedSet(r.Selection.TagPrefixList), "\x00")
				if j, ok := classes[sc].prefixes[key]; ok {
					ps.Addf(l.at(i, "selection.tagPrefixList"), "the rules of one storage class must have unique sets of tag prefixes (ECR rule), but %s already selects %s images by the prefixes %q", l.name(j), sc, sortedSet(r.Selection.TagPrefixList))
				} else {
					c.prefixes[key] = i
				}
			}
		}
	}
	for _, sc := range order {
		c := classes[sc]
		top := p.Rules[c.top]
		for i, r := range p.Rules {
			if storageClassOf(r) != sc || r.Selection.TagStatus != TagStatusAny || r.RulePriority >= top.RulePriority {
				continue
			}
			ps.Addf(l.at(i, "rulePriority"), "a rule with tagStatus any must have the highest rulePriority of the %s rules (ECR evaluates it last), got %d but %s is higher", sc, r.RulePriority, l.name(c.top))
		}
	}
}
