package benchpair

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestMedian(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{1, 100, 2}, 2}, // one outlier round does not move it
	} {
		in := append([]float64(nil), tc.in...)
		assert.InDelta(t, tc.want, Median(tc.in), 1e-12, "%v", tc.in)
		assert.Equal(t, in, tc.in, "Median leaves its input alone")
	}
}

func TestRatioIsTheMedianOfTheRounds(t *testing.T) {
	t.Parallel()
	ms := func(d int, allocs uint64) Sample {
		return Sample{Elapsed: time.Duration(d) * time.Millisecond, Allocs: allocs}
	}
	var r Rounds
	r.Add(ms(110, 10), ms(100, 8)) // 1.1
	r.Add(ms(300, 10), ms(100, 8)) // 3.0: an outlier
	r.Add(ms(100, 13), ms(100, 8)) // 1.0
	assert.InDelta(t, 1.1, r.Ratio(), 1e-9)
	side, base := r.Medians()
	assert.Equal(t, 110*time.Millisecond, side)
	assert.Equal(t, 100*time.Millisecond, base)
	s, b := r.PerRound()
	assert.Equal(t, uint64(11), s.Allocs)
	assert.Equal(t, uint64(8), b.Allocs)
}

func TestRunAlternatesWhichSideGoesFirst(t *testing.T) {
	t.Parallel()
	var r Rounds
	var order []string
	for range 3 {
		r.Run(func() { order = append(order, "side") }, func() { order = append(order, "base") })
	}
	assert.Equal(t, []string{"side", "base", "base", "side", "side", "base"}, order)
	assert.Len(t, r.side, 3)
}

func TestMeasureCountsAllocations(t *testing.T) {
	t.Parallel()
	var keep [][]byte
	s := Measure(func() {
		for range 100 {
			keep = append(keep, make([]byte, 1024))
		}
	})
	assert.GreaterOrEqual(t, s.Allocs, uint64(100))
	assert.GreaterOrEqual(t, s.Bytes, uint64(100*1024))
	assert.Positive(t, s.Elapsed)
	assert.Len(t, keep, 100)
}
