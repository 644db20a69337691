package lifecycle

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func img(digest string, age float64, tags ...string) Image {
	return Image{Digest: digest, Tags: tags, PushedAt: daysAgo(age)}
}

func policyOf(rules ...PolicyRule) *Policy { return &Policy{Rules: rules} }

func TestSimulate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		policy   *Policy
		images   []Image
		want     []Expiry   // oldest first
		archived []Archival // oldest first
	}{
		{
			name:   "untagged by age, strictly older than N days",
			policy: policyOf(expireRule(1, "", untaggedDays(14))),
			images: []Image{
				img("u15", 15), img("u14", 14), {Digest: "u14+", PushedAt: daysAgo(14).Add(-time.Nanosecond)},
				img("t100", 100, "v1"), img("u1", 1),
			},
			want: []Expiry{{"u15", 1}, {"u14+", 1}},
		},
		{
			name:   "any by count keeps the N newest",
			policy: policyOf(expireRule(1, "", anyCount(2))),
			images: []Image{img("a", 4, "x"), img("b", 3), img("c", 2, "y"), img("d", 1)},
			want:   []Expiry{{"a", 1}, {"b", 1}},
		},
		{
			name:   "ties in push time: the greater digest counts as newer",
			policy: policyOf(expireRule(1, "", anyCount(1))),
			images: []Image{img("sha256:b", 1), img("sha256:c", 1), img("sha256:a", 1)},
			want:   []Expiry{{"sha256:a", 1}, {"sha256:b", 1}},
		},
		{
			// Rule 1 selects the v images but keeps all of them; rule 2 may not
			// expire them, yet still counts them (rule 5): of the two newest
			// (v1, a), only a is rule 2's; b and c rank 4th and 6th.
			name: "claimed but kept images are counted by a lower any rule",
			policy: policyOf(
				expireRule(1, "", prefixCount(5, "v")),
				expireRule(2, "", anyCount(2)),
			),
			images: []Image{img("v1", 1, "v1"), img("a", 2, "a"), img("v2", 3, "v2"), img("b", 4), img("v3", 5, "v3"), img("c", 6, "c")},
			want:   []Expiry{{"c", 2}, {"b", 2}},
		},
		{
			// Rule 1 expires one old v image by count; the other v images are
			// kept by rule 1 even though rule 2's age would expire them.
			name: "a higher rule's selection protects from a lower age rule",
			policy: policyOf(
				expireRule(1, "", prefixCount(2, "v")),
				expireRule(2, "", anyDays(1)),
			),
			images: []Image{img("v1", 10, "v1"), img("v2", 20, "v2"), img("v3", 30, "v3"), img("x", 40, "x"), img("new", 0.5, "x")},
			want:   []Expiry{{"x", 2}, {"v3", 1}},
		},
		{
			name: "protective rule: images with the protected prefix never expire",
			policy: policyOf(
				expireRule(1, "", prefixDays(ProtectCountNumber, "release")),
				expireRule(2, "", anyDays(30)),
			),
			images: []Image{img("r", 400, "release-1.0"), img("rb", 400, "build-7", "release-2"), img("o", 31, "build-1"), img("u", 31), img("n", 29)},
			want:   []Expiry{{"o", 2}, {"u", 2}},
		},
		{
			name:   "several prefixes are ANDed, each matched by some tag",
			policy: policyOf(expireRule(1, "", prefixDays(1, "a", "b"))),
			images: []Image{
				img("both", 5, "a1", "b1"), img("only-a", 5, "a1"), img("ab-one-tag", 5, "ab"),
				img("three", 5, "b-x", "zzz", "a"), img("untagged", 5),
			},
			want: []Expiry{{"both", 1}, {"three", 1}},
		},
		{
			name: "patterns: prefix, suffix, contains, exact, inner, zero-length '*', case-sensitive",
			policy: policyOf(
				expireRule(1, "", patternDays(1, "latest")),
				expireRule(2, "", patternDays(1, "v*")),
				expireRule(3, "", patternDays(1, "*-rc")),
				expireRule(4, "", patternDays(1, "*feat*")),
				expireRule(5, "", patternDays(1, "r*.*.*")),
			),
			images: []Image{
				img("exact", 5, "latest"), img("exact-no", 5, "latest1", "Latest"),
				img("prefix", 5, "v2.0"), img("prefix-empty", 5, "v"), img("prefix-no", 5, "xv2"),
				img("suffix", 5, "1.0-rc"), img("suffix-no", 5, "1.0-rc1"),
				img("contains", 5, "my-feature"), img("contains-empty", 5, "feat"),
				img("inner", 5, "r1.2.3"), img("inner-no", 5, "r1.2"),
			},
			want: []Expiry{{"contains", 4}, {"contains-empty", 4}, {"exact", 1}, {"inner", 5}, {"prefix", 2}, {"prefix-empty", 2}, {"suffix", 3}},
		},
		{
			name:   "several patterns are ANDed, possibly over different tags",
			policy: policyOf(expireRule(1, "", patternDays(1, "v*", "*-rc"))),
			images: []Image{img("one-tag", 5, "v1-rc"), img("two-tags", 5, "v1", "x-rc"), img("only-v", 5, "v1")},
			want:   []Expiry{{"one-tag", 1}, {"two-tags", 1}},
		},
		{
			// The untagged rule claims untagged images, but the any rule
			// counts them: u-new is among the 2 newest, so only one tagged
			// image is kept.
			name: "untagged then any by count",
			policy: policyOf(
				expireRule(1, "", untaggedDays(10)),
				expireRule(2, "", anyCount(2)),
			),
			images: []Image{img("u-new", 1), img("t1", 2, "a"), img("t2", 3, "b"), img("u-old", 11)},
			want:   []Expiry{{"u-old", 1}, {"t2", 2}},
		},
		{
			name: "rules are applied by priority, not input order",
			policy: policyOf(
				expireRule(7, "", anyDays(1)),
				expireRule(3, "", prefixCount(1, "v")),
			),
			images: []Image{img("v-old", 5, "v1"), img("v-new", 4, "v2"), img("x", 5, "x")},
			want:   []Expiry{{"v-old", 3}, {"x", 7}},
		},
		{
			name: "a transition rule claims its images; archive rules select only archived images",
			policy: policyOf(
				PolicyRule{RulePriority: 1, Selection: prefixCount(1, "v"), Action: Action{Type: ActionTransition, TargetStorageClass: StorageClassArchive}},
				PolicyRule{RulePriority: 2, Selection: Selection{TagStatus: TagStatusUntagged, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountUnit: CountUnitDays, CountNumber: 90}, Action: Action{Type: ActionExpire}},
				expireRule(3, "", anyDays(1)),
			),
			images:   []Image{img("v1", 5, "v1"), img("v2", 6, "v2"), img("u", 5)},
			want:     []Expiry{{"u", 3}},
			archived: []Archival{{"v2", 1}},
		},
		{
			name: "archive by last pull, expire from archive by time in archive",
			policy: policyOf(
				PolicyRule{RulePriority: 1, Selection: Selection{TagStatus: TagStatusAny, CountType: CountTypeSinceImagePulled, CountUnit: CountUnitDays, CountNumber: 30}, Action: Action{Type: ActionTransition, TargetStorageClass: StorageClassArchive}},
				PolicyRule{RulePriority: 2, Selection: Selection{TagStatus: TagStatusAny, StorageClass: StorageClassArchive, CountType: CountTypeSinceImageTransitioned, CountUnit: CountUnitDays, CountNumber: 90}, Action: Action{Type: ActionExpire}},
			),
			images: []Image{
				{Digest: "pulled-recently", Tags: []string{"v1"}, PushedAt: daysAgo(100), LastPulledAt: daysAgo(5)},
				{Digest: "never-pulled-old", PushedAt: daysAgo(40)},
				{Digest: "never-pulled-new", PushedAt: daysAgo(20)},
				{Digest: "pulled-long-ago", Tags: []string{"v0"}, PushedAt: daysAgo(200), LastPulledAt: daysAgo(31)},
				{Digest: "archived-old", PushedAt: daysAgo(300), StorageClass: StorageClassArchive, ArchivedAt: daysAgo(91)},
				{Digest: "archived-new", PushedAt: daysAgo(400), StorageClass: StorageClassArchive, ArchivedAt: daysAgo(10)},
				{Digest: "archived-unknown", PushedAt: daysAgo(500), StorageClass: StorageClassArchive},
			},
			want:     []Expiry{{"archived-old", 2}},
			archived: []Archival{{"pulled-long-ago", 1}, {"never-pulled-old", 1}},
		},
		{
			name:   "an age beyond time.Duration never fires",
			policy: policyOf(expireRule(1, "", anyDays(math.MaxInt))),
			images: []Image{{Digest: "ancient", PushedAt: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := Simulate(tc.policy, tc.images, base)
			assert.Equal(t, tc.want, res.Expired)
			assert.Equal(t, tc.archived, res.Archived)
			var retained []string
			expired := map[string]bool{}
			for _, e := range tc.want {
				expired[e.Digest] = true
			}
			for _, im := range tc.images {
				if !expired[im.Digest] {
					retained = append(retained, im.Digest)
				}
			}
			assert.Equal(t, retained, res.Retained, "retained in input order")
			assert.Equal(t, reference(tc.policy, tc.images, base), res, "matches the reference simulator")
		})
	}
}

