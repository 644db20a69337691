package lifecycle

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildTranslation(t *testing.T) {
	const (
		u7    = "Expire untagged images older than 7 days"
		u14   = "Expire untagged images older than 14 days"
		keep  = "Keep the newest %d images"
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
		{"keepLatest", &Spec{KeepLatest: ip(20)},
			[]PolicyRule{expireRule(1, fmt.Sprintf(keep, 20), anyCount(20))}},
		{"expireAllAfterDays", &Spec{ExpireAllAfterDays: ip(60)},
			[]PolicyRule{expireRule(1, "Expire images older than 60 days", anyDays(60))}},
		{"protectTags: one rule per prefix or pattern, first", &Spec{ProtectTags: []string{"v", "rel*-final", "prod"}, ExpireUntaggedAfterDays: ip(7)},
			[]PolicyRule{protectPrefix(1, "v"), protectPattern(2, "rel*-final"), protectPrefix(3, "prod"), expireRule(4, u7, untaggedDays(7))}},
		{"translation order with keepLatest", &Spec{
			KeepLatest:              ip(30),
			ExpireUntaggedAfterDays: ip(7),
			Rules:                   []Rule{{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "imageCountMoreThan", CountNumber: 5}},
			ProtectTags:             []string{"v"},
		}, []PolicyRule{
			protectPrefix(1, "v"),
			expireRule(2, u7, untaggedDays(7)),
			expireRule(3, `Keep the newest 5 images with tags starting with "pr-"`, prefixCount(5, "pr-")),
			expireRule(4, fmt.Sprintf(keep, 30), anyCount(30)),
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

		// Templates (seed 002 lines 707-711).
		{"template development", &Spec{Template: "development"},
			[]PolicyRule{expireRule(1, u7, untaggedDays(7)), expireRule(2, fmt.Sprintf(keep, 50), anyCount(50))}},
		{"template production", &Spec{Template: "production"},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, fmt.Sprintf(keep, 100), anyCount(100))}},
		{"template cost_optimization", &Spec{Template: "cost_optimization"},
			[]PolicyRule{expireRule(1, "Expire untagged images older than 3 days", untaggedDays(3)), expireRule(2, fmt.Sprintf(keep, 10), anyCount(10))}},
		{"template compliance", &Spec{Template: "compliance"},
			[]PolicyRule{expireRule(1, "Expire untagged images older than 30 days", untaggedDays(30)), expireRule(2, fmt.Sprintf(keep, 200), anyCount(200))}},

		// Explicit helpers override the template's value of the same name.
		{"production with keepLatest", &Spec{Template: "production", KeepLatest: ip(30)},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, fmt.Sprintf(keep, 30), anyCount(30))}},
		{"production with expireUntaggedAfterDays", &Spec{Template: "production", ExpireUntaggedAfterDays: ip(5)},
			[]PolicyRule{expireRule(1, "Expire untagged images older than 5 days", untaggedDays(5)), expireRule(2, fmt.Sprintf(keep, 100), anyCount(100))}},
		{"production with expireTaggedAfterDays displaces the template keepLatest", &Spec{Template: "production", ExpireTaggedAfterDays: ip(60)},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, fmt.Sprintf(tdays, 60), taggedAllDays(60))}},
		{"production with keepLatest and expireTaggedAfterDays drops the template untagged expiry", &Spec{Template: "production", KeepLatest: ip(40), ExpireTaggedAfterDays: ip(60)},
			[]PolicyRule{expireRule(1, fmt.Sprintf(tdays, 60), taggedAllDays(60)), expireRule(2, fmt.Sprintf(keep, 40), anyCount(40))}},
		{"development with expireTaggedAfterDays", &Spec{Template: "development", ExpireTaggedAfterDays: ip(30)},
			[]PolicyRule{expireRule(1, u7, untaggedDays(7)), expireRule(2, fmt.Sprintf(tdays, 30), taggedAllDays(30))}},
		{"development with expireAllAfterDays displaces the template keepLatest", &Spec{Template: "development", ExpireAllAfterDays: ip(90)},
			[]PolicyRule{expireRule(1, u7, untaggedDays(7)), expireRule(2, "Expire images older than 90 days", anyDays(90))}},
		{"production with a typed untagged rule", &Spec{Template: "production", Rules: []Rule{{TagStatus: "untagged", CountType: "imageCountMoreThan", CountNumber: 2}}},
			[]PolicyRule{expireRule(1, "Keep the newest 2 untagged images", Selection{TagStatus: TagStatusUntagged, CountType: CountTypeImageCountMoreThan, CountNumber: 2}), expireRule(2, fmt.Sprintf(keep, 100), anyCount(100))}},
		{"production with a typed any rule", &Spec{Template: "production", Rules: []Rule{{TagStatus: "any", CountType: "sinceImagePushed", CountNumber: 365}}},
			[]PolicyRule{expireRule(1, u14, untaggedDays(14)), expireRule(2, "Expire images older than 365 days", anyDays(365))}},
		{"template with protectTags", &Spec{Template: "development", ProtectTags: []string{"release-"}},
			[]PolicyRule{protectPrefix(1, "release-"), expireRule(2, u7, untaggedDays(7)), expireRule(3, fmt.Sprintf(keep, 50), anyCount(50))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, ps := Build(lp, tc.spec)
			require.Empty(t, ps, dump(ps))
			assert.Equal(t, tc.want, parsed(t, p))
			assert.Empty(t, Validate(lp, p))
		})
	}
}

