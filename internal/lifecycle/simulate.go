package lifecycle

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// Image is one image of a repository, as the simulator sees it. Digests are
// expected to be unique (they are in ECR); duplicates are simulated as
// separate images.
type Image struct {
	Digest   string
	Tags     []string
	PushedAt time.Time
}

// Expiry is one image a rule expires.
type Expiry struct {
	Digest       string
	RulePriority int
}

// Result is what a policy would do. Expired is oldest first (pushedAt
// ascending, ties by digest ascending); Retained lists the other digests in
// input order.
type Result struct {
	Expired  []Expiry
	Retained []string
}

// Simulate applies the documented evaluation rules (aws-ecr-constraints.md
// §4.1, algorithm §4.2) to images at time now, for a policy that passes
// Validate. Other policies never panic but give unspecified results.
//
//   - Rules are taken in ascending rulePriority (ties in input order).
//   - Tag selection: untagged = no tags; any = every image; tagged with
//     prefixes = every prefix is a prefix of some tag (HasPrefix); tagged with
//     patterns = every pattern matches some tag, '*' standing for zero or more
//     characters, anchored at both ends, case-sensitive. (Case sensitivity and
//     exact matching without '*' are UNVERIFIED, §4.3.)
//   - An image is claimed by the first rule whose tag selection matches it;
//     only that rule can expire it (rules 3 and 4), even when it keeps it.
//   - Every rule still counts the images claimed earlier (rule 5):
//     imageCountMoreThan N ranks its whole selection newest first and expires,
//     among the images it claimed, those ranked after the first N.
//   - Newest first means pushedAt descending; equal pushedAt are ranked by
//     digest, the greater digest counting as newer (an UNVERIFIED tie rule).
//   - sinceImagePushed N expires an image when now - pushedAt > N×24h
//     (strictly greater, whole 24-hour days; UNVERIFIED boundary, §4.3).
//
// Out of scope: storage classes and transitions. Every image is taken to be
// in the standard class, so rules selecting the archive class select nothing;
// a transition rule claims the images its tags select but its archiving is
// not reported; sinceImagePulled (transition only) and sinceImageTransitioned
// (archive only) never expire. Manifest lists and referrers (rules 1 and 8)
// are not modelled either.
//
// Cost: one sort of the images by push time (skipped when no rule counts),
// one pass over each image's tags against all prefixes and patterns of the
// policy at once (prefixes through a map per distinct length, patterns
// precompiled), and one pass over the images per signature of matched
// entries; no per-rule string work.
func Simulate(p *Policy, images []Image, now time.Time) Result {
	var res Result
	if p == nil || len(p.Rules) == 0 || len(images) == 0 {
		res.Retained = make([]string, len(images))
		for i, im := range images {
			res.Retained[i] = im.Digest
		}
		return res
	}
	sim := compile(p, now)

	// Signature of each image: whether it has tags and which entries its
	// tags match. Images with the same signature are selected by the same
	// rules.
	words := (sim.nEntries + 63) / 64
	sigOf := make([]int32, len(images))
	sigIndex := map[string]int32{}
	key := make([]byte, 1+8*words)
	bitset := make([]uint64, words)
	var sigs []signature
	for i := range images {
		clear(bitset)
		tags := images[i].Tags
		for _, t := range tags {
			sim.match(t, bitset)
		}
		key[0] = 0
		if len(tags) > 0 {
			key[0] = 1
		}
		for w, v := range bitset {
			for b := range 8 {
				key[1+8*w+b] = byte(v >> (8 * b))
			}
		}
		id, ok := sigIndex[string(key)]
		if !ok {
			id = int32(len(sigs))
			sigIndex[string(key)] = id
			sigs = append(sigs, sim.signature(len(tags) > 0, bitset))
		}
		sigOf[i] = id
	}

	expiredBy := make([]int32, len(images)) // rule index + 1, 0 = kept
	if sim.hasCount {
		order := sortByPushTime(images)
		counted := make([]int, len(sim.rules))
		for k := len(order) - 1; k >= 0; k-- { // newest first
			i := order[k]
			s := &sigs[sigOf[i]]
			for _, r := range s.counts {
				counted[r]++
			}
			if s.first >= 0 {
				r := &sim.rules[s.first]
				if r.expires(images[i].PushedAt, counted[s.first], now) {
					expiredBy[i] = s.first + 1
				}
			}
		}
		for _, i := range order {
			if e := expiredBy[i]; e > 0 {
				res.Expired = append(res.Expired, Expiry{Digest: images[i].Digest, RulePriority: sim.rules[e-1].priority})
			}
		}
	} else {
		var expired []int32
		for i := range images {
			if f := sigs[sigOf[i]].first; f >= 0 && sim.rules[f].expires(images[i].PushedAt, 0, now) {
				expiredBy[i] = f + 1
				expired = append(expired, int32(i))
			}
		}
		slices.SortFunc(expired, func(a, b int32) int { return compareAge(&images[a], &images[b]) })
		for _, i := range expired {
			res.Expired = append(res.Expired, Expiry{Digest: images[i].Digest, RulePriority: sim.rules[expiredBy[i]-1].priority})
		}
	}
	res.Retained = make([]string, 0, len(images)-len(res.Expired))
	for i, im := range images {
		if expiredBy[i] == 0 {
			res.Retained = append(res.Retained, im.Digest)
		}
	}
	return res
}