func TestSimulateNothingToDo(t *testing.T) {
	t.Parallel()
	images := []Image{img("a", 1), img("b", 100, "v")}
	for _, p := range []*Policy{nil, {}} {
		res := Simulate(p, images, base)
		assert.Empty(t, res.Expired)
		assert.Equal(t, []string{"a", "b"}, res.Retained)
	}
	res := Simulate(DefaultPolicy(), nil, base)
	assert.Empty(t, res.Expired)
	assert.Empty(t, res.Retained)
}

// Many images sharing signatures, more than 64 entries (several bitset
// words), checked against the reference.
func TestSimulateMatchesReferenceOnALargerRepository(t *testing.T) {
	t.Parallel()
	p := benchPolicy()
	require.Empty(t, Validate("p", p), dump(Validate("p", p)))
	images := benchImages(3000, 7)
	assert.Equal(t, reference(p, images, benchNow), Simulate(p, images, benchNow))

	// More than 64 distinct entries, so the bitsets take two words.
	wide := &Policy{}
	for i := range 47 {
		sel := prefixCount(i%3+1, fmt.Sprintf("v%d.%d", i/20%4, i%20))
		if i%2 == 1 {
			sel = prefixDays(i%30+1, fmt.Sprintf("v%d.%d", i/20%4, i%20), fmt.Sprintf("release-%d", i))
		}
		wide.Rules = append(wide.Rules, expireRule(i+1, "", sel))
	}
	wide.Rules = append(wide.Rules, expireRule(48, "", patternDays(3, "*a*", "r*1", "*9")))
	wide.Rules = append(wide.Rules, expireRule(49, "", untaggedDays(100)))
	wide.Rules = append(wide.Rules, expireRule(50, "", anyCount(100)))
	require.Empty(t, Validate("wide", wide))
	require.Greater(t, compile(wide, benchNow).match.words, 1)
	assert.Equal(t, reference(wide, images, benchNow), Simulate(wide, images, benchNow))
}

