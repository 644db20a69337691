package lifecycle

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// bytesReader hands out fuzz bytes; past the end it returns 0.
type bytesReader struct {
	b []byte
	i int
}

func (r *bytesReader) next() int {
	if r.i >= len(r.b) {
		r.i++
		return 0
	}
	r.i++
	return int(r.b[r.i-1])
}

func (r *bytesReader) pick(xs ...string) string { return xs[r.next()%len(xs)] }

func (r *bytesReader) more() bool { return r.i < len(r.b) }

// A small alphabet makes prefixes and patterns collide with tags often.
func (r *bytesReader) word(star bool) string {
	alphabet := "av1-."
	if star {
		alphabet += "**"
	}
	n := r.next() % 4
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[r.next()%len(alphabet)])
	}
	return b.String()
}

func optInt(v int) *int {
	if v == -1 {
		return nil
	}
	return &v
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// decodeRules turns fuzz bytes into typed rules, valid and invalid alike.
func decodeRules(b []byte) []Rule {
	r := &bytesReader{b: b}
	var rules []Rule
	for r.more() && len(rules) < 8 {
		rule := Rule{
			TagStatus: r.pick("tagged", "untagged", "any", "tagged", "Tagged"),
			CountType: r.pick("imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned"),
			Action:    r.pick("", "", "expire", "transition", "Transition"),
		}
		if p := r.next()%8 - 2; p > -2 {
			rule.Priority = &p // -1 and 0 are invalid
		}
		switch r.next() % 4 {
		case 1:
			rule.TagPrefixes = []string{r.word(false)}
		case 2:
			rule.TagPatterns = []string{r.word(true), r.word(true)}
		case 3:
			rule.TagPrefixes = []string{r.word(false), r.word(false)}
		}
		rule.CountNumber = r.next()%40 - 2
		if rule.CountType == "sinceImageTransitioned" {
			rule.CountNumber += 70 // around ECR's minimum of 90
		}
		if r.next()%5 == 0 {
			rule.Description = strings.Repeat("d", r.next()*64)
		}
		rules = append(rules, rule)
	}
	return rules
}

// FuzzBuild: Build never panics; it returns a policy exactly when there are
// no problems (or none for disabled); that policy passes Validate, is valid
// JSON of 100 to 30,720 characters that re-parses to the same bytes, and the
// simulator never expires an image carrying a protected tag.
func FuzzBuild(f *testing.F) {
	f.Add(false, "", -1, -1, -1, -1, -1, -1, "", []byte(nil), "")
	f.Add(false, "production", -1, -1, -1, -1, -1, -1, "v,rel*", []byte(nil), "")
	f.Add(false, "development", 20, 3, 30, -1, -1, -1, "", []byte{0, 0, 1, 1, 5, 0}, "")
	f.Add(false, "cost_optimization", -1, -1, 60, 90, -1, -1, "*", []byte(nil), "")
	f.Add(false, "", 5, 1, 1, 5, -1, -1, "v,v,", []byte{3, 2, 2, 2, 97, 10, 1}, "")
	f.Add(false, "", -1, 7, -1, -1, -1, -1, "a", []byte{1, 0, 0, 1, 1, 12, 2, 1, 1, 3, 2, 2, 2, 20}, "")
	f.Add(false, "", 0, -1, -1, -1, -1, -1, "", []byte{2, 2, 1, 0, 1, 1, 1, 200}, "")
	f.Add(true, "", -1, -1, -1, -1, -1, -1, "", []byte(nil), "")
	f.Add(true, "compliance", -1, -1, -1, -1, -1, -1, "", []byte(nil), "")
	f.Add(false, "", -1, -1, -1, -1, -1, -1, "", []byte(nil), DefaultPolicy().JSON())
	f.Add(false, "", -1, -1, -1, -1, -1, -1, "", []byte(nil), `{"rules":[{"rulePriority":1}]}`)
	f.Add(false, "", 3, -1, -1, -1, -1, -1, "", []byte(nil), `{"rules":[]}`)
	f.Add(false, "", -1, 7, -1, -1, 30, 120, "v,rel*", []byte{2, 2, 3, 1, 0, 5, 0}, "")
	f.Add(false, "production", -1, -1, -1, -1, 30, 60, "", []byte(nil), "")
	f.Fuzz(func(t *testing.T, disabled bool, template string, keep, untagged, tagged, all, archive, expireArchived int, protect string, rules []byte, policyJSON string) {
		spec := &Spec{
			Disabled:                  disabled,
			Template:                  template,
			Rules:                     decodeRules(rules),
			KeepLatest:                optInt(keep),
			ExpireUntaggedAfterDays:   optInt(untagged),
			ExpireTaggedAfterDays:     optInt(tagged),
			ExpireAllAfterDays:        optInt(all),
			ArchiveNotPulledAfterDays: optInt(archive),
			ExpireArchivedAfterDays:   optInt(expireArchived),
			ProtectTags:               splitList(protect),
			PolicyJSON:                policyJSON,
		}
		p, ps := Build(lp, spec)
		for _, q := range ps {
			if !strings.HasPrefix(q.Path, lp) || q.Message == "" {
				t.Fatalf("problem outside the spec path or empty: %v", q)
			}
		}
		if len(ps.Errors()) > 0 {
			if p != nil {
				t.Fatalf("problems %v but a policy", ps)
			}
			return
		}
		if disabled {
			if p != nil {
				t.Fatalf("disabled gave a policy")
			}
			return
		}
		if p == nil {
			t.Fatalf("no problems and no policy")
		}
		checkDocument(t, p)
		if !slices.IsSortedFunc(p.Rules, func(a, b PolicyRule) int { return a.RulePriority - b.RulePriority }) {
			t.Fatalf("rules not sorted by priority: %s", p.JSON())
		}

		// Protected images survive any repository.
		if policyJSON == "" && len(spec.ProtectTags) > 0 {
			images := fuzzImages(append(rules, []byte(protect)...), spec.ProtectTags)
			res := Simulate(p, images, base)
			byDigest := map[string]Image{}
			for _, im := range images {
				byDigest[im.Digest] = im
			}
			acted := slices.Clone(res.Expired)
			for _, a := range res.Archived {
				acted = append(acted, Expiry(a))
			}
			for _, e := range acted {
				for _, tag := range byDigest[e.Digest].Tags {
					for _, pt := range spec.ProtectTags {
						if strings.Contains(pt, "*") && refGlob(pt, tag) || !strings.Contains(pt, "*") && strings.HasPrefix(tag, pt) {
							t.Fatalf("image %s with protected tag %q (protectTags %q) expired or archived by priority %d\n%s", e.Digest, tag, pt, e.RulePriority, p.JSON())
						}
					}
				}
			}
		}
	})
}

// checkDocument: what every policy we hand to ECR must satisfy.
func checkDocument(t *testing.T, p *Policy) {
	t.Helper()
	if ps := Validate("p", p); len(ps) > 0 {
		t.Fatalf("policy fails Validate: %v\n%s", ps, p.JSON())
	}
	text := p.JSON()
	if !json.Valid([]byte(text)) {
		t.Fatalf("invalid JSON: %s", text)
	}
	if n := utf8.RuneCountInString(text); n < MinPolicyLength || n > MaxPolicyLength {
		t.Fatalf("length %d outside %d..%d", n, MinPolicyLength, MaxPolicyLength)
	}
	q, err := Parse(text)
	if err != nil {
		t.Fatalf("canonical text does not parse: %v\n%s", err, text)
	}
	if q.JSON() != text {
		t.Fatalf("not a fixed point:\n%s\n%s", text, q.JSON())
	}
}

// fuzzImages builds a few images whose tags are built from the protected
// tags and fuzz bytes, old enough for any age rule.
func fuzzImages(b []byte, protect []string) []Image {
	r := &bytesReader{b: b}
	var images []Image
	for i := range 12 {
		var tags []string
		for range r.next() % 3 {
			tag := r.word(false)
			if len(protect) > 0 && r.next()%2 == 0 {
				pt := protect[r.next()%len(protect)]
				tag = strings.ReplaceAll(pt, "*", r.word(false)) + tag
			}
			tags = append(tags, tag)
		}
		images = append(images, Image{Digest: fmt.Sprintf("d%02d", i), Tags: tags, PushedAt: base.Add(-time.Duration(r.next()*24*30) * time.Hour)})
	}
	return images
}

// FuzzParse: Parse never panics; a parsed document's canonical text is valid
// JSON, parses again and is a fixed point; Validate never panics on it.
func FuzzParse(f *testing.F) {
	f.Add(DefaultPolicy().JSON())
	f.Add(validPolicy().JSON())
	f.Add(`{"rules":[{"rulePriority":2,"selection":{"tagStatus":"tagged","tagPatternList":["b*","a*","a*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":3},"action":{"type":"expire"}},{"rulePriority":1,"selection":{"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":90},"action":{"type":"transition","targetStorageClass":"archive"}}]}`)
	f.Add(`{"rules":[{"description":"<&>\u2028\ud800"}]}`)
	f.Add(`{"rules":null}`)
	f.Add(`{}`)
	f.Add(`{"rules":[{"rulePriority":-1,"selection":{"countNumber":9223372036854775807}}]}`)
	f.Add(`{"rules":[]}garbage`)
	f.Add("\xff")
	f.Fuzz(func(t *testing.T, text string) {
		p, err := Parse(text)
		if err != nil {
			if p != nil {
				t.Fatalf("error and a policy")
			}
			return
		}
		canonical := p.JSON()
		if !json.Valid([]byte(canonical)) {
			t.Fatalf("invalid JSON: %s", canonical)
		}
		q, err := Parse(canonical)
		if err != nil {
			t.Fatalf("canonical text does not parse: %v\n%s", err, canonical)
		}
		if q.JSON() != canonical {
			t.Fatalf("not a fixed point:\n%s\n%s", canonical, q.JSON())
		}
		if ps := Validate("p", p); len(ps) == 0 {
			checkDocument(t, p)
		}
		Simulate(p, []Image{{Digest: "a", Tags: []string{"v1"}, PushedAt: base}, {Digest: "b"}}, base)
	})
}

// decodeSimulation turns fuzz bytes into a policy (valid or not) and images.
func decodeSimulation(b []byte) (*Policy, []Image, time.Time) {
	r := &bytesReader{b: b}
	p := &Policy{}
	for range 1 + r.next()%6 {
		rule := PolicyRule{RulePriority: 1 + r.next()%8, Action: Action{Type: ActionExpire}}
		rule.Selection.TagStatus = r.pick(TagStatusTagged, TagStatusUntagged, TagStatusAny, TagStatusTagged)
		if rule.Selection.TagStatus == TagStatusTagged {
			for range 1 + r.next()%2 {
				if r.next()%2 == 0 {
					rule.Selection.TagPrefixList = append(rule.Selection.TagPrefixList, r.word(false))
				} else {
					rule.Selection.TagPatternList = append(rule.Selection.TagPatternList, r.word(true))
				}
			}
		}
		switch r.next() % 5 {
		case 0, 1:
			rule.Selection.CountType = CountTypeImageCountMoreThan
		case 2:
			rule.Selection.CountType, rule.Selection.CountUnit = CountTypeSinceImagePushed, CountUnitDays
		case 3:
			rule.Selection.CountType, rule.Selection.CountUnit = CountTypeSinceImagePulled, CountUnitDays
		default:
			rule.Selection.CountType, rule.Selection.CountUnit = CountTypeSinceImageTransitioned, CountUnitDays
		}
		rule.Selection.CountNumber = r.next() % 6
		switch r.next() % 16 {
		case 0:
			rule.Action = Action{Type: ActionTransition, TargetStorageClass: StorageClassArchive}
		case 1:
			rule.Selection.StorageClass = StorageClassArchive
		}
		p.Rules = append(p.Rules, rule)
	}
	var images []Image
	for i := range r.next() % 14 {
		var tags []string
		for range r.next() % 4 {
			tags = append(tags, r.word(false))
		}
		at := base.Add(time.Duration(r.next()%10)*24*time.Hour + time.Duration(r.next()%3)*12*time.Hour)
		im := Image{Digest: fmt.Sprintf("d%02x-%d", r.next(), i), Tags: tags, PushedAt: at}
		switch r.next() % 4 {
		case 1:
			im.LastPulledAt = at.Add(time.Duration(r.next()%6) * 24 * time.Hour)
		case 2:
			im.StorageClass = StorageClassArchive
			im.ArchivedAt = at.Add(time.Duration(r.next()%6) * 24 * time.Hour)
		case 3:
			im.StorageClass = StorageClassArchive // archived at an unknown time
		}
		images = append(images, im)
	}
	now := base.Add(time.Duration(r.next()%15) * 24 * time.Hour)
	return p, images, now
}

// FuzzSimulate: Simulate never panics and agrees with the reference
// transcription of the evaluation rules; with distinct priorities, (a) an
// image whose tags a higher-priority rule selects is never expired by a lower
// one, and (b) the N newest images an imageCountMoreThan N rule selects are
// never expired by that rule.
func FuzzSimulate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 0, 0, 1, 0, 0, 2, 1, 2, 0, 3, 6, 1, 1, 0, 2, 1, 2, 2, 0, 0, 1, 1, 4, 4, 0, 9})
	f.Add([]byte{1, 3, 0, 1, 0, 1, 1, 2, 9, 2, 7, 1, 1, 1, 0, 2, 0, 1, 0, 1, 2, 1, 3, 0, 0, 2, 1, 1, 2, 1, 2})
	f.Add([]byte{5, 0, 0, 0, 1, 2, 0, 2, 1, 1, 1, 3, 3, 0, 2, 2, 0, 0, 4, 0, 1, 1, 2, 2, 3, 0, 7, 2, 2, 0, 1, 2, 3, 1, 2, 2, 2, 1, 0, 0, 1, 1, 1, 0, 13, 2, 1, 0, 1, 0, 0, 2, 2, 2, 3, 1, 1, 4, 1, 1})
	f.Add([]byte("the quick brown fox jumps over the lazy dog, many times, with tags v1 and a-1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, images, now := decodeSimulation(b)
		res := Simulate(p, images, now)
		if want := reference(p, images, now); !equalResults(want, res) {
			t.Fatalf("simulator %+v\nreference %+v\npolicy %s\nimages %+v", res, want, p.JSON(), images)
		}
		checkSimulationProperties(t, p, images, res)
	})
}

