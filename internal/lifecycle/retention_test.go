package lifecycle

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The scenarios of the policy review (section 2) that lost tagged images.
func TestReviewScenarios(t *testing.T) {
	t.Parallel()
	expiredDigests := func(res Result) []string {
		var ds []string
		for _, e := range res.Expired {
			ds = append(ds, e.Digest)
		}
		return ds
	}

	// Case 12 (D3): a burst of fresh untagged images must not push in-use
	// tagged images out of keepLatest's count.
	t.Run("case 12: cost_optimization keeps v1.0.0 and latest after 12 untagged pushes", func(t *testing.T) {
		t.Parallel()
		p, ps := Build(lp, &Spec{Template: "cost_optimization"})
		require.Empty(t, ps, dump(ps))
		images := []Image{img("v1.0.0", 5, "v1.0.0"), img("latest", 3, "latest")}
		for i := range 12 {
			images = append(images, img(fmt.Sprintf("u%02d", i), 0.9*float64(i)/12))
		}
		res := Simulate(p, images, base)
		assert.Empty(t, res.Expired, "nothing is old enough or beyond the newest 10 tagged images")
		assert.Equal(t, reference(p, images, base), res)
	})
	t.Run("case 12: keepLatest 30 with expireUntaggedAfterDays 7 keeps tagged images through an untagged burst", func(t *testing.T) {
		t.Parallel()
		p, ps := Build(lp, &Spec{KeepLatest: ip(30), ExpireUntaggedAfterDays: ip(7)})
		require.Empty(t, ps, dump(ps))
		images := []Image{img("prod", 20, "v2.3.1"), img("old-untagged", 8)}
		for i := range 40 {
			images = append(images, img(fmt.Sprintf("u%02d", i), 0.5))
		}
		for i := range 31 {
			images = append(images, img(fmt.Sprintf("t%02d", i), 30+float64(i), fmt.Sprintf("build-%d", i)))
		}
		res := Simulate(p, images, base)
		// prod and t00..t28 are the 30 newest tagged images; t29 and t30 go,
		// and the untagged image older than 7 days.
		assert.Equal(t, []string{"t30", "t29", "old-untagged"}, expiredDigests(res))
	})

	// Case 10 (D4): compliance never deletes an audit image by count.
	t.Run("case 10: compliance keeps 250 tagged images pushed over 10 days", func(t *testing.T) {
		t.Parallel()
		p, ps := Build(lp, &Spec{Template: "compliance"})
		require.Empty(t, ps, dump(ps))
		var images []Image
		for i := range 250 {
			images = append(images, img(fmt.Sprintf("audit-%03d", i), 10*float64(i)/250, fmt.Sprintf("audit-%03d", i)))
		}
		res := Simulate(p, images, base)
		assert.Empty(t, res.Expired)
		// A year later, every one of them has expired by age.
		res = Simulate(p, images, base.Add(376*24*time.Hour))
		assert.Len(t, res.Expired, 250)
	})

	// Case 15 (D14): keepLatest could never cap tagged images.
	t.Run("case 15: keepLatest with expireTaggedAfterDays is refused", func(t *testing.T) {
		t.Parallel()
		p, ps := Build(lp, &Spec{KeepLatest: ip(30), ExpireTaggedAfterDays: ip(90)})
		assert.Nil(t, p)
		_, ok := ps.Find(lp+".keepLatest", "cannot be combined with expireTaggedAfterDays")
		assert.True(t, ok, dump(ps))
	})
}

// retentionCase is a spec and what it promises about tagged images.
type retentionCase struct {
	name    string
	spec    *Spec
	promise TaggedRetention
}

var untaggedVariants = []Rule{
	{TagStatus: "untagged", CountType: "imageCountMoreThan", CountNumber: 3},
	{TagStatus: "untagged", CountType: "sinceImagePushed", CountNumber: 2},
}

