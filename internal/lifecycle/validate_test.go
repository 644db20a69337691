package lifecycle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const vp = `repositories["x"].lifecycle.policy`

// validPolicy is a policy every case starts from; each passes Validate.
func validPolicy() *Policy {
	return &Policy{Rules: []PolicyRule{
		expireRule(1, "protect releases", prefixCount(9999, "release")),
		expireRule(2, "untagged", untaggedDays(14)),
		expireRule(3, "rc", Selection{TagStatus: TagStatusTagged, TagPatternList: []string{"*-rc*"}, CountType: CountTypeImageCountMoreThan, CountNumber: 3}),
		expireRule(4, "keep 100", anyCount(100)),
	}}
}

func TestValidateGood(t *testing.T) {
	t.Parallel()
	cases := map[string]*Policy{
		"base":   validPolicy(),
		"nil":    nil,
		"sparse": {Rules: []PolicyRule{expireRule(10, "a sparse priority is fine", untaggedDays(1)), expireRule(700, "and large ones", anyDays(3))}},
		"four wildcards": {Rules: []PolicyRule{
			expireRule(1, "AWS's own valid example", patternDays(1, "*test*1*2*3", "test*1*2*3*")),
		}},
		"two prefixes ANDed and patterns": {Rules: []PolicyRule{
			expireRule(1, "prefixes", prefixCount(5, "alpha", "beta")),
			expireRule(2, "patterns", patternDays(5, "prod*", "*-eu")),
		}},
		"explicit standard storage class": {Rules: []PolicyRule{
			expireRule(1, "explicit standard class", Selection{TagStatus: TagStatusAny, CountType: CountTypeImageCountMoreThan, CountNumber: 5, StorageClass: StorageClassStandard}),
		}},
		// AWS's "Combining archive and expire rules" example: two any rules,
		// one per storage class.
		"archive and expire": {Rules: []PolicyRule{
			{RulePriority: 1, Description: "archive after 30 days without a pull", Selection: Selection{TagStatus: TagStatusAny, CountType: CountTypeSinceImagePulled, CountUnit: CountUnitDays, CountNumber: 30}, Action: Action{Type: ActionTransition, TargetStorageClass: StorageClassArchive}},
			{RulePriority: 2, Description: "expire after 90 days in archive", Selection: Selection{TagStatus: TagStatusAny, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountUnit: CountUnitDays, CountNumber: 90}, Action: Action{Type: ActionExpire}},
		}},
		"transition by count": {Rules: []PolicyRule{
			{RulePriority: 1, Description: "archive all but the newest 10", Selection: anyCount(10), Action: Action{Type: ActionTransition, TargetStorageClass: StorageClassArchive}},
		}},
		"50 rules": fiftyRules(),
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Empty(t, Validate(vp, p), dump(Validate(vp, p)))
		})
	}
}

func fiftyRules() *Policy {
	p := &Policy{}
	for i := 1; i <= MaxRules; i++ {
		p.Rules = append(p.Rules, expireRule(i, "", prefixCount(1, fmt.Sprintf("p%02d", i))))
	}
	return p
}