func equalResults(a, b Result) bool {
	return slices.Equal(a.Expired, b.Expired) && slices.Equal(a.Archived, b.Archived) && slices.Equal(a.Retained, b.Retained)
}

func checkSimulationProperties(t *testing.T, p *Policy, images []Image, res Result) {
	t.Helper()
	if len(res.Expired)+len(res.Retained) != len(images) {
		t.Fatalf("%d expired + %d retained != %d images", len(res.Expired), len(res.Retained), len(images))
	}
	seen := map[int]bool{}
	for _, r := range p.Rules {
		if seen[r.RulePriority] {
			return // the properties assume distinct priorities
		}
		seen[r.RulePriority] = true
	}
	byDigest := map[string]int{}
	for i, im := range images {
		byDigest[im.Digest] = i
	}
	expiredBy := map[string]int{}
	acted := slices.Clone(res.Expired)
	for _, a := range res.Archived {
		acted = append(acted, Expiry(a))
	}
	for k, e := range acted {
		if _, dup := expiredBy[e.Digest]; dup {
			t.Fatalf("%s expired or archived twice", e.Digest)
		}
		expiredBy[e.Digest] = e.RulePriority
		if k >= len(res.Expired) && !slices.Contains(res.Retained, e.Digest) {
			t.Fatalf("archived image %s is not retained", e.Digest)
		}
		im := images[byDigest[e.Digest]]
		for _, r := range p.Rules {
			if r.RulePriority < e.RulePriority && refSelects(r, im) {
				t.Fatalf("(a) %s acted on by priority %d although priority %d selects its tags %q", e.Digest, e.RulePriority, r.RulePriority, im.Tags)
			}
		}
	}
	for _, r := range p.Rules {
		if r.Selection.CountType != CountTypeImageCountMoreThan || r.Selection.CountNumber < 1 {
			continue
		}
		var pool []int
		for i := range images {
			if refSelects(r, images[i]) {
				pool = append(pool, i)
			}
		}
		slices.SortFunc(pool, func(a, b int) int { return -compareAge(&images[a], &images[b]) })
		for _, i := range pool[:min(len(pool), r.Selection.CountNumber)] {
			if prio, ok := expiredBy[images[i].Digest]; ok && prio == r.RulePriority {
				t.Fatalf("(b) %s is among the %d newest of priority %d's selection but that rule expired it", images[i].Digest, r.Selection.CountNumber, r.RulePriority)
			}
		}
	}
}

// The properties hold on Build's policies and the benchmark repository too.
func TestSimulationPropertiesOnBuiltPolicies(t *testing.T) {
	t.Parallel()
	images := benchImages(2000, 11)
	for _, spec := range []*Spec{
		nil,
		{Template: "production", ProtectTags: []string{"release-", "v*.0.*"}},
		{KeepLatest: ip(50), ExpireUntaggedAfterDays: ip(5), Rules: []Rule{{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "imageCountMoreThan", CountNumber: 5}}},
		{ExpireTaggedAfterDays: ip(120), Rules: []Rule{{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "imageCountMoreThan", CountNumber: 5}}},
		{Template: "cost_optimization", ProtectTags: []string{"latest"}},
		{Template: "compliance"},
		{ExpireAllAfterDays: ip(200), ExpireUntaggedAfterDays: ip(10), ProtectTags: []string{"latest"}},
	} {
		p, ps := Build(lp, spec)
		if len(ps) > 0 {
			t.Fatal(dump(ps))
		}
		res := Simulate(p, images, benchNow)
		if !equalResults(reference(p, images, benchNow), res) {
			t.Fatalf("simulator and reference disagree on %s", p.JSON())
		}
		checkSimulationProperties(t, p, images, res)
	}
}
