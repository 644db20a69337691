package lifecycle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildTranslation(t *testing.T) {
	t.Parallel()
	const (
		u7    = "Expire untagged images older than 7 days"
		u14   = "Expire untagged images older than 14 days"
		keep  = "Keep the newest %d images"
		keepT = "Keep the newest %d tagged images"
		tdays = "Expire tagged images older than %d days"
	)
	cases := []struct {
		name string
		spec *Spec
		want []PolicyRule
	}{
		{"nil spec is the default", nil, []PolicyRule{expireRule(1, u14, untaggedDays(14))}},
		{"empty spec is the default", &Spec{}, []PolicyRule{expireRule(1, u14, untaggedDays(14))}},
		{"empty rule list is the default", &Spec{Rules: []Rule{}, ProtectTags: []string{}}, []PolicyRule{expireRule(1, u14, untaggedDays(14))}},
		{"expireUntaggedAfterDays", &Spec{ExpireUntaggedAfterDays: ip(5)},
			[]PolicyRule{expireRule(1, "Expire untagged images older than 5 days", untaggedDays(5))}},
		{"expireTaggedAfterDays", &Spec{ExpireTaggedAfterDays: ip(30)},
			[]PolicyRule{expireRule(1, fmt.Sprintf(tdays, 30), taggedAllDays(30))}},
		{"keepLatest alone counts every image", &Spec{KeepLatest: ip(20)},
			[]PolicyRule{expireRule(1, fmt.Sprintf(keep, 20), anyCount(20))}},
		{"keepLatest with a typed tagged rule still counts every image", &Spec{KeepLatest: ip(20), Rules: []Rule{{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "imageCountMoreThan", CountNumber: 5}}},
			[]PolicyRule{expireRule(1, `Keep the newest 5 images with tags starting with "pr-"`, prefixCount(5, "pr-")), expireRule(2, fmt.Sprintf(keep, 20), anyCount(20))}},
		// D3: next to an untagged rule, keepLatest counts tagged images only.
		{"keepLatest with expireUntaggedAfterDays keeps the newest tagged images", &Spec{KeepLatest: ip(30), ExpireUntaggedAfterDays: ip(7)},
			[]PolicyRule{expireRule(1, u7, untaggedDays(7)), expireRule(2, fmt.Sprintf(keepT, 30), taggedCount(30))}},
		{"keepLatest with a typed untagged rule keeps the newest tagged images", &Spec{KeepLatest: ip(30), Rules: []Rule{{TagStatus: "untagged", CountType: "imageCountMoreThan", CountNumber: 3}}},
			[]PolicyRule{expireRule(1, "Keep the newest 3 untagged images", Selection{TagStatus: TagStatusUntagged, CountType: CountTypeImageCountMoreThan, CountNumber: 3}), expireRule(2, fmt.Sprintf(keepT, 30), taggedCount(30))}},
		{"expireAllAfterDays", &Spec{ExpireAllAfterDays: ip(60)},
			[]PolicyRule{expireRule(1, "Expire images older than 60 days", anyDays(60))}},
		{"protectTags: one rule per prefix or pattern, first", &Spec{ProtectTags: []string{"v", "rel*-final", "prod"}, ExpireUntaggedAfterDays: ip(7), ExpireTaggedAfterDays: ip(30)},
			[]PolicyRule{protectPrefix(1, "v"), protectPattern(2, "rel*-final"), protectPrefix(3, "prod"), expireRule(4, u7, untaggedDays(7)), expireRule(5, fmt.Sprintf(tdays, 30), taggedAllDays(30))}},
		{"translation order with keepLatest", &Spec{
			KeepLatest:              ip(30),
			ExpireUntaggedAfterDays: ip(7),
			Rules:                   []Rule{{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "imageCountMoreThan", CountNumber: 5}},
			ProtectTags:             []string{"v"},
		}, []PolicyRule{
			protectPrefix(1, "v"),
			expireRule(2, u7, untaggedDays(7)),
			expireRule(3, `Keep the newest 5 images with tags starting with "pr-"`, prefixCount(5, "pr-")),
			expireRule(4, fmt.Sprintf(keepT, 30), taggedCount(30)),
		}},
		{"translation order with expireTaggedAfterDays after the typed rules", &Spec{
			ExpireTaggedAfterDays:   ip(90),
			ExpireUntaggedAfterDays: ip(7),
			Rules: []Rule{
				{Description: "keep 3 rc", TagStatus: "tagged", TagPatterns: []string{"*-rc*"}, CountType: "imageCountMoreThan", CountNumber: 3},
				{TagStatus: "tagged", TagPrefixes: []string{"dev", "x"}, CountType: "sinceImagePushed", CountNumber: 2},
			},
			ProtectTags: []string{"v*.*.*"},
		}, []PolicyRule{
			protectPattern(1, "v*.*.*"),
			expireRule(2, u7, untaggedDays(7)),
			expireRule(3, "keep 3 rc", Selection{TagStatus: TagStatusTagged, TagPatternList: []string{"*-rc*"}, CountType: CountTypeImageCountMoreThan, CountNumber: 3}),
			expireRule(4, `Expire images with tags starting with "dev" and "x" older than 2 days`, prefixDays(2, "dev", "x")),
			expireRule(5, fmt.Sprintf(tdays, 90), taggedAllDays(90)),
		}},
		{"typed any rule goes last", &Spec{
			Rules: []Rule{
				{TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 9},
				{TagStatus: "untagged", CountType: "sinceImagePushed", CountNumber: 1},
			},
		}, []PolicyRule{
			expireRule(1, "Expire untagged images older than 1 days", untaggedDays(1)),
			expireRule(2, "Keep the newest 9 images", anyCount(9)),
		}},

		// Templates: lgallard's effective behaviour, no tagged image
		// expired by count within days (D4), counts over tagged images (D3).
		{"template development", &Spec{Template: "development"},
			[]PolicyRule{expireRule(1, u7, untaggedDays(7)), expireRule(2, fmt.Sprintf(keepT, 50), taggedCount(50))}},
		{"template production", &Spec{Template: "production"},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, fmt.Sprintf(tdays, 90), taggedAllDays(90))}},
		{"template cost_optimization", &Spec{Template: "cost_optimization"},
			[]PolicyRule{expireRule(1, "Expire untagged images older than 3 days", untaggedDays(3)), expireRule(2, fmt.Sprintf(keepT, 10), taggedCount(10))}},
		{"template compliance", &Spec{Template: "compliance"},
			[]PolicyRule{expireRule(1, "Expire untagged images older than 30 days", untaggedDays(30)), expireRule(2, fmt.Sprintf(tdays, 365), taggedAllDays(365))}},

		// Explicit helpers override the template's value of the same name,
		// and a template value yields to an explicit one it conflicts with.
		{"production with keepLatest replaces the template's tagged expiry", &Spec{Template: "production", KeepLatest: ip(30)},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, fmt.Sprintf(keepT, 30), taggedCount(30))}},
		{"compliance with keepLatest replaces the template's tagged expiry", &Spec{Template: "compliance", KeepLatest: ip(300)},
			[]PolicyRule{expireRule(1, "Expire untagged images older than 30 days", untaggedDays(30)), expireRule(2, fmt.Sprintf(keepT, 300), taggedCount(300))}},
		{"production with expireUntaggedAfterDays", &Spec{Template: "production", ExpireUntaggedAfterDays: ip(5)},
			[]PolicyRule{expireRule(1, "Expire untagged images older than 5 days", untaggedDays(5)), expireRule(2, fmt.Sprintf(tdays, 90), taggedAllDays(90))}},
		{"production with expireTaggedAfterDays", &Spec{Template: "production", ExpireTaggedAfterDays: ip(60)},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, fmt.Sprintf(tdays, 60), taggedAllDays(60))}},
		{"development with expireTaggedAfterDays replaces the template's keepLatest", &Spec{Template: "development", ExpireTaggedAfterDays: ip(30)},
			[]PolicyRule{expireRule(1, u7, untaggedDays(7)), expireRule(2, fmt.Sprintf(tdays, 30), taggedAllDays(30))}},
		{"development with keepLatest", &Spec{Template: "development", KeepLatest: ip(5)},
			[]PolicyRule{expireRule(1, u7, untaggedDays(7)), expireRule(2, fmt.Sprintf(keepT, 5), taggedCount(5))}},
		{"development with expireAllAfterDays replaces the template's keepLatest", &Spec{Template: "development", ExpireAllAfterDays: ip(90)},
			[]PolicyRule{expireRule(1, u7, untaggedDays(7)), expireRule(2, "Expire images older than 90 days", anyDays(90))}},
		{"production with expireAllAfterDays replaces the template's tagged expiry", &Spec{Template: "production", ExpireAllAfterDays: ip(400)},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, "Expire images older than 400 days", anyDays(400))}},
		{"production with expireTaggedAfterDays and expireAllAfterDays drops the template's untagged expiry", &Spec{Template: "production", ExpireTaggedAfterDays: ip(60), ExpireAllAfterDays: ip(400)},
			[]PolicyRule{expireRule(1, fmt.Sprintf(tdays, 60), taggedAllDays(60)), expireRule(2, "Expire images older than 400 days", anyDays(400))}},
		{"production with a typed untagged rule", &Spec{Template: "production", Rules: []Rule{{TagStatus: "untagged", CountType: "imageCountMoreThan", CountNumber: 2}}},
			[]PolicyRule{expireRule(1, "Keep the newest 2 untagged images", Selection{TagStatus: TagStatusUntagged, CountType: CountTypeImageCountMoreThan, CountNumber: 2}), expireRule(2, fmt.Sprintf(tdays, 90), taggedAllDays(90))}},
		{"development with a typed untagged rule still counts tagged images only", &Spec{Template: "development", Rules: []Rule{{TagStatus: "untagged", CountType: "imageCountMoreThan", CountNumber: 2}}},
			[]PolicyRule{expireRule(1, "Keep the newest 2 untagged images", Selection{TagStatus: TagStatusUntagged, CountType: CountTypeImageCountMoreThan, CountNumber: 2}), expireRule(2, fmt.Sprintf(keepT, 50), taggedCount(50))}},
		{"production with a typed any rule", &Spec{Template: "production", Rules: []Rule{{TagStatus: "any", CountType: "sinceImagePushed", CountNumber: 365}}},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, "Expire images older than 365 days", anyDays(365))}},
		// Typed pull-time and archive rules (P3.15).
		{"archiveNotPulledAfterDays with expireUntaggedAfterDays and protectTags", &Spec{ArchiveNotPulledAfterDays: ip(30), ExpireUntaggedAfterDays: ip(7), ProtectTags: []string{"release-"}},
			[]PolicyRule{protectPrefix(1, "release-"), expireRule(2, u7, untaggedDays(7)), archiveRule(3, "Archive images not pulled for 30 days", pulledDays(30))}},
		{"expireArchivedAfterDays alone", &Spec{ExpireArchivedAfterDays: ip(90)},
			[]PolicyRule{expireRule(1, "Expire images archived more than 90 days ago", archivedDays(TagStatusAny, 90))}},
		{"archive, then expire from archive", &Spec{ArchiveNotPulledAfterDays: ip(60), ExpireArchivedAfterDays: ip(180), ExpireUntaggedAfterDays: ip(14)},
			[]PolicyRule{
				expireRule(1, u14, untaggedDays(14)),
				archiveRule(2, "Archive images not pulled for 60 days", pulledDays(60)),
				expireRule(3, "Expire images archived more than 180 days ago", archivedDays(TagStatusAny, 180)),
			}},
		{"production with archiveNotPulledAfterDays replaces the template's tagged expiry", &Spec{Template: "production", ArchiveNotPulledAfterDays: ip(45)},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), archiveRule(2, "Archive images not pulled for 45 days", pulledDays(45))}},
		{"typed transition and archive rules", &Spec{
			ExpireUntaggedAfterDays: ip(7),
			Rules: []Rule{
				{TagStatus: "any", CountType: "sinceImagePulled", CountNumber: 60, Action: "transition"},
				{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "sinceImagePushed", CountNumber: 30, Action: "transition"},
				{TagStatus: "untagged", CountType: "sinceImageTransitioned", CountNumber: 120, Action: "expire"},
				{TagStatus: "tagged", TagPatterns: []string{"v*"}, CountType: "imageCountMoreThan", CountNumber: 20, Action: "transition"},
			},
		}, []PolicyRule{
			expireRule(1, u7, untaggedDays(7)),
			archiveRule(2, `Archive images with tags starting with "pr-" older than 30 days`, prefixDays(30, "pr-")),
			expireRule(3, "Expire archived untagged images after 120 days in archive", archivedDays(TagStatusUntagged, 120)),
			archiveRule(4, `Archive images with tags matching "v*" beyond the newest 20`, Selection{TagStatus: TagStatusTagged, TagPatternList: []string{"v*"}, CountType: CountTypeImageCountMoreThan, CountNumber: 20}),
			archiveRule(5, "Archive images not pulled for 60 days", pulledDays(60)),
		}},
		// Only an untagged rule for active images makes keepLatest count
		// tagged images only.
		{"keepLatest with an untagged rule for archived images counts every image", &Spec{KeepLatest: ip(10), Rules: []Rule{{TagStatus: "untagged", CountType: "sinceImageTransitioned", CountNumber: 90}}},
			[]PolicyRule{expireRule(1, "Expire archived untagged images after 90 days in archive", archivedDays(TagStatusUntagged, 90)), expireRule(2, fmt.Sprintf(keep, 10), anyCount(10))}},

		{"template with protectTags", &Spec{Template: "development", ProtectTags: []string{"release-"}},
			[]PolicyRule{protectPrefix(1, "release-"), expireRule(2, u7, untaggedDays(7)), expireRule(3, fmt.Sprintf(keepT, 50), taggedCount(50))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, ps := Build(lp, tc.spec)
			require.Empty(t, ps, dump(ps))
			assert.Equal(t, tc.want, parsed(t, p))
			assert.Empty(t, Validate(lp, p))
		})
	}
}

