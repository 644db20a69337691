package lifecycle

import (
	"cmp"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/benchpair"
)

var benchNow = time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)

// benchImages builds n images deterministically: 0 to 3 tags from the tag
// families a CI pipeline pushes, push times over 400 days at minute
// granularity (so ties occur).
func benchImages(n int, seed int64) []Image {
	rng := rand.New(rand.NewSource(seed))
	families := []func() string{
		func() string { return fmt.Sprintf("v%d.%d.%d", rng.Intn(4), rng.Intn(20), rng.Intn(50)) },
		func() string { return fmt.Sprintf("release-%d", rng.Intn(500)) },
		func() string { return fmt.Sprintf("dev-%x", rng.Int63()) },
		func() string {
			return fmt.Sprintf("feature-%c%c-%d", 'a'+rng.Intn(26), 'a'+rng.Intn(26), rng.Intn(1000))
		},
		func() string { return fmt.Sprintf("sha-%07x", rng.Intn(1<<28)) },
		func() string { return fmt.Sprintf("pr-%d", rng.Intn(5000)) },
		func() string { return fmt.Sprintf("nightly-%d", rng.Intn(400)) },
		func() string { return fmt.Sprintf("%d.%d-rc%d", rng.Intn(5), rng.Intn(10), rng.Intn(10)) },
		func() string { return "latest" },
	}
	images := make([]Image, n)
	for i := range images {
		var tags []string
		for range rng.Intn(4) {
			tags = append(tags, families[rng.Intn(len(families))]())
		}
		images[i] = Image{
			Digest:   fmt.Sprintf("sha256:%016x%016x", rng.Uint64(), rng.Uint64()),
			Tags:     tags,
			PushedAt: benchNow.Add(-time.Duration(rng.Intn(400*24*60)) * time.Minute),
		}
	}
	return images
}

// benchPolicy has 50 rules: untagged by age first, 48 tagged rules mixing
// prefixes (some ANDed), patterns of every shape, counts and ages, and an any
// rule by count last.
func benchPolicy() *Policy {
	p := &Policy{Rules: []PolicyRule{expireRule(1, "untagged", untaggedDays(30))}}
	hex := "0123456789abcdef"
	for k := range 48 {
		var sel Selection
		switch k % 4 {
		case 0:
			sel = prefixCount(k%7+1, "dev-"+string(hex[k/4%16]))
		case 1:
			sel = prefixDays(k%90+1, "sha-"+string(hex[k/4%16]), "pr-")
		case 2:
			sel = patternDays(k%60+1, fmt.Sprintf("v%d.*.*", k/4%4), fmt.Sprintf("*-rc%d*", k/4%10))
		default:
			sel = Selection{TagStatus: TagStatusTagged, TagPatternList: []string{fmt.Sprintf("feature-%c*-*%d", 'a'+k/4, k%10)}, CountType: CountTypeImageCountMoreThan, CountNumber: k%5 + 1}
		}
		p.Rules = append(p.Rules, expireRule(k+2, "", sel))
	}
	p.Rules = append(p.Rules, expireRule(50, "keep 1000", anyCount(1000)))
	return p
}

func BenchmarkSimulate100kImages50Rules(b *testing.B) {
	p, images := benchSetup(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res := Simulate(p, images, benchNow)
		if len(res.Expired)+len(res.Retained) != len(images) {
			b.Fatal("lost images")
		}
	}
}

// BenchmarkSortImagesByPushTime100k is the floor: only sorting the same
// 100,000 images by push time (sortFloor).
func BenchmarkSortImagesByPushTime100k(b *testing.B) {
	images := benchImages(100_000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if order := sortFloor(images); len(order) != len(images) {
			b.Fatal("lost images")
		}
	}
}

// BenchmarkSimulatorVsSortFloor runs the simulator and the sort floor side by
// side on the same data in interleaved rounds (internal/benchpair) and
// reports the simulator's time as a multiple of the floor's, the median of
// the rounds (x-sort-floor; issue #10's goal is at most 2.5).
func BenchmarkSimulatorVsSortFloor(b *testing.B) {
	p, images := benchSetup(b)
	var rounds benchpair.Rounds
	for range b.N {
		rounds.Run(func() {
			if res := Simulate(p, images, benchNow); len(res.Expired)+len(res.Retained) != len(images) {
				b.Fatal("lost images")
			}
		}, func() {
			if order := sortFloor(images); len(order) != len(images) {
				b.Fatal("lost images")
			}
		})
	}
	rounds.Report(b, "x-sort-floor")
}

func benchSetup(b *testing.B) (*Policy, []Image) {
	b.Helper()
	p := benchPolicy()
	if ps := Validate("bench", p); len(ps) > 0 {
		b.Fatal(dump(ps))
	}
	return p, benchImages(100_000, 1)
}

// sortFloor is the floor the simulator is measured against: a comparison
// sort of the images by push time (ties by digest), keys carrying the push
// time. It is the simulator's sort before issue #10, kept as it was so the
// ratio stays comparable.
func sortFloor(images []Image) []int32 {
	type key struct {
		sec  int64
		nsec int32
		idx  int32
	}
	keys := make([]key, len(images))
	for i := range images {
		t := images[i].PushedAt
		keys[i] = key{t.Unix(), int32(t.Nanosecond()), int32(i)}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.nsec, b.nsec); c != 0 {
			return c
		}
		return strings.Compare(images[a.idx].Digest, images[b.idx].Digest)
	})
	order := make([]int32, len(keys))
	for i, k := range keys {
		order[i] = k.idx
	}
	return order
}

func TestSortFloor(t *testing.T) {
	t.Parallel()
	images := benchImages(2000, 3)
	order := sortFloor(images)
	if !slices.IsSortedFunc(order, func(a, b int32) int { return compareAge(&images[a], &images[b]) }) {
		t.Fatal("not oldest first")
	}
}
