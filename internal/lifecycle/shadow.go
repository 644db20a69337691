package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Shadowing analysis (step 8 of the translation): placements that ECR accepts
// but that change what the spec fields mean. It rests on two of ECR's
// evaluation rules
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules):
// "An image that matches the tagging requirements of a rule cannot be expired
// by a rule with a lower priority", and "Rules can never mark images that are
// marked by higher priority rules, but can still identify them as if they
// haven't been expired".

// checkProtectOrder refuses a typed tagged rule whose explicit priority puts
// it before a protectTags rule: ECR would let it expire protected images.
func checkProtectOrder(ps *validate.Problems, rules []generatedRule) {
	last, lastName := 0, ""
	for _, g := range rules {
		if g.origin == fromProtectTags && g.rule.RulePriority > last {
			last, lastName = g.rule.RulePriority, g.name
		}
	}
	if last == 0 {
		return
	}
	for _, g := range rules {
		if g.origin != fromRules || !g.explicit || g.rule.Selection.TagStatus != TagStatusTagged || g.rule.RulePriority > last ||
			storageClassOf(g.rule) != StorageClassStandard { // protective rules select active images only
			continue
		}
		ps.Addf(g.at("rulePriority"), "priority %d puts this rule before %s at priority %d, so it could expire protected images (ECR applies the first matching rule); leave the priority unset or use more than %d", g.rule.RulePriority, lastName, last, last)
	}
}

// checkShadowed refuses a rule (other than a protectTags rule, which is meant
// never to fire) that can never expire an image because rules with a higher
// priority select every image it selects: ECR lets only the first rule whose
// tag selection matches an image expire it. The coverage test is sufficient,
// not complete: it finds the cases the helpers produce (an untagged rule, a
// tagged rule matching every tag, identical or broader prefixes) and never
// reports a rule that can fire. A rule that already has a problem is
// skipped, to report each mistake once. Rules of different storage classes
// select different images and never shadow each other.
func checkShadowed(ps *validate.Problems, rules []generatedRule) {
	for _, class := range []string{StorageClassStandard, StorageClassArchive} {
		var idx []int
		for i := range rules {
			if storageClassOf(rules[i].rule) == class {
				idx = append(idx, i)
			}
		}
		checkShadowedIn(ps, rules, idx)
	}
}

// checkShadowedIn runs checkShadowed's analysis over rules[idx], one storage
// class.
func checkShadowedIn(ps *validate.Problems, rules []generatedRule, idx []int) {
	hasProblem := func(path string) bool {
		for _, q := range *ps {
			if !q.Warning && (q.Path == path || strings.HasPrefix(q.Path, path+".") || strings.HasPrefix(q.Path, path+"[")) {
				return true
			}
		}
		return false
	}
	order := slices.Clone(idx)
	slices.SortStableFunc(order, func(a, b int) int { return rules[a].rule.RulePriority - rules[b].rule.RulePriority })
	ref := func(g generatedRule) string { return fmt.Sprintf("%s (priority %d)", g.name, g.rule.RulePriority) }
	var untaggedBy, taggedBy string
	var higherTagged []int
	for _, i := range order {
		g := rules[i]
		s := g.rule.Selection
		if g.origin != fromProtectTags && !hasProblem(g.path) {
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
						if covers(rules[h].rule.Selection, s) {
							by = ref(rules[h])
							break
						}
					}
				}
			}
			if by != "" {
				verb := "expire"
				if g.rule.Action.Type == ActionTransition {
					verb = "archive"
				}
				ps.Addf(g.path, "%s (priority %d) can never %s an image: every image it selects is selected first by %s, and ECR lets only the first rule whose tag selection matches an image act on it; remove one of them or change their priorities", g.name, g.rule.RulePriority, verb, by)
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

// entry is one tag prefix or tag pattern of a selection.
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