func TestBuildPriorities(t *testing.T) {
	t.Parallel()
	// tagged(0, ...) has no priority (assigned automatically).
	tagged := func(priority int, prefix string) Rule {
		r := Rule{TagStatus: "tagged", TagPrefixes: []string{prefix}, CountType: "imageCountMoreThan", CountNumber: 1}
		if priority != 0 {
			r.Priority = ip(priority)
		}
		return r
	}
	cases := []struct {
		name string
		spec *Spec
		want map[string]int // description -> priority
	}{
		{"generated rules fill the gaps around explicit numbers", &Spec{
			ExpireUntaggedAfterDays: ip(3),
			Rules:                   []Rule{tagged(10, "a"), tagged(0, "b"), tagged(3, "c"), tagged(0, "d")},
		}, map[string]int{"untagged": 1, `"a"`: 10, `"b"`: 2, `"c"`: 3, `"d"`: 4}},
		{"the any rule takes one more than the highest number", &Spec{
			KeepLatest: ip(5),
			Rules:      []Rule{tagged(100, "a"), tagged(0, "b")},
		}, map[string]int{`"a"`: 100, `"b"`: 1, "newest 5 images": 101}},
		{"explicit low numbers push generated rules up", &Spec{
			ExpireUntaggedAfterDays: ip(3),
			ExpireTaggedAfterDays:   ip(9),
			Rules:                   []Rule{tagged(1, "a"), tagged(2, "b")},
		}, map[string]int{`"a"`: 1, `"b"`: 2, "untagged": 3, "Expire tagged": 4}},
		{"keepLatest over tagged images comes last too", &Spec{
			ExpireUntaggedAfterDays: ip(3),
			KeepLatest:              ip(5),
			Rules:                   []Rule{tagged(10, "a"), tagged(0, "b")},
		}, map[string]int{"untagged": 1, `"a"`: 10, `"b"`: 2, "newest 5 tagged images": 11}},
		{"an explicit any priority is kept when it is the highest", &Spec{
			ExpireUntaggedAfterDays: ip(3),
			Rules:                   []Rule{{Priority: ip(50), TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 7}, tagged(0, "a")},
		}, map[string]int{"untagged": 1, `"a"`: 2, "newest 7 images": 50}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, ps := Build(lp, tc.spec)
			require.Empty(t, ps, dump(ps))
			rules := parsed(t, p)
			require.Len(t, rules, len(tc.want))
			for frag, prio := range tc.want {
				n := 0
				for _, r := range rules {
					if strings.Contains(r.Description, frag) {
						n++
						assert.Equal(t, prio, r.RulePriority, frag)
					}
				}
				assert.Equal(t, 1, n, "exactly one rule described with %q", frag)
			}
		})
	}
}