func TestValidateBad(t *testing.T) {
	t.Parallel()
	rule := func(i int) string { return fmt.Sprintf("%s.rules[%d]", vp, i) }
	cases := []struct {
		name      string
		mutate    func(p *Policy)
		path      string
		fragments []string
	}{
		{"no rules", func(p *Policy) { p.Rules = nil }, vp + ".rules", []string{"must have 1 to 50 rules", "got 0"}},
		{"51 rules", func(p *Policy) {
			*p = *fiftyRules()
			p.Rules = append(p.Rules, expireRule(51, "", prefixCount(1, "x")))
		}, vp + ".rules", []string{"must have 1 to 50 rules", "got 51"}},
		{"priority 0", func(p *Policy) { p.Rules[1].RulePriority = 0 }, rule(1) + ".rulePriority", []string{"rulePriority must be an integer of at least 1", "got 0"}},
		{"negative priority", func(p *Policy) { p.Rules[1].RulePriority = -5 }, rule(1) + ".rulePriority", []string{"got -5"}},
		{"duplicate priority", func(p *Policy) { p.Rules[2].RulePriority = 2 }, rule(2) + ".rulePriority", []string{"rulePriority must be unique", "got 2", "rules[1] (priority 2)"}},
		{"any not last", func(p *Policy) { p.Rules[3].RulePriority = 0; p.Rules[3].RulePriority = 3; p.Rules[2].RulePriority = 9 }, rule(3) + ".rulePriority",
			[]string{"tagStatus any must have the highest rulePriority of the standard rules", "got 3", "rules[2] (priority 9)"}},
		{"two any rules in one class", func(p *Policy) { p.Rules[1].Selection = anyDays(3) }, rule(1) + ".rulePriority", []string{"tagStatus any must have the highest rulePriority"}},
		{"unknown tagStatus", func(p *Policy) { p.Rules[1].Selection.TagStatus = "Untagged" }, rule(1) + ".selection.tagStatus", []string{"tagStatus must be tagged, untagged or any", `got "Untagged"`}},
		{"tagged without lists", func(p *Policy) { p.Rules[0].Selection.TagPrefixList = nil }, rule(0) + ".selection.tagStatus", []string{`tagStatus "tagged" must list tag prefixes or tag patterns`, "got neither"}},
		{"tagged with both lists", func(p *Policy) { p.Rules[0].Selection.TagPatternList = []string{"v*"} }, rule(0) + ".selection.tagPatternList", []string{"tag prefixes or tag patterns but not both"}},
		{"untagged with prefixes", func(p *Policy) { p.Rules[1].Selection.TagPrefixList = []string{"v"} }, rule(1) + ".selection.tagPrefixList", []string{`allowed only with tagStatus "tagged", not with "untagged"`, `got ["v"]`}},
		{"any with patterns", func(p *Policy) { p.Rules[3].Selection.TagPatternList = []string{"*"} }, rule(3) + ".selection.tagPatternList", []string{`not with "any"`}},
		{"five wildcards", func(p *Policy) { p.Rules[2].Selection.TagPatternList = []string{"ok*", "test*1*2*3*4*5*6"} }, rule(2) + ".selection.tagPatternList[1]", []string{"at most 4 '*' wildcards", "got 6", "test*1*2*3*4*5*6"}},
		{"unknown countType", func(p *Policy) { p.Rules[1].Selection.CountType = "sinceImageCreated" }, rule(1) + ".selection.countType", []string{"countType must be imageCountMoreThan, sinceImagePushed, sinceImagePulled or sinceImageTransitioned", `got "sinceImageCreated"`}},
		{"countUnit missing", func(p *Policy) { p.Rules[1].Selection.CountUnit = "" }, rule(1) + ".selection.countUnit", []string{`countUnit must be "days" when countType is sinceImagePushed`, `got ""`}},
		{"countUnit wrong", func(p *Policy) { p.Rules[1].Selection.CountUnit = "hours" }, rule(1) + ".selection.countUnit", []string{`got "hours"`}},
		{"countUnit with a count", func(p *Policy) { p.Rules[3].Selection.CountUnit = "days" }, rule(3) + ".selection.countUnit", []string{"countUnit must be omitted when countType is imageCountMoreThan", `got "days"`}},
		{"countNumber 0", func(p *Policy) { p.Rules[3].Selection.CountNumber = 0 }, rule(3) + ".selection.countNumber", []string{"countNumber must be a positive integer", "got 0"}},
		{"countNumber negative", func(p *Policy) { p.Rules[1].Selection.CountNumber = -3 }, rule(1) + ".selection.countNumber", []string{"got -3"}},
		{"unknown storageClass", func(p *Policy) { p.Rules[1].Selection.StorageClass = "glacier" }, rule(1) + ".selection.storageClass", []string{"storageClass must be standard or archive", `got "glacier"`}},
		{"archive with sinceImagePushed", func(p *Policy) { p.Rules[1].Selection.StorageClass = "archive" }, rule(1) + ".selection.storageClass", []string{`storageClass must be "standard" (or omitted) when countType is sinceImagePushed`, `got "archive"`}},
		{"sinceImageTransitioned without archive", func(p *Policy) {
			p.Rules[1].Selection = Selection{TagStatus: TagStatusUntagged, CountType: CountTypeSinceImageTransitioned, CountUnit: CountUnitDays, CountNumber: 90}
		}, rule(1) + ".selection.storageClass", []string{`storageClass must be "archive" when countType is sinceImageTransitioned`, `got ""`}},
		{"archived for less than 90 days", func(p *Policy) {
			p.Rules[1].Selection = Selection{TagStatus: TagStatusUntagged, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountUnit: CountUnitDays, CountNumber: 89}
		}, rule(1) + ".selection.countNumber", []string{"countNumber must be at least 90", "got 89"}},
		{"unknown action", func(p *Policy) { p.Rules[1].Action.Type = "delete" }, rule(1) + ".action.type", []string{"action.type must be expire or transition", `got "delete"`}},
		{"transition without target", func(p *Policy) { p.Rules[1].Action.Type = ActionTransition }, rule(1) + ".action.targetStorageClass", []string{`targetStorageClass must be "archive" when action.type is transition`, `got ""`}},
		{"expire with target", func(p *Policy) { p.Rules[1].Action.TargetStorageClass = "archive" }, rule(1) + ".action.targetStorageClass", []string{"targetStorageClass must be omitted when action.type is expire", `got "archive"`}},
		{"sinceImagePulled with expire", func(p *Policy) { p.Rules[1].Selection.CountType = CountTypeSinceImagePulled }, rule(1) + ".action.type", []string{`action.type must be "transition" when countType is sinceImagePulled`, `got "expire"`}},
		{"sinceImageTransitioned with transition", func(p *Policy) {
			p.Rules[1] = PolicyRule{RulePriority: 2, Selection: Selection{TagStatus: TagStatusUntagged, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountUnit: CountUnitDays, CountNumber: 90}, Action: Action{Type: ActionTransition, TargetStorageClass: StorageClassArchive}}
		}, rule(1) + ".action.type", []string{`action.type must be "expire" when countType is sinceImageTransitioned`, `got "transition"`}},
		{"two untagged rules", func(p *Policy) { p.Rules[2].Selection = untaggedDays(3) }, rule(2) + ".selection.tagStatus", []string{"only one rule per storage class may select untagged images", "rules[1] (priority 2)"}},
		{"same prefix set twice", func(p *Policy) { p.Rules[2].Selection = prefixDays(3, "release", "release") }, rule(2) + ".selection.tagPrefixList", []string{"unique sets of tag prefixes", "rules[0] (priority 1)"}},
		{"invalid UTF-8 in a prefix", func(p *Policy) { p.Rules[0].Selection.TagPrefixList = []string{"v", "r\xff"} }, rule(0) + ".selection.tagPrefixList[1]", []string{"must be valid UTF-8 text", `got "r\xff"`}},
		{"invalid UTF-8 in a description", func(p *Policy) { p.Rules[3].Description = "\xc3" }, rule(3) + ".description", []string{"description must be valid UTF-8 text"}},
		{"too long", func(p *Policy) { p.Rules[0].Description = strings.Repeat("é", MaxPolicyLength) }, vp, []string{"must be 100 to 30720 characters long", fmt.Sprintf("got %d", MaxPolicyLength+len(validPolicy().JSON())-len("protect releases"))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := validPolicy()
			tc.mutate(p)
			ps := Validate(vp, p)
			require.Len(t, ps, 1, dump(ps))
			q, ok := ps.Find(tc.path, tc.fragments[0])
			if assert.True(t, ok, "no problem at %s containing %q; got:\n%s", tc.path, tc.fragments[0], dump(ps)) {
				for _, f := range tc.fragments[1:] {
					assert.Contains(t, q.Message, f)
				}
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	p := &Policy{Rules: []PolicyRule{
		{RulePriority: 0, Selection: Selection{TagStatus: "tagged", CountType: "imageCountMoreThan", CountUnit: "days"}, Action: Action{Type: "expire"}},
		{RulePriority: 3, Selection: Selection{TagStatus: "any", CountType: "sinceImagePushed", CountNumber: 1}, Action: Action{Type: "archive"}},
		{RulePriority: 3, Selection: Selection{TagStatus: "untagged", TagPatternList: []string{"a*b*c*d*e*"}, CountType: "sinceImagePushed", CountUnit: "days", CountNumber: 1}, Action: Action{Type: "expire"}},
	}}
	ps := Validate(vp, p)
	rule := func(i int, f string) string { return fmt.Sprintf("%s.rules[%d].%s", vp, i, f) }
	for _, w := range [][2]string{
		{rule(0, "rulePriority"), "got 0"},
		{rule(0, "selection.tagStatus"), "got neither"},
		{rule(0, "selection.countUnit"), "must be omitted"},
		{rule(0, "selection.countNumber"), "got 0"},
		{rule(1, "selection.countUnit"), `must be "days"`},
		{rule(1, "action.type"), `got "archive"`},
		{rule(2, "selection.tagPatternList"), "allowed only with tagStatus"},
		{rule(2, "selection.tagPatternList[0]"), "got 5"},
		{rule(2, "rulePriority"), "must be unique"},
	} {
		_, ok := ps.Find(w[0], w[1])
		assert.True(t, ok, "no problem at %s containing %q", w[0], w[1])
	}
	assert.Len(t, ps, 9, dump(ps))
}