// compareAge orders images oldest first: pushedAt ascending, then digest
// ascending (so the greater digest counts as newer).
func compareAge(a, b *Image) int {
	if c := a.PushedAt.Compare(b.PushedAt); c != 0 {
		return c
	}
	return strings.Compare(a.Digest, b.Digest)
}

// sortByPushTime returns the indexes of images, oldest first (compareAge).
func sortByPushTime(images []Image) []int32 {
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

type selKind uint8

const (
	selNone selKind = iota
	selUntagged
	selAny
	selTagged
)

type ruleMode uint8

const (
	modeNever ruleMode = iota
	modeCount
	modeAge
)

type simRule struct {
	priority int
	kind     selKind
	need     []uint64 // tagged: the entries every one of which some tag must match
	mode     ruleMode
	keep     int           // modeCount
	maxAge   time.Duration // modeAge: expired when now-pushedAt > maxAge
	ageNever bool          // modeAge with a countNumber beyond any time.Duration
}

func (r *simRule) expires(pushed time.Time, rank int, now time.Time) bool {
	switch r.mode {
	case modeCount:
		return rank > r.keep
	case modeAge:
		return !r.ageNever && now.Sub(pushed) > r.maxAge
	}
	return false
}

type signature struct {
	first  int32   // index of the first rule selecting it, -1 for none
	counts []int32 // imageCountMoreThan rules selecting it
}

// simulator holds the compiled policy: rules sorted by priority and one
// matcher for all tag entries of all rules.
type simulator struct {
	rules    []simRule
	hasCount bool
	nEntries int

	prefixes   map[string][]int32 // literal prefix -> entries it satisfies (prefix entries and "lit*" patterns)
	prefixLens []int
	exact      map[string][]int32 // patterns without '*'
	suffixes   map[string][]int32 // "*lit" patterns
	suffixLens []int

	// Every other pattern, indexed by its anchored literal start (or, when
	// it starts with '*', its anchored literal end) so a tag is only tried
	// against the globs that can match it.
	globs          []glob
	globPrefix     map[string][]int32 // first segment -> globs
	globPrefixLens []int
	globSuffix     map[string][]int32 // last segment (first empty) -> globs
	globSuffixLens []int
	globFloating   []int32 // first and last segments empty ("*a*b*")
}

type glob struct {
	id       int32
	segments []string // split on '*'; first is anchored at the start, last at the end
	bytes    byteSet  // every byte of the segments: a tag lacking one cannot match
}

// byteSet is a set of byte values, a cheap filter before substring search.
type byteSet [4]uint64

func (s *byteSet) addString(x string) {
	for i := 0; i < len(x); i++ {
		s[x[i]/64] |= 1 << (x[i] % 64)
	}
}

func (s *byteSet) contains(o *byteSet) bool {
	return o[0]&^s[0] == 0 && o[1]&^s[1] == 0 && o[2]&^s[2] == 0 && o[3]&^s[3] == 0
}

func (g *glob) match(t string) bool {
	segs := g.segments
	first, last := segs[0], segs[len(segs)-1]
	if len(t) < len(first)+len(last) || !strings.HasPrefix(t, first) || !strings.HasSuffix(t, last) {
		return false
	}
	mid := t[len(first) : len(t)-len(last)]
	for _, s := range segs[1 : len(segs)-1] {
		k := strings.Index(mid, s)
		if k < 0 {
			return false
		}
		mid = mid[k+len(s):]
	}
	return true
}

func compile(p *Policy, now time.Time) *simulator {
	sim := &simulator{
		prefixes:   map[string][]int32{},
		exact:      map[string][]int32{},
		suffixes:   map[string][]int32{},
		globPrefix: map[string][]int32{},
		globSuffix: map[string][]int32{},
	}
	ids := map[entry]int32{}
	entryID := func(e entry) int32 {
		if id, ok := ids[e]; ok {
			return id
		}
		id := int32(sim.nEntries)
		sim.nEntries++
		ids[e] = id
		if !e.pattern {
			sim.prefixes[e.s] = append(sim.prefixes[e.s], id)
			return id
		}
		segs := strings.Split(e.s, "*")
		switch {
		case len(segs) == 1:
			sim.exact[e.s] = append(sim.exact[e.s], id)
		case len(segs) == 2 && segs[0] == "":
			sim.suffixes[segs[1]] = append(sim.suffixes[segs[1]], id)
		case allEmpty(segs[1:]):
			sim.prefixes[segs[0]] = append(sim.prefixes[segs[0]], id)
		default:
			g := int32(len(sim.globs))
			gl := glob{id: id, segments: segs}
			for _, seg := range segs {
				gl.bytes.addString(seg)
			}
			sim.globs = append(sim.globs, gl)
			switch first, last := segs[0], segs[len(segs)-1]; {
			case first != "":
				sim.globPrefix[first] = append(sim.globPrefix[first], g)
			case last != "":
				sim.globSuffix[last] = append(sim.globSuffix[last], g)
			default:
				sim.globFloating = append(sim.globFloating, g)
			}
		}
		return id
	}

	order := make([]int, len(p.Rules))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(p.Rules[a].RulePriority, p.Rules[b].RulePriority) })
	var needIDs [][]int32
	for _, i := range order {
		r := p.Rules[i]
		s := r.Selection
		sr := simRule{priority: r.RulePriority}
		var need []int32
		if storageClassOf(r) == StorageClassStandard {
			switch s.TagStatus {
			case TagStatusUntagged:
				sr.kind = selUntagged
			case TagStatusAny:
				sr.kind = selAny
			case TagStatusTagged:
				for _, e := range entries(s) {
					need = append(need, entryID(e))
				}
				if len(need) > 0 {
					sr.kind = selTagged
				}
			}
		}
		if r.Action.Type == ActionExpire && sr.kind != selNone {
			switch s.CountType {
			case CountTypeImageCountMoreThan:
				sr.mode, sr.keep = modeCount, s.CountNumber
				sim.hasCount = true
			case CountTypeSinceImagePushed:
				sr.mode = modeAge
				if s.CountNumber > int(math.MaxInt64/int64(24*time.Hour)) {
					sr.ageNever = true
				} else {
					sr.maxAge = time.Duration(s.CountNumber) * 24 * time.Hour
				}
			}
		}
		sim.rules = append(sim.rules, sr)
		needIDs = append(needIDs, need)
	}
	words := (sim.nEntries + 63) / 64
	for i, need := range needIDs {
		if len(need) == 0 {
			continue
		}
		sim.rules[i].need = make([]uint64, words)
		for _, id := range need {
			sim.rules[i].need[id/64] |= 1 << (id % 64)
		}
	}
	sim.prefixLens = lengths(sim.prefixes)
	sim.suffixLens = lengths(sim.suffixes)
	sim.globPrefixLens = lengths(sim.globPrefix)
	sim.globSuffixLens = lengths(sim.globSuffix)
	return sim
}