// reference is a direct transcription of the evaluation rules
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules):
// no precompilation, no signatures, one pass over the images per rule.
func reference(p *Policy, images []Image, now time.Time) Result {
	actedBy := make([]int, len(images)) // index into rules + 1, 0 = none
	var rules []PolicyRule
	if p != nil {
		claimed := make([]bool, len(images))
		rules = slices.Clone(p.Rules)
		slices.SortStableFunc(rules, func(a, b PolicyRule) int { return cmp.Compare(a.RulePriority, b.RulePriority) })
		for k, r := range rules {
			var pool []int
			for i := range images {
				if refSelects(r, images[i]) {
					pool = append(pool, i)
				}
			}
			// olderThan: now - t > N days, in whole days and a remainder.
			olderThan := func(t time.Time) bool {
				const day = 24 * time.Hour
				d, n := now.Sub(t), r.Selection.CountNumber
				q := int(d / day)
				return q > n || q == n && d%day > 0
			}
			var candidates []int
			if r.Action.Type == ActionExpire || r.Action.Type == ActionTransition {
				switch r.Selection.CountType {
				case CountTypeImageCountMoreThan:
					sorted := slices.Clone(pool)
					slices.SortFunc(sorted, func(a, b int) int { return -compareAge(&images[a], &images[b]) })
					if n := max(r.Selection.CountNumber, 0); n < len(sorted) {
						candidates = sorted[n:]
					}
				case CountTypeSinceImagePushed:
					for _, i := range pool {
						if olderThan(images[i].PushedAt) {
							candidates = append(candidates, i)
						}
					}
				case CountTypeSinceImagePulled:
					for _, i := range pool {
						pulled := images[i].LastPulledAt
						if pulled.IsZero() {
							pulled = images[i].PushedAt // never pulled
						}
						if olderThan(pulled) {
							candidates = append(candidates, i)
						}
					}
				case CountTypeSinceImageTransitioned:
					for _, i := range pool {
						if at := images[i].ArchivedAt; !at.IsZero() && olderThan(at) {
							candidates = append(candidates, i)
						}
					}
				}
			}
			for _, i := range candidates {
				if !claimed[i] && actedBy[i] == 0 {
					actedBy[i] = k + 1
				}
			}
			for _, i := range pool {
				claimed[i] = true
			}
		}
	}
	order := make([]int, len(images))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return compareAge(&images[a], &images[b]) })
	var res Result
	for _, i := range order {
		if a := actedBy[i]; a > 0 {
			r := rules[a-1]
			if r.Action.Type == ActionTransition {
				res.Archived = append(res.Archived, Archival{Digest: images[i].Digest, RulePriority: r.RulePriority})
			} else {
				res.Expired = append(res.Expired, Expiry{Digest: images[i].Digest, RulePriority: r.RulePriority})
			}
		}
	}
	res.Retained = []string{}
	for i, im := range images {
		if a := actedBy[i]; a == 0 || rules[a-1].Action.Type == ActionTransition {
			res.Retained = append(res.Retained, im.Digest)
		}
	}
	return res
}