// retentionCases: every template alone and with every helper or rule that
// does not itself select tagged images, the helpers that replace the
// template's tagged retention, and the helper combinations without a
// template that promise a tagged retention.
func retentionCases() []retentionCase {
	var cs []retentionCase
	for _, tmpl := range Templates() {
		variants := []struct {
			name    string
			mutate  func(s *Spec)
			promise TaggedRetention
		}{
			{"", func(*Spec) {}, tmpl.TaggedRetention},
			{"protectTags", func(s *Spec) { s.ProtectTags = []string{"release-", "*-rc*"} }, tmpl.TaggedRetention},
			{"expireUntaggedAfterDays", func(s *Spec) { s.ExpireUntaggedAfterDays = ip(1) }, tmpl.TaggedRetention},
			{"typed untagged count", func(s *Spec) { s.Rules = untaggedVariants[:1] }, tmpl.TaggedRetention},
			{"typed untagged age", func(s *Spec) { s.Rules = untaggedVariants[1:] }, tmpl.TaggedRetention},
			{"keepLatest", func(s *Spec) { s.KeepLatest = ip(7) }, TaggedRetention{NewestTagged: 7}},
			{"expireTaggedAfterDays", func(s *Spec) { s.ExpireTaggedAfterDays = ip(20) }, TaggedRetention{Days: 20}},
			{"keepLatest+protectTags+typed untagged", func(s *Spec) {
				s.KeepLatest, s.ProtectTags, s.Rules = ip(4), []string{"latest"}, untaggedVariants[:1]
			}, TaggedRetention{NewestTagged: 4}},
		}
		for _, v := range variants {
			s := &Spec{Template: tmpl.Name}
			v.mutate(s)
			cs = append(cs, retentionCase{tmpl.Name + "+" + v.name, s, v.promise})
		}
	}
	return append(cs,
		retentionCase{"keepLatest+expireUntaggedAfterDays", &Spec{KeepLatest: ip(5), ExpireUntaggedAfterDays: ip(1)}, TaggedRetention{NewestTagged: 5}},
		retentionCase{"keepLatest+typed untagged", &Spec{KeepLatest: ip(5), Rules: untaggedVariants[:1]}, TaggedRetention{NewestTagged: 5}},
		retentionCase{"keepLatest+expireUntaggedAfterDays+protectTags", &Spec{KeepLatest: ip(3), ExpireUntaggedAfterDays: ip(2), ProtectTags: []string{"v"}}, TaggedRetention{NewestTagged: 3}},
		retentionCase{"expireTaggedAfterDays+expireUntaggedAfterDays", &Spec{ExpireTaggedAfterDays: ip(10), ExpireUntaggedAfterDays: ip(1)}, TaggedRetention{Days: 10}},
		retentionCase{"expireTaggedAfterDays alone", &Spec{ExpireTaggedAfterDays: ip(10)}, TaggedRetention{Days: 10}},
	)
}

// randomRepository pushes tagged images at random ages and a random number
// of untagged images, many of them fresh (the burst that used to expire
// tagged images).
func randomRepository(rng *rand.Rand) []Image {
	tags := []func(i int) string{
		func(i int) string { return fmt.Sprintf("v1.%d.0", i) },
		func(int) string { return "latest" },
		func(i int) string { return fmt.Sprintf("release-%d", i) },
		func(i int) string { return fmt.Sprintf("pr-%d", i) },
		func(i int) string { return fmt.Sprintf("1.%d-rc1", i) },
		func(i int) string { return fmt.Sprintf("sha-%x", i) },
	}
	age := func() float64 {
		if rng.IntN(3) == 0 {
			return rng.Float64() // pushed within the last day
		}
		return rng.Float64() * float64(rng.IntN(500)+1)
	}
	var images []Image
	for i := range rng.IntN(120) {
		var ts []string
		for range 1 + rng.IntN(2) {
			ts = append(ts, tags[rng.IntN(len(tags))](i))
		}
		images = append(images, img(fmt.Sprintf("t%03d", i), age(), ts...))
	}
	for i := range rng.IntN(400) {
		images = append(images, img(fmt.Sprintf("u%03d", i), age()))
	}
	rng.Shuffle(len(images), func(i, j int) { images[i], images[j] = images[j], images[i] })
	return images
}