func TestBuildProblems(t *testing.T) {
	t.Parallel()
	path := func(f string) string { return lp + "." + f }
	many := make([]string, 50)
	for i := range many {
		many[i] = fmt.Sprintf("p%02d", i)
	}
	longRules := []Rule{
		{Description: strings.Repeat("d", 16000), TagStatus: "untagged", CountType: "sinceImagePushed", CountNumber: 1},
		{Description: strings.Repeat("e", 16000), TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 1},
	}
	type want struct {
		path      string
		fragments []string
	}
	cases := []struct {
		name string
		spec *Spec
		want []want
	}{
		{"disabled with other fields", &Spec{Disabled: true, Template: "production", KeepLatest: ip(3), ArchiveNotPulledAfterDays: ip(9), PolicyJSON: "{}"}, []want{
			{path("archiveNotPulledAfterDays"), []string{"archiveNotPulledAfterDays must not be set when disabled is true", "got 9"}},
			{path("template"), []string{"template must not be set when disabled is true", `got "production"`}},
			{path("keepLatest"), []string{"keepLatest must not be set when disabled is true", "got 3"}},
			{path("policyJson"), []string{"policyJson must not be set when disabled is true"}},
		}},
		{"policyJson with other fields", &Spec{PolicyJSON: DefaultPolicy().JSON(), ExpireAllAfterDays: ip(3), ProtectTags: []string{"v"}}, []want{
			{path("expireAllAfterDays"), []string{"must not be set together with policyJson", "got 3"}},
			{path("protectTags"), []string{"must not be set together with policyJson", `got ["v"]`}},
		}},
		{"policyJson that is not JSON", &Spec{PolicyJSON: `{"rules":[`}, []want{
			{path("policyJson"), []string{"policyJson must be an ECR lifecycle policy document", "ends early"}},
		}},
		{"policyJson with a misspelt key", &Spec{PolicyJSON: `{"rules":[{"rulePriority":1,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumbr":1},"action":{"type":"expire"}}]}`}, []want{
			{path("policyJson"), []string{`unknown field "countNumbr"`}},
		}},
		{"policyJson breaking ECR rules", &Spec{PolicyJSON: `{"rules":[
			{"rulePriority":1,"description":"a long enough description to pass the minimum length","selection":{"tagStatus":"any","countType":"sinceImagePushed","countNumber":1},"action":{"type":"expire"}},
			{"rulePriority":2,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`}, []want{
			{path("policyJson"), []string{"rules[0].selection.countUnit: ", `countUnit must be "days" when countType is sinceImagePushed`, `got ""`}},
			{path("policyJson"), []string{"rules[1].selection.countUnit: ", "countUnit must be omitted when countType is imageCountMoreThan", `got "days"`}},
			{path("policyJson"), []string{"rules[0].rulePriority: ", "tagStatus any must have the highest rulePriority", "got 1"}},
		}},
		// Every valid canonical document has at least 138 characters, so
		// the minimum only shows with other problems.
		{"policyJson too short", &Spec{PolicyJSON: `{"rules":[{"selection":{},"action":{}}]}`}, []want{
			{path("policyJson"), []string{"must be 100 to 30720 characters long", "got 72"}},
			{path("policyJson"), []string{"rules[0].rulePriority: ", "got 0"}},
			{path("policyJson"), []string{"rules[0].selection.tagStatus: ", `got ""`}},
			{path("policyJson"), []string{"rules[0].selection.countType: ", `got ""`}},
			{path("policyJson"), []string{"rules[0].selection.countNumber: ", "got 0"}},
			{path("policyJson"), []string{"rules[0].action.type: ", `got ""`}},
		}},
		{"unknown template", &Spec{Template: "prod"}, []want{
			{path("template"), []string{"must be development, production, cost_optimization or compliance", `got "prod"`}},
		}},
		{"helpers must be positive", &Spec{KeepLatest: ip(0), ExpireUntaggedAfterDays: ip(-1)}, []want{
			{path("keepLatest"), []string{"keepLatest must be a positive integer", "got 0"}},
			{path("expireUntaggedAfterDays"), []string{"expireUntaggedAfterDays must be a positive integer", "got -1"}},
		}},
		{"keepLatest with expireAllAfterDays", &Spec{KeepLatest: ip(10), ExpireAllAfterDays: ip(30)}, []want{
			{path("expireAllAfterDays"), []string{"cannot be combined with keepLatest (10)", "one tagStatus any rule"}},
		}},
		{"keepLatest with a typed any rule", &Spec{KeepLatest: ip(10), Rules: []Rule{{TagStatus: "any", CountType: "sinceImagePushed", CountNumber: 3}}}, []want{
			{path("keepLatest"), []string{"keepLatest cannot be combined with rules[0], which also has tagStatus any"}},
		}},
		// D14 (review case 15): both select every tagged image.
		{"keepLatest with expireTaggedAfterDays", &Spec{KeepLatest: ip(30), ExpireTaggedAfterDays: ip(90)}, []want{
			{path("keepLatest"), []string{"keepLatest (30) cannot be combined with expireTaggedAfterDays (90)", "both select every tagged image", "never let keepLatest cap the tagged images"}},
		}},
		{"keepLatest with both expiries", &Spec{KeepLatest: ip(10), ExpireUntaggedAfterDays: ip(3), ExpireTaggedAfterDays: ip(30)}, []want{
			{path("keepLatest"), []string{"keepLatest (10) cannot be combined with expireTaggedAfterDays (30)"}},
		}},
		{"keepLatest over tagged images shadowed by protecting every tag", &Spec{ProtectTags: []string{"*"}, KeepLatest: ip(5), ExpireUntaggedAfterDays: ip(1)}, []want{
			{path("keepLatest"), []string{"keepLatest (priority 3) can never expire an image", `protectTags[0] ("*")`}},
		}},
		{"a template's tagged expiry shadowed by protecting every tag", &Spec{Template: "compliance", ProtectTags: []string{"*"}}, []want{
			{path("template"), []string{`expireTaggedAfterDays (from template "compliance") (priority 3) can never expire an image`}},
		}},
		{"expireAllAfterDays with both expiries never fires", &Spec{ExpireAllAfterDays: ip(100), ExpireUntaggedAfterDays: ip(3), ExpireTaggedAfterDays: ip(30)}, []want{
			{path("expireAllAfterDays"), []string{"can never expire an image"}},
		}},
		{"template values cannot rescue explicit keepLatest and expireTaggedAfterDays", &Spec{Template: "production", KeepLatest: ip(10), ExpireTaggedAfterDays: ip(30)}, []want{
			{path("keepLatest"), []string{"cannot be combined with expireTaggedAfterDays"}},
		}},
		{"two untagged rules", &Spec{ExpireUntaggedAfterDays: ip(3), Rules: []Rule{{TagStatus: "untagged", CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
			{path("rules[0].tagStatus"), []string{"only one rule per storage class may select untagged images", "expireUntaggedAfterDays (priority 1)"}},
		}},
		{"typed tagged rule numbered after expireTaggedAfterDays", &Spec{ExpireTaggedAfterDays: ip(30), Rules: []Rule{{Priority: ip(9), TagStatus: "tagged", TagPrefixes: []string{"v"}, CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
			{path("rules[0]"), []string{"rules[0] (priority 9) can never expire an image", "expireTaggedAfterDays (priority 1)"}},
		}},
		{"typed rule shadowed by a broader one", &Spec{Rules: []Rule{
			{TagStatus: "tagged", TagPrefixes: []string{"v"}, CountType: "imageCountMoreThan", CountNumber: 3},
			{TagStatus: "tagged", TagPatterns: []string{"v1*-rc"}, CountType: "sinceImagePushed", CountNumber: 3},
		}}, []want{
			{path("rules[1]"), []string{"rules[1] (priority 2) can never expire an image", "rules[0] (priority 1)"}},
		}},
		{"typed rule shadowed by a protected tag", &Spec{ProtectTags: []string{"v"}, Rules: []Rule{{TagStatus: "tagged", TagPrefixes: []string{"v1"}, CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
			{path("rules[0]"), []string{"can never expire an image", `protectTags[0] ("v")`}},
		}},
		{"protecting every tag shadows expireTaggedAfterDays", &Spec{ProtectTags: []string{"*"}, ExpireTaggedAfterDays: ip(3), ExpireUntaggedAfterDays: ip(1)}, []want{
			{path("expireTaggedAfterDays"), []string{"can never expire an image", `protectTags[0] ("*")`}},
		}},
		{"typed tagged rule before a protected tag", &Spec{ProtectTags: []string{"v", "w"}, Rules: []Rule{{Priority: ip(1), TagStatus: "tagged", TagPrefixes: []string{"x"}, CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
			{path("rules[0].priority"), []string{"priority 1 puts this rule before protectTags[1]", "at priority 3", "use more than 3"}},
		}},
		{"bad protected tags", &Spec{ProtectTags: []string{"", "v", "v", "a*b*c*d*e*f"}, ExpireUntaggedAfterDays: ip(1)}, []want{
			{path("protectTags[0]"), []string{"must not be empty"}},
			{path("protectTags[2]"), []string{"must be unique", "protectTags[1]"}},
			{path("protectTags[3]"), []string{"at most 4 '*' wildcards", "got 5"}},
		}},
		{"protected tag that is not UTF-8", &Spec{ProtectTags: []string{"0\x8d"}, ExpireUntaggedAfterDays: ip(1)}, []want{
			{path("protectTags[0]"), []string{"must be valid UTF-8 text", `got "0\x8d"`}},
		}},
		{"protectTags alone", &Spec{ProtectTags: []string{"v"}}, []want{
			{path("protectTags"), []string{"would never expire an image"}},
		}},
		{"typed rule fields", &Spec{Rules: []Rule{
			{Priority: ip(-2), TagStatus: "TAGGED", CountType: "imageCountMoreThan", CountNumber: 0},
			{TagStatus: "tagged", CountType: "sinceImagePulled", CountNumber: 3},
			{TagStatus: "untagged", TagPrefixes: []string{"v"}, CountType: "sinceImagePushed", CountNumber: 1},
			{TagStatus: "tagged", TagPrefixes: []string{"v"}, TagPatterns: []string{"w*"}, CountType: "daily", CountNumber: 1},
			{TagStatus: "tagged", TagPatterns: []string{"ok", "*a*b*c*d*e"}, CountType: "sinceImagePushed", CountNumber: 1},
		}}, []want{
			{path("rules[0].priority"), []string{"priority must be a positive integer", "leave it unset", "got -2"}},
			{path("rules[0].tagStatus"), []string{"tagStatus must be tagged, untagged or any", `got "TAGGED"`}},
			{path("rules[0].countNumber"), []string{"countNumber must be a positive integer", "got 0"}},
			{path("rules[1].tagStatus"), []string{`tagStatus "tagged" must list tag prefixes or tag patterns`}},
			{path("rules[1].action"), []string{`action must be "transition" when countType is sinceImagePulled`, `got "expire"`}},
			{path("rules[2].tagPrefixes"), []string{`tag prefixes are allowed only with tagStatus "tagged", not with "untagged"`}},
			{path("rules[3].tagPatterns"), []string{"tag prefixes or tag patterns but not both"}},
			{path("rules[3].countType"), []string{`got "daily"`}},
			{path("rules[4].tagPatterns[1]"), []string{"at most 4 '*' wildcards", "got 5"}},
		}},
		// D15 (review l01, D13): typed rules refuse empty entries as
		// protectTags does, and an explicit priority 0 as policyJson does.
		{"empty tag prefixes and patterns, priority 0", &Spec{Rules: []Rule{
			{Priority: ip(0), TagStatus: "tagged", TagPrefixes: []string{"v", ""}, CountType: "imageCountMoreThan", CountNumber: 1},
			{TagStatus: "tagged", TagPatterns: []string{"", "v*"}, CountType: "sinceImagePushed", CountNumber: 1},
		}}, []want{
			{path("rules[0].priority"), []string{"priority must be a positive integer (ECR's rulePriority starts at 1)", "got 0"}},
			{path("rules[0].tagPrefixes[1]"), []string{"a tag prefix must not be empty", `tagPatterns ["*"]`}},
			{path("rules[1].tagPatterns[0]"), []string{"a tag pattern must not be empty", "matches no tag"}},
		}},
		{"duplicate explicit priorities", &Spec{Rules: []Rule{
			{Priority: ip(4), TagStatus: "tagged", TagPrefixes: []string{"a"}, CountType: "imageCountMoreThan", CountNumber: 1},
			{Priority: ip(4), TagStatus: "tagged", TagPrefixes: []string{"b"}, CountType: "imageCountMoreThan", CountNumber: 1},
		}}, []want{
			{path("rules[1].priority"), []string{"priority must be unique", "got 4", "rules[0] (priority 4)"}},
		}},
		{"identical prefix sets", &Spec{Rules: []Rule{
			{TagStatus: "tagged", TagPrefixes: []string{"a", "b"}, CountType: "imageCountMoreThan", CountNumber: 1},
			{TagStatus: "tagged", TagPrefixes: []string{"b", "a"}, CountType: "sinceImagePushed", CountNumber: 1},
		}}, []want{
			{path("rules[1].tagPrefixes"), []string{"unique sets of tag prefixes", "rules[0] (priority 1)"}},
		}},
		{"explicit any priority not the highest", &Spec{ProtectTags: []string{"v"}, Rules: []Rule{{Priority: ip(1), TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
			{path("rules[0].priority"), []string{"tagStatus any must have the highest rulePriority", "got 1", "protectTags[0]"}},
		}},
		// Typed pull-time and archive rules (P3.15), with ECR's limits.
		{"expireArchivedAfterDays below ECR's 90-day minimum", &Spec{ExpireArchivedAfterDays: ip(30)}, []want{
			{path("expireArchivedAfterDays"), []string{"expireArchivedAfterDays must be at least 90", "got 30"}},
		}},
		{"typed archive rules breaking ECR's rules", &Spec{Rules: []Rule{
			{TagStatus: "untagged", CountType: "sinceImageTransitioned", CountNumber: 60},
			{TagStatus: "tagged", TagPrefixes: []string{"v"}, CountType: "sinceImageTransitioned", CountNumber: 90, Action: "transition"},
			{TagStatus: "any", CountType: "sinceImagePushed", CountNumber: 9, Action: "delete"},
		}}, []want{
			{path("rules[0].countNumber"), []string{"countNumber must be at least 90 when expiring archived images", "got 60"}},
			{path("rules[1].action"), []string{`action must be "expire" when countType is sinceImageTransitioned`, `got "transition"`}},
			{path("rules[2].action"), []string{"action must be expire or transition", `got "delete"`}},
		}},
		{"archiveNotPulledAfterDays with keepLatest", &Spec{ArchiveNotPulledAfterDays: ip(30), KeepLatest: ip(10), ExpireUntaggedAfterDays: ip(3)}, []want{
			{path("archiveNotPulledAfterDays"), []string{"archiveNotPulledAfterDays (30) cannot be combined with keepLatest (10)", "no tagged image would ever be archived"}},
		}},
		{"archiveNotPulledAfterDays with expireTaggedAfterDays", &Spec{ArchiveNotPulledAfterDays: ip(30), ExpireTaggedAfterDays: ip(90)}, []want{
			{path("archiveNotPulledAfterDays"), []string{"cannot be combined with expireTaggedAfterDays (90)"}},
		}},
		{"archiveNotPulledAfterDays with expireAllAfterDays", &Spec{ArchiveNotPulledAfterDays: ip(30), ExpireAllAfterDays: ip(90)}, []want{
			{path("archiveNotPulledAfterDays"), []string{"cannot be combined with expireAllAfterDays (90)"}},
		}},
		{"archiveNotPulledAfterDays with a typed any rule", &Spec{ArchiveNotPulledAfterDays: ip(30), Rules: []Rule{{TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 100, Action: "transition"}}}, []want{
			{path("archiveNotPulledAfterDays"), []string{"cannot be combined with rules[0] (tagStatus any)"}},
		}},
		{"expireArchivedAfterDays with a typed any rule for archived images", &Spec{ExpireArchivedAfterDays: ip(100), Rules: []Rule{{TagStatus: "any", CountType: "sinceImageTransitioned", CountNumber: 200}}}, []want{
			{path("expireArchivedAfterDays"), []string{"cannot be combined with rules[0], which also selects every archived image"}},
		}},
		{"archive rule shadowed by the untagged rule and a typed rule for every tag", &Spec{ArchiveNotPulledAfterDays: ip(30), ExpireUntaggedAfterDays: ip(3), Rules: []Rule{{TagStatus: "tagged", TagPatterns: []string{"*"}, CountType: "sinceImagePushed", CountNumber: 400}}}, []want{
			{path("archiveNotPulledAfterDays"), []string{"archiveNotPulledAfterDays (priority 3) can never archive an image", "expireUntaggedAfterDays (priority 1) and rules[0] (priority 2)"}},
		}},
		{"more than 50 rules", &Spec{ProtectTags: many, ExpireUntaggedAfterDays: ip(1)}, []want{
			{lp, []string{"at most 50 rules", "would have 51: 50 from protectTags", "0 from rules and 1 from the helper fields"}},
		}},
		{"document too long", &Spec{Rules: longRules}, []want{
			{lp, []string{"must be 100 to 30720 characters long", "got 32"}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, ps := Build(lp, tc.spec)
			assert.Nil(t, p)
			require.NotEmpty(t, ps)
			for _, w := range tc.want {
				q, ok := ps.Find(w.path, w.fragments[0])
				if assert.True(t, ok, "no problem at %s containing %q; got:\n%s", w.path, w.fragments[0], dump(ps)) {
					for _, f := range w.fragments[1:] {
						assert.Contains(t, q.Message, f, w.path)
					}
				}
			}
			assert.Len(t, ps.Errors(), len(tc.want), "every problem is reported once:\n%s", dump(ps))
		})
	}
}

// D15: protectTags next to untagged rules only protects nothing; a warning,
// not an error, so the policy is still built.
func TestBuildWarnings(t *testing.T) {
	t.Parallel()
	const warning = "protectTags protects nothing here"
	cases := []struct {
		name string
		spec *Spec
		warn bool
	}{
		{"protectTags with expireUntaggedAfterDays", &Spec{ProtectTags: []string{"v", "rel*"}, ExpireUntaggedAfterDays: ip(3)}, true},
		{"protectTags with a typed untagged rule", &Spec{ProtectTags: []string{"v"}, Rules: []Rule{{TagStatus: "untagged", CountType: "imageCountMoreThan", CountNumber: 5}}}, true},
		{"protectTags with keepLatest", &Spec{ProtectTags: []string{"v"}, ExpireUntaggedAfterDays: ip(3), KeepLatest: ip(5)}, false},
		{"protectTags with a template", &Spec{ProtectTags: []string{"v"}, Template: "production"}, false},
		{"protectTags with a typed tagged rule", &Spec{ProtectTags: []string{"v"}, Rules: []Rule{{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "imageCountMoreThan", CountNumber: 5}}}, false},
		{"protectTags with expireArchivedAfterDays only", &Spec{ProtectTags: []string{"v"}, ExpireArchivedAfterDays: ip(90)}, true},
		{"protectTags with archiveNotPulledAfterDays", &Spec{ProtectTags: []string{"v"}, ArchiveNotPulledAfterDays: ip(30)}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, ps := Build(lp, tc.spec)
			require.Empty(t, ps.Errors(), dump(ps))
			require.NotNil(t, p)
			w, found := ps.Find(lp+".protectTags", warning)
			assert.Equal(t, tc.warn, found, dump(ps))
			if found {
				assert.True(t, w.Warning)
				assert.Len(t, ps, 1)
			} else {
				assert.Empty(t, ps)
			}
		})
	}
}

func TestBuildDisabled(t *testing.T) {
	t.Parallel()
	p, ps := Build(lp, &Spec{Disabled: true})
	assert.Nil(t, p)
	assert.Empty(t, ps)
}

func TestBuildPolicyJSONUsedAsGiven(t *testing.T) {
	t.Parallel()
	doc := `{"rules":[
	  {"rulePriority":2,"description":"Expire archived images after 90 days","selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"expire"}},
	  {"rulePriority":1,"description":"Archive images not pulled for 30 days","selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":30},"action":{"type":"transition","targetStorageClass":"archive"}}]}`
	p, ps := Build(lp, &Spec{PolicyJSON: doc})
	require.Empty(t, ps, dump(ps))
	want, err := Parse(doc)
	require.NoError(t, err)
	assert.Equal(t, want, p)
	assert.Equal(t, want.JSON(), p.JSON())
}

func TestTemplatesTable(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"development", "production", "cost_optimization", "compliance"}, TemplateNames())
	type numbers struct{ keep, untagged, tagged, newest, days int }
	want := map[string]numbers{
		"development":       {keep: 50, untagged: 7, newest: 50},
		"production":        {untagged: 14, tagged: 90, days: 90},
		"cost_optimization": {keep: 10, untagged: 3, newest: 10},
		"compliance":        {untagged: 30, tagged: 365, days: 365},
	}
	for _, tmpl := range Templates() {
		t.Run(tmpl.Name, func(t *testing.T) {
			t.Parallel()
			w := want[tmpl.Name]
			assert.Equal(t, numbers{tmpl.KeepLatest, tmpl.ExpireUntaggedAfterDays, tmpl.ExpireTaggedAfterDays, tmpl.TaggedRetention.NewestTagged, tmpl.TaggedRetention.Days}, w)
			assert.False(t, tmpl.KeepLatest > 0 && tmpl.ExpireTaggedAfterDays > 0, "keepLatest and expireTaggedAfterDays select the same images")
			assert.Positive(t, tmpl.ExpireUntaggedAfterDays, "every template has an untagged rule, so keepLatest counts tagged images only")
			assert.NotEmpty(t, tmpl.Summary)
			assert.Contains(t, tmpl.VersusLgallard, "lgallard")
			assert.NotEqual(t, "no tagged image", tmpl.TaggedRetention.String())
		})
	}
	assert.Equal(t, "the newest 50 tagged images", TaggedRetention{NewestTagged: 50}.String())
	assert.Equal(t, "every tagged image for 90 days after its push", TaggedRetention{Days: 90}.String())
}