func refSelects(r PolicyRule, im Image) bool {
	class := StorageClassStandard
	if im.StorageClass == StorageClassArchive {
		class = StorageClassArchive
	}
	if storageClassOf(r) != class {
		return false
	}
	s := r.Selection
	switch s.TagStatus {
	case TagStatusUntagged:
		return len(im.Tags) == 0
	case TagStatusAny:
		return true
	case TagStatusTagged:
		if len(im.Tags) == 0 || len(s.TagPrefixList)+len(s.TagPatternList) == 0 {
			return false
		}
		for _, p := range s.TagPrefixList {
			if !slices.ContainsFunc(im.Tags, func(t string) bool { return strings.HasPrefix(t, p) }) {
				return false
			}
		}
		for _, p := range s.TagPatternList {
			if !slices.ContainsFunc(im.Tags, func(t string) bool { return refGlob(p, t) }) {
				return false
			}
		}
		return true
	}
	return false
}

// refGlob matches '*' as zero or more bytes, anchored, by dynamic
// programming over bytes.
func refGlob(pattern, s string) bool {
	// m[j]: pattern[:i] matches s[:j].
	m := make([]bool, len(s)+1)
	m[0] = true
	for i := 0; i < len(pattern); i++ {
		next := make([]bool, len(s)+1)
		if pattern[i] == '*' {
			seen := false
			for j := 0; j <= len(s); j++ {
				seen = seen || m[j]
				next[j] = seen
			}
		} else {
			for j := 1; j <= len(s); j++ {
				next[j] = m[j-1] && s[j-1] == pattern[i]
			}
		}
		m = next
	}
	return m[len(s)]
}