func TestBuildPriorities(t *testing.T) {
	tagged := func(priority int, prefix string) Rule {
		return Rule{Priority: priority, TagStatus: "tagged", TagPrefixes: []string{prefix}, CountType: "imageCountMoreThan", CountNumber: 1}
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
		{"an explicit any priority is kept when it is the highest", &Spec{
			ExpireUntaggedAfterDays: ip(3),
			Rules:                   []Rule{{Priority: 50, TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 7}, tagged(0, "a")},
		}, map[string]int{"untagged": 1, `"a"`: 2, "newest 7 images": 50}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
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
		{"disabled with other fields", &Spec{Disabled: true, Template: "production", KeepLatest: ip(3), PolicyJSON: "{}"}, []want{
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
		{"keepLatest with both expiries never fires", &Spec{KeepLatest: ip(10), ExpireUntaggedAfterDays: ip(3), ExpireTaggedAfterDays: ip(30)}, []want{
			{path("keepLatest"), []string{"keepLatest (priority 3) can never expire an image", "expireUntaggedAfterDays (priority 1) and expireTaggedAfterDays (priority 2)"}},
		}},
		{"expireAllAfterDays with both expiries never fires", &Spec{ExpireAllAfterDays: ip(100), ExpireUntaggedAfterDays: ip(3), ExpireTaggedAfterDays: ip(30)}, []want{
			{path("expireAllAfterDays"), []string{"can never expire an image"}},
		}},
		{"template values cannot rescue three explicit helpers", &Spec{Template: "production", KeepLatest: ip(10), ExpireUntaggedAfterDays: ip(3), ExpireTaggedAfterDays: ip(30)}, []want{
			{path("keepLatest"), []string{"can never expire an image"}},
		}},
		{"two untagged rules", &Spec{ExpireUntaggedAfterDays: ip(3), Rules: []Rule{{TagStatus: "untagged", CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
			{path("rules[0].tagStatus"), []string{"only one rule per storage class may select untagged images", "expireUntaggedAfterDays (priority 1)"}},
		}},
		{"typed tagged rule numbered after expireTaggedAfterDays", &Spec{ExpireTaggedAfterDays: ip(30), Rules: []Rule{{Priority: 9, TagStatus: "tagged", TagPrefixes: []string{"v"}, CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
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
		{"typed tagged rule before a protected tag", &Spec{ProtectTags: []string{"v", "w"}, Rules: []Rule{{Priority: 1, TagStatus: "tagged", TagPrefixes: []string{"x"}, CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
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
			{Priority: -2, TagStatus: "TAGGED", CountType: "imageCountMoreThan", CountNumber: 0},
			{TagStatus: "tagged", CountType: "sinceImagePulled", CountNumber: 3},
			{TagStatus: "untagged", TagPrefixes: []string{"v"}, CountType: "sinceImagePushed", CountNumber: 1},
			{TagStatus: "tagged", TagPrefixes: []string{"v"}, TagPatterns: []string{"w*"}, CountType: "daily", CountNumber: 1},
			{TagStatus: "tagged", TagPatterns: []string{"ok", "*a*b*c*d*e"}, CountType: "sinceImagePushed", CountNumber: 1},
		}}, []want{
			{path("rules[0].priority"), []string{"priority must be 0 (assign automatically) or a positive integer", "got -2"}},
			{path("rules[0].tagStatus"), []string{"tagStatus must be tagged, untagged or any", `got "TAGGED"`}},
			{path("rules[0].countNumber"), []string{"countNumber must be a positive integer", "got 0"}},
			{path("rules[1].tagStatus"), []string{`tagStatus "tagged" must list tag prefixes or tag patterns`}},
			{path("rules[1].countType"), []string{"countType must be imageCountMoreThan or sinceImagePushed", `got "sinceImagePulled"`}},
			{path("rules[2].tagPrefixes"), []string{`tag prefixes are allowed only with tagStatus "tagged", not with "untagged"`}},
			{path("rules[3].tagPatterns"), []string{"tag prefixes or tag patterns but not both"}},
			{path("rules[3].countType"), []string{`got "daily"`}},
			{path("rules[4].tagPatterns[1]"), []string{"at most 4 '*' wildcards", "got 5"}},
		}},
		{"duplicate explicit priorities", &Spec{Rules: []Rule{
			{Priority: 4, TagStatus: "tagged", TagPrefixes: []string{"a"}, CountType: "imageCountMoreThan", CountNumber: 1},
			{Priority: 4, TagStatus: "tagged", TagPrefixes: []string{"b"}, CountType: "imageCountMoreThan", CountNumber: 1},
		}}, []want{
			{path("rules[1].priority"), []string{"priority must be unique", "got 4", "rules[0] (priority 4)"}},
		}},
		{"identical prefix sets", &Spec{Rules: []Rule{
			{TagStatus: "tagged", TagPrefixes: []string{"a", "b"}, CountType: "imageCountMoreThan", CountNumber: 1},
			{TagStatus: "tagged", TagPrefixes: []string{"b", "a"}, CountType: "sinceImagePushed", CountNumber: 1},
		}}, []want{
			{path("rules[1].tagPrefixes"), []string{"unique sets of tag prefixes", "rules[0] (priority 1)"}},
		}},
		{"explicit any priority not the highest", &Spec{ProtectTags: []string{"v"}, Rules: []Rule{{Priority: 1, TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 3}}}, []want{
			{path("rules[0].priority"), []string{"tagStatus any must have the highest rulePriority", "got 1", "protectTags[0]"}},
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
			p, ps := Build(lp, tc.spec)
			assert.Nil(t, p)
			require.NotEmpty(t, ps)
			for _, w := range tc.want {
				wantProblem(t, ps, w.path, w.fragments...)
			}
			assert.Len(t, ps, len(tc.want), "every problem is reported once:\n%s", dump(ps))
		})
	}
}

func TestBuildDisabled(t *testing.T) {
	p, ps := Build(lp, &Spec{Disabled: true})
	assert.Nil(t, p)
	assert.Empty(t, ps)
}

func TestBuildPolicyJSONUsedAsGiven(t *testing.T) {
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
	// The numbers of seed 002 lines 707-711, exactly.
	assert.Equal(t, []Template{
		{Name: "development", KeepLatest: 50, ExpireUntaggedAfterDays: 7},
		{Name: "production", KeepLatest: 100, ExpireUntaggedAfterDays: 14, ExpireTaggedAfterDays: 90},
		{Name: "cost_optimization", KeepLatest: 10, ExpireUntaggedAfterDays: 3, ExpireTaggedAfterDays: 30},
		{Name: "compliance", KeepLatest: 200, ExpireUntaggedAfterDays: 30, ExpireTaggedAfterDays: 365},
	}, Templates())
	assert.Equal(t, []string{"development", "production", "cost_optimization", "compliance"}, TemplateNames())
}

// Every template keeps protected images and enforces its numbers in the
// simulator: the template's count and untagged expiry both fire.
func TestTemplatesSimulated(t *testing.T) {
	for _, tmpl := range Templates() {
		t.Run(tmpl.Name, func(t *testing.T) {
			p, ps := Build(lp, &Spec{Template: tmpl.Name, ProtectTags: []string{"release-"}})
			require.Empty(t, ps, dump(ps))
			var images []Image
			// tmpl.KeepLatest+5 tagged images, one a day, the oldest protected.
			n := tmpl.KeepLatest + 5
			for i := range n {
				tag := fmt.Sprintf("build-%d", i)
				if i == 0 {
					tag = "release-1"
				}
				images = append(images, Image{Digest: fmt.Sprintf("sha256:t%04d", i), Tags: []string{tag}, PushedAt: daysAgo(float64(n - i))})
			}
			images = append(images,
				Image{Digest: "sha256:u-old", PushedAt: daysAgo(float64(tmpl.ExpireUntaggedAfterDays) + 0.5)},
				Image{Digest: "sha256:u-new", PushedAt: daysAgo(float64(tmpl.ExpireUntaggedAfterDays) - 0.5)},
			)
			res := Simulate(p, images, base)
			got := map[string]int{}
			for _, e := range res.Expired {
				got[e.Digest] = e.RulePriority
			}
			assert.Equal(t, 2, got["sha256:u-old"], "untagged expiry is rule 2")
			assert.NotContains(t, got, "sha256:u-new")
			assert.NotContains(t, got, "sha256:t0000", "protected")
			// The count ranks every image, the untagged and protected ones too
			// (rule 5): of the len(images)-KeepLatest oldest, all but the
			// protected one are tagged here, and rule 3 expires them.
			expiredTagged := 0
			for d, prio := range got {
				if strings.HasPrefix(d, "sha256:t") {
					expiredTagged++
					assert.Equal(t, 3, prio, d)
				}
			}
			assert.Equal(t, len(images)-tmpl.KeepLatest-1, expiredTagged)
		})
	}
}
