// Package benchpair measures code side by side with its baseline, as the
// benchmark pairs of `make bench` do: both run in the same process, in
// interleaved rounds that alternate which side goes first, each from a clean
// heap, and the ratio reported is the median of the rounds' ratios. One
// round on a busy two-core machine can be off by a fifth either way; the
// median of ten is stable to a few percent.
package benchpair

import (
	"runtime"
	"slices"
	"testing"
	"time"
)

// Sample is one run of one side: how long it took and what it allocated.
type Sample struct {
	Elapsed       time.Duration
	Allocs, Bytes uint64
}

// Measure runs f from a clean heap and samples it.
func Measure(f func()) Sample {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return Sample{Elapsed: elapsed, Allocs: after.Mallocs - before.Mallocs, Bytes: after.TotalAlloc - before.TotalAlloc}
}

// Rounds are the samples of a measured side and its baseline, a pair per
// round.
type Rounds struct {
	side, base []Sample
}

// Run runs one round: side and baseline, in the order given by the round's
// number so that neither always inherits the other's caches and garbage.
func (r *Rounds) Run(side, baseline func()) {
	if len(r.side)%2 == 0 {
		s := Measure(side)
		r.Add(s, Measure(baseline))
		return
	}
	b := Measure(baseline)
	r.Add(Measure(side), b)
}

// Add records a round measured elsewhere.
func (r *Rounds) Add(side, baseline Sample) {
	r.side, r.base = append(r.side, side), append(r.base, baseline)
}

// Ratio is the median of the rounds' side/baseline time ratios (0 without
// rounds).
func (r *Rounds) Ratio() float64 {
	ratios := make([]float64, len(r.side))
	for i := range r.side {
		ratios[i] = float64(r.side[i].Elapsed) / float64(r.base[i].Elapsed)
	}
	return Median(ratios)
}

// Medians are the median times of each side.
func (r *Rounds) Medians() (side, baseline time.Duration) {
	return Median(elapsed(r.side)), Median(elapsed(r.base))
}

// PerRound are each side's allocations and bytes, averaged over the rounds.
func (r *Rounds) PerRound() (side, baseline Sample) {
	mean := func(ss []Sample) Sample {
		var m Sample
		for _, s := range ss {
			m.Allocs, m.Bytes = m.Allocs+s.Allocs, m.Bytes+s.Bytes
		}
		if n := uint64(len(ss)); n > 0 {
			m.Allocs, m.Bytes = m.Allocs/n, m.Bytes/n
		}
		return m
	}
	side, baseline = mean(r.side), mean(r.base)
	side.Elapsed, baseline.Elapsed = r.Medians()
	return side, baseline
}

// Report reports the median ratio under unit (e.g. "x-direct") and the
// median time of each side in milliseconds.
func (r *Rounds) Report(b *testing.B, unit string) {
	b.ReportMetric(r.Ratio(), unit)
	side, base := r.Medians()
	b.ReportMetric(float64(side.Microseconds())/1e3, "ms")
	b.ReportMetric(float64(base.Microseconds())/1e3, "ms-baseline")
}

func elapsed(ss []Sample) []time.Duration {
	out := make([]time.Duration, len(ss))
	for i, s := range ss {
		out[i] = s.Elapsed
	}
	return out
}

// Median is the middle value of xs (the mean of the two middle ones for an
// even count; 0 for none). xs is not modified.
func Median[T int64 | float64 | time.Duration](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}
