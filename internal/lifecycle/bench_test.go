package lifecycle

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"time"
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
	p := benchPolicy()
	if ps := Validate("bench", p); len(ps) > 0 {
		b.Fatal(dump(ps))
	}
	images := benchImages(100_000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res := Simulate(p, images, benchNow)
		if len(res.Expired)+len(res.Retained) != len(images) {
			b.Fatal("lost images")
		}
	}
}

// The floor: only sorting the same 100,000 images by push time.
func BenchmarkSortImagesByPushTime100k(b *testing.B) {
	images := benchImages(100_000, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		order := sortByPushTime(images)
		if len(order) != len(images) {
			b.Fatal("lost images")
		}
	}
}

func TestSortByPushTime(t *testing.T) {
	images := benchImages(2000, 3)
	order := sortByPushTime(images)
	if !slices.IsSortedFunc(order, func(a, b int32) int { return compareAge(&images[a], &images[b]) }) {
		t.Fatal("not oldest first")
	}
}

// Guards the benchmark's claim in -short runs too: 100k images x 50 rules
// well under a second (a generous bound for slow CI machines).
func TestSimulate100kIsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 100,000 images")
	}
	p, images := benchPolicy(), benchImages(100_000, 1)
	start := time.Now()
	Simulate(p, images, benchNow)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Simulate took %v for 100,000 images and 50 rules", d)
	}
}