// checkRetention fails when the simulation expired a tagged image the
// promise covers.
func checkRetention(t *testing.T, promise TaggedRetention, images []Image, now time.Time, res Result) {
	t.Helper()
	expired := map[string]int{}
	for _, e := range res.Expired {
		expired[e.Digest] = e.RulePriority
	}
	var tagged []int
	for i, im := range images {
		if len(im.Tags) > 0 {
			tagged = append(tagged, i)
		}
	}
	if promise.Days > 0 {
		for _, i := range tagged {
			im := images[i]
			if prio, ok := expired[im.Digest]; ok && now.Sub(im.PushedAt) <= time.Duration(promise.Days)*24*time.Hour {
				t.Fatalf("promised %s, but %s %q (%.1f days old) was expired by priority %d", promise, im.Digest, im.Tags, now.Sub(im.PushedAt).Hours()/24, prio)
			}
		}
	}
	if promise.NewestTagged > 0 {
		slices.SortFunc(tagged, func(a, b int) int { return -compareAge(&images[a], &images[b]) })
		for rank, i := range tagged[:min(len(tagged), promise.NewestTagged)] {
			if prio, ok := expired[images[i].Digest]; ok {
				t.Fatalf("promised %s, but %s %q (tagged rank %d) was expired by priority %d", promise, images[i].Digest, images[i].Tags, rank+1, prio)
			}
		}
	}
}

// TestTemplateRetention is the property test of D3/D4: for every template and
// helper combination, no tagged image the documented retention covers is
// expired, whatever is pushed.
func TestTemplateRetention(t *testing.T) {
	t.Parallel()
	for k, c := range retentionCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p, ps := Build(lp, c.spec)
			require.Empty(t, ps.Errors(), dump(ps))
			rng := rand.New(rand.NewPCG(uint64(k), 2026))
			for range 40 {
				images := randomRepository(rng)
				res := Simulate(p, images, base)
				require.Equal(t, reference(p, images, base), res, "simulator and reference disagree on %s", p.JSON())
				checkRetention(t, c.promise, images, base, res)
			}
		})
	}
}

// FuzzTemplateRetention: the same property over repositories decoded from
// fuzz bytes. Its seed corpus (the review's scenarios) runs in go test.
func FuzzTemplateRetention(f *testing.F) {
	// Case 12: cost_optimization, v1.0.0 (5 days) and latest (3 days), 12
	// fresh untagged images.
	f.Add(uint8(2), uint16(12), []byte{0, 5 * 8, 1, 3 * 8})
	// Case 10: compliance, tagged images over 10 days, no untagged ones.
	f.Add(uint8(3), uint16(0), slices.Repeat([]byte{4, 10, 4, 40, 4, 79}, 40))
	f.Add(uint8(0), uint16(300), []byte{0, 0, 1, 1, 2, 200, 3, 255, 5, 1})
	f.Add(uint8(1), uint16(90), []byte{2, 100, 2, 150, 2, 250})
	f.Add(uint8(37), uint16(65535), []byte("tagged images pushed at random ages"))
	cases := retentionCases()
	f.Fuzz(func(t *testing.T, which uint8, untagged uint16, data []byte) {
		c := cases[int(which)%len(cases)]
		p, ps := Build(lp, c.spec)
		if len(ps.Errors()) > 0 {
			t.Fatalf("%s: %s", c.name, dump(ps))
		}
		tags := []string{"v1.0.0", "latest", "release-1", "pr-7", "1.0-rc1", "sha-1"}
		var images []Image
		r := &bytesReader{b: data}
		for i := 0; r.more(); i++ {
			kind, age := r.next(), float64(r.next())/8 // days, in eighths
			var ts []string
			if kind%7 != 6 {
				ts = []string{tags[kind%len(tags)] + fmt.Sprint(i)}
			}
			images = append(images, img(fmt.Sprintf("d%03d", i), age, ts...))
		}
		for i := range int(untagged) % 2000 {
			images = append(images, img(fmt.Sprintf("u%04d", i), float64(i%24)/24))
		}
		res := Simulate(p, images, base)
		checkRetention(t, c.promise, images, base, res)
	})
}