func allEmpty(xs []string) bool {
	for _, x := range xs {
		if x != "" {
			return false
		}
	}
	return true
}

func lengths(m map[string][]int32) []int {
	seen := map[int]bool{}
	var out []int
	for k := range m {
		if !seen[len(k)] {
			seen[len(k)] = true
			out = append(out, len(k))
		}
	}
	sort.Ints(out)
	return out
}

// match sets in bitset the entries tag t matches.
func (sim *simulator) match(t string, bitset []uint64) {
	set := func(ids []int32) {
		for _, id := range ids {
			bitset[id/64] |= 1 << (id % 64)
		}
	}
	for _, n := range sim.prefixLens {
		if n > len(t) {
			break
		}
		if ids, ok := sim.prefixes[t[:n]]; ok {
			set(ids)
		}
	}
	if len(sim.exact) > 0 {
		if ids, ok := sim.exact[t]; ok {
			set(ids)
		}
	}
	for _, n := range sim.suffixLens {
		if n > len(t) {
			break
		}
		if ids, ok := sim.suffixes[t[len(t)-n:]]; ok {
			set(ids)
		}
	}
	try := func(gs []int32) {
		for _, k := range gs {
			if g := &sim.globs[k]; g.match(t) {
				bitset[g.id/64] |= 1 << (g.id % 64)
			}
		}
	}
	for _, n := range sim.globPrefixLens {
		if n > len(t) {
			break
		}
		if gs, ok := sim.globPrefix[t[:n]]; ok {
			try(gs)
		}
	}
	for _, n := range sim.globSuffixLens {
		if n > len(t) {
			break
		}
		if gs, ok := sim.globSuffix[t[len(t)-n:]]; ok {
			try(gs)
		}
	}
	if len(sim.globFloating) > 0 {
		var have byteSet
		have.addString(t)
		for _, k := range sim.globFloating {
			if g := &sim.globs[k]; have.contains(&g.bytes) && g.match(t) {
				bitset[g.id/64] |= 1 << (g.id % 64)
			}
		}
	}
}

// signature computes which rules select an image with these matched entries.
func (sim *simulator) signature(tagged bool, matched []uint64) signature {
	sig := signature{first: -1}
	for i := range sim.rules {
		r := &sim.rules[i]
		var selected bool
		switch r.kind {
		case selUntagged:
			selected = !tagged
		case selAny:
			selected = true
		case selTagged:
			selected = tagged && covered(r.need, matched)
		}
		if !selected {
			continue
		}
		if sig.first < 0 {
			sig.first = int32(i)
		}
		if r.mode == modeCount {
			sig.counts = append(sig.counts, int32(i))
		}
	}
	return sig
}

func covered(need, have []uint64) bool {
	for w, n := range need {
		if n&^have[w] != 0 {
			return false
		}
	}
	return true
}