func TestRefGlob(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p, s string
		ok   bool
	}{
		{"*", "", true}, {"", "", true}, {"", "a", false}, {"a*", "a", true}, {"*a", "ba", true},
		{"a*b*c", "abc", true}, {"a*b*c", "axxbyyc", true}, {"a*b*c", "acb", false}, {"**", "x", true},
		{"*ab*ab*", "abab", true}, {"*ab*ab*", "aba", false}, {"aa*aa", "aaa", false},
	} {
		assert.Equal(t, c.ok, refGlob(c.p, c.s), "%q ~ %q", c.p, c.s)
		g := glob{segments: strings.Split(c.p, "*")}
		if strings.Contains(c.p, "*") {
			assert.Equal(t, c.ok, g.match(c.s), "glob %q ~ %q", c.p, c.s)
		}
	}
}

// The sort of the simulator against compareAge, with many ties in push time,
// on the integer fast path and on the time.Time path (a push time outside
// the years 1678 to 2262).
func TestSortKeys(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	for _, far := range []bool{false, true} {
		images := make([]Image, 3000)
		for i := range images {
			images[i] = Image{
				Digest:   fmt.Sprintf("sha256:%03x-%d", rng.IntN(4096), i), // unique, in random order
				PushedAt: base.Add(-time.Duration(rng.IntN(200)) * time.Hour),
				Tags:     []string{[]string{"a", "b", "v1"}[rng.IntN(3)]},
			}
		}
		if far {
			images[17].PushedAt = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
			images[18].PushedAt = time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		p := policyOf(expireRule(1, "", prefixCount(40, "v")), expireRule(2, "", anyCount(500)))
		sim := compile(p, base)
		keys := sim.imageKeys(images)
		assert.Equal(t, !far, sim.fastTimes)
		sortKeys(keys, images, sim.fastTimes)
		assert.True(t, slices.IsSortedFunc(keys, func(a, b imageKey) int {
			if c := compareAge(&images[a.idx], &images[b.idx]); c != 0 {
				return c
			}
			return cmp.Compare(a.idx, b.idx)
		}), "far=%v", far)
		assert.Equal(t, reference(p, images, base), Simulate(p, images, base), "far=%v", far)
	}
}

// The matcher against the definition of matching (HasPrefix, refGlob) for
// every kind of entry: prefixes, exact patterns, "lit*", "*lit", globs
// anchored at the start, at the end and at neither, and empty entries.
func TestMatcher(t *testing.T) {
	t.Parallel()
	var es []entry
	for _, p := range []string{"", "v", "v1", "rel", "release-"} {
		es = append(es, entry{p, false})
	}
	for _, p := range []string{"", "*", "**", "latest", "v*", "v1.*", "*-rc", "*.0", "v*.*.*", "*-rc*", "*a*b*", "r*-*1", "*e*e*", "*1*"} {
		es = append(es, entry{p, true})
	}
	b := newMatcherBuilder()
	for _, e := range es {
		b.entryID(e)
	}
	m := b.build()
	tags := []string{"", "v", "v1", "v1.0", "v1.2.3", "v10.0.1-rc", "latest", "latest1", "release-1", "rel", "1.0-rc", "1.0-rc1", "xab", "ba", "aab", "r-1", "r1-x-1", "eee", "e", "x"}
	for _, tag := range tags {
		got := make([]uint64, m.words)
		m.match(tag, got)
		for id, e := range es {
			want := strings.HasPrefix(tag, e.s)
			if e.pattern {
				want = refGlob(e.s, tag)
			}
			assert.Equal(t, want, got[id/64]&(1<<(id%64)) != 0, "tag %q, entry %q (pattern %v)", tag, e.s, e.pattern)
		}
	}
}
