package lifecycle

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// The machinery behind Simulate: the compiled policy, the matcher that tests
// a tag against every prefix and pattern of the policy in one walk, the
// signatures that group images selected by the same rules, and the sort of
// the images by push time.

// compareAge orders images oldest first: pushedAt ascending, then digest
// ascending (so the greater digest counts as newer).
func compareAge(a, b *Image) int {
	if c := a.PushedAt.Compare(b.PushedAt); c != 0 {
		return c
	}
	return strings.Compare(a.Digest, b.Digest)
}

// simulator is a compiled policy: its rules sorted by priority, the matcher
// for all their tag entries, and the signatures met so far.
type simulator struct {
	rules    []simRule
	hasCount bool
	now      time.Time
	// fastTimes: now and every push time are int64 nanoseconds since the
	// Unix epoch (years 1678 to 2262), so sort keys and age cut-offs are
	// plain integers; otherwise the keys are sorted with compareAge and
	// ages computed with time.Time.
	fastTimes bool

	match matcher
	sigs  []signature
	index sigIndex
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

// ageClock is the time an age rule counts from.
type ageClock uint8

const (
	sincePushed ageClock = iota
	sincePulled
	sinceArchived
)

type simRule struct {
	priority   int
	kind       selKind
	archive    bool     // selects archived images (else active ones)
	need       []uint64 // tagged: the entries every one of which some tag must match
	mode       ruleMode
	transition bool          // archives instead of expiring
	keep       int           // modeCount
	clock      ageClock      // modeAge
	maxAge     time.Duration // modeAge: acts when now - clock time > maxAge
	ageNever   bool          // modeAge with a countNumber beyond any time.Duration
	cutoff     int64         // modeAge, sincePushed, fastTimes: acts when pushedAt (ns) < cutoff
}

// signature is what the rules do with images whose tags match the same
// entries (and have the same tag status and storage class).
type signature struct {
	first  int32   // index of the first rule selecting it, -1 for none
	counts []int32 // imageCountMoreThan rules selecting it
}

// imageKey is one image as the decision pass needs it: its push time and its
// signature travel with the index, so the sorted pass reads no image.
type imageKey struct {
	t   int64 // push time, ns since the Unix epoch (fastTimes only)
	idx int32 // index in images
	sig int32 // index in simulator.sigs
}

// fires reports whether rule ri acts on the image of key, which it claimed
// and ranks rank among the images it counts (newest = 1).
func (sim *simulator) fires(ri int32, key *imageKey, images []Image, rank int) bool {
	r := &sim.rules[ri]
	switch r.mode {
	case modeCount:
		return rank > r.keep
	case modeAge:
		if r.clock == sincePushed && sim.fastTimes {
			return key.t < r.cutoff
		}
		return r.firesByAge(&images[key.idx], sim.now)
	}
	return false
}

func (r *simRule) firesByAge(im *Image, now time.Time) bool {
	if r.ageNever {
		return false
	}
	t := im.PushedAt
	switch r.clock {
	case sincePulled:
		if !im.LastPulledAt.IsZero() {
			t = im.LastPulledAt
		}
	case sinceArchived:
		if im.ArchivedAt.IsZero() {
			return false
		}
		t = im.ArchivedAt
	}
	return now.Sub(t) > r.maxAge
}

func compile(p *Policy, now time.Time) *simulator {
	sim := &simulator{now: now}
	b := newMatcherBuilder()
	order := make([]int, len(p.Rules))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(p.Rules[a].RulePriority, p.Rules[b].RulePriority) })
	var needIDs [][]int32
	for _, i := range order {
		r := p.Rules[i]
		s := r.Selection
		sr := simRule{priority: r.RulePriority, transition: r.Action.Type == ActionTransition}
		var need []int32
		switch storageClassOf(r) {
		case StorageClassStandard, StorageClassArchive:
			sr.archive = storageClassOf(r) == StorageClassArchive
			switch s.TagStatus {
			case TagStatusUntagged:
				sr.kind = selUntagged
			case TagStatusAny:
				sr.kind = selAny
			case TagStatusTagged:
				for _, e := range entries(s) {
					need = append(need, b.entryID(e))
				}
				if len(need) > 0 {
					sr.kind = selTagged
				}
			}
		}
		acts := r.Action.Type == ActionExpire || r.Action.Type == ActionTransition
		if acts && sr.kind != selNone {
			switch s.CountType {
			case CountTypeImageCountMoreThan:
				sr.mode, sr.keep = modeCount, s.CountNumber
				sim.hasCount = true
			case CountTypeSinceImagePushed, CountTypeSinceImagePulled, CountTypeSinceImageTransitioned:
				sr.mode = modeAge
				switch s.CountType {
				case CountTypeSinceImagePulled:
					sr.clock = sincePulled
				case CountTypeSinceImageTransitioned:
					sr.clock = sinceArchived
				}
				if s.CountNumber > int(math.MaxInt64/int64(24*time.Hour)) {
					sr.ageNever = true
				} else {
					sr.maxAge = time.Duration(s.CountNumber) * 24 * time.Hour
				}
				sr.cutoff = ageCutoff(now, sr.maxAge, sr.ageNever)
			}
		}
		sim.rules = append(sim.rules, sr)
		needIDs = append(needIDs, need)
	}
	sim.match = b.build()
	words := sim.match.words
	for i, need := range needIDs {
		if len(need) == 0 {
			continue
		}
		sim.rules[i].need = make([]uint64, words)
		for _, id := range need {
			sim.rules[i].need[id/64] |= 1 << (id % 64)
		}
	}
	sim.index = newSigIndex(words)
	return sim
}

// ageCutoff is the push time (ns) before which an age rule acts: now - maxAge,
// or math.MinInt64 (never) when that is not representable.
func ageCutoff(now time.Time, maxAge time.Duration, never bool) int64 {
	n, ok := unixNano(now)
	if never || !ok {
		return math.MinInt64
	}
	c := n - int64(maxAge)
	if (maxAge > 0 && c > n) || (maxAge < 0 && c < n) { // overflow
		if maxAge > 0 {
			return math.MinInt64
		}
		return math.MaxInt64
	}
	return c
}

// unixNano returns t in ns since the Unix epoch, and false when that does not
// fit an int64 (before 1678 or after 2262).
func unixNano(t time.Time) (int64, bool) {
	const lo, hi = math.MinInt64/int64(time.Second) + 1, math.MaxInt64/int64(time.Second) - 1
	s := t.Unix()
	if s < lo || s > hi {
		return 0, false
	}
	return s*1e9 + int64(t.Nanosecond()), true
}

// imageKeys computes every image's key: push time and signature.
func (sim *simulator) imageKeys(images []Image) []imageKey {
	keys := make([]imageKey, len(images))
	matched := make([]uint64, sim.match.words)
	_, fast := unixNano(sim.now)
	for i := range images {
		im := &images[i]
		clear(matched)
		for _, t := range im.Tags {
			sim.match.match(t, matched)
		}
		var flags uint8
		if len(im.Tags) > 0 {
			flags |= 1
		}
		if isArchived(im) {
			flags |= 2
		}
		sig, ok := sim.index.find(flags, matched)
		if !ok {
			sig = int32(len(sim.sigs))
			sim.sigs = append(sim.sigs, sim.signature(flags&1 != 0, flags&2 != 0, matched))
			sim.index.add(flags, matched, sig)
		}
		t, ok := unixNano(im.PushedAt)
		fast = fast && ok
		keys[i] = imageKey{t: t, idx: int32(i), sig: sig}
	}
	sim.fastTimes = fast
	return keys
}

// signature computes which rules select an image with these matched entries.
func (sim *simulator) signature(tagged, archived bool, matched []uint64) signature {
	sig := signature{first: -1}
	for i := range sim.rules {
		r := &sim.rules[i]
		if r.archive != archived {
			continue
		}
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

// sortKeys orders keys oldest first, as compareAge orders their images (ties
// in push time and digest by index). With fastTimes it is a radix sort on
// the push time followed by a digest sort of each run of equal times.
func sortKeys(keys []imageKey, images []Image, fastTimes bool) {
	byDigest := func(a, b imageKey) int {
		if c := strings.Compare(images[a.idx].Digest, images[b.idx].Digest); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	}
	if !fastTimes {
		slices.SortFunc(keys, func(a, b imageKey) int {
			if c := images[a.idx].PushedAt.Compare(images[b.idx].PushedAt); c != 0 {
				return c
			}
			return byDigest(a, b)
		})
		return
	}
	radixSortByTime(keys)
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j].t == keys[i].t {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(keys[i:j], byDigest)
		}
		i = j
	}
}

// radixSortByTime sorts keys by t, stably: least significant digit first,
// 11 bits per pass, over the bits in which the times differ.
func radixSortByTime(keys []imageKey) {
	if len(keys) < 2 {
		return
	}
	lo, hi := keys[0].t, keys[0].t
	for _, k := range keys {
		lo, hi = min(lo, k.t), max(hi, k.t)
	}
	width := bits.Len64(uint64(hi) - uint64(lo))
	const digit = 11
	src, dst := keys, make([]imageKey, len(keys))
	var count [1 << digit]int32
	for shift := 0; shift < width; shift += digit {
		clear(count[:])
		for i := range src {
			count[(uint64(src[i].t)-uint64(lo))>>shift&(1<<digit-1)]++
		}
		var sum int32
		for d, c := range count {
			count[d] = sum
			sum += c
		}
		for i := range src {
			d := (uint64(src[i].t) - uint64(lo)) >> shift & (1<<digit - 1)
			dst[count[d]] = src[i]
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

// sigIndex finds the signature of a set of matched entries. With at most 64
// entries (one word) it is an open-addressing table; otherwise a map.
type sigIndex struct {
	words int
	slots []sigSlot // len is a power of two
	used  int
	multi map[string]int32
	key   []byte
}

type sigSlot struct {
	bits  uint64
	flags uint8 // bit 0: tagged, bit 1: archived; 0xff: empty slot
	id    int32
}

func newSigIndex(words int) sigIndex {
	x := sigIndex{words: words}
	if words <= 1 {
		x.slots = make([]sigSlot, 64)
		for i := range x.slots {
			x.slots[i].flags = 0xff
		}
		return x
	}
	x.multi = map[string]int32{}
	x.key = make([]byte, 1+8*words)
	return x
}

func (x *sigIndex) slot(flags uint8, b uint64) int {
	h := (b ^ uint64(flags)<<61) * 0x9e3779b97f4a7c15
	return int(h >> (64 - bits.Len(uint(len(x.slots)-1))))
}

func (x *sigIndex) find(flags uint8, matched []uint64) (int32, bool) {
	if x.multi != nil {
		id, ok := x.multi[string(x.encode(flags, matched))]
		return id, ok
	}
	var b uint64
	if len(matched) > 0 {
		b = matched[0]
	}
	mask := len(x.slots) - 1
	for i := x.slot(flags, b); ; i = (i + 1) & mask {
		s := &x.slots[i]
		if s.flags == 0xff {
			return 0, false
		}
		if s.flags == flags && s.bits == b {
			return s.id, true
		}
	}
}

func (x *sigIndex) add(flags uint8, matched []uint64, id int32) {
	if x.multi != nil {
		x.multi[string(x.encode(flags, matched))] = id
		return
	}
	if 2*(x.used+1) > len(x.slots) {
		old := x.slots
		x.slots = make([]sigSlot, 2*len(old))
		for i := range x.slots {
			x.slots[i].flags = 0xff
		}
		x.used = 0
		for _, s := range old {
			if s.flags != 0xff {
				x.insert(s)
			}
		}
	}
	var b uint64
	if len(matched) > 0 {
		b = matched[0]
	}
	x.insert(sigSlot{bits: b, flags: flags, id: id})
}

func (x *sigIndex) insert(s sigSlot) {
	mask := len(x.slots) - 1
	i := x.slot(s.flags, s.bits)
	for x.slots[i].flags != 0xff {
		i = (i + 1) & mask
	}
	x.slots[i] = s
	x.used++
}

func (x *sigIndex) encode(flags uint8, matched []uint64) []byte {
	x.key[0] = flags
	for w, v := range matched {
		for b := range 8 {
			x.key[1+8*w+b] = byte(v >> (8 * b))
		}
	}
	return x.key
}

// matcher sets, for one tag, the bit of every tag entry of the policy the
// tag matches. Entries that are "starts with a literal" (prefixes, "lit*"
// patterns) or exact patterns sit on the nodes of a forward trie of those
// literals; "ends with a literal" patterns ("*lit") on a trie of reversed
// literals. A tag walks each trie once, from its start and from its end.
// Other patterns are globs tried only when the trie walk reaches their
// anchored first segment (or last, when the first is empty). A glob anchored
// at neither end ("*a*b*") sits on a third trie of its first segment, walked
// from every position of the tag, so it is tried only where that segment
// occurs.
type matcher struct {
	words         int
	fwd, rev, mid trie
	masks         []uint64 // the entry bitsets of trie nodes, words each
	globs         []glob
}

type trie struct {
	// symbol maps a byte to its column in child, plus one; 0 means the
	// byte occurs in no literal, so no walk continues through it.
	symbol [256]uint16
	width  int
	child  []int32 // node*width + column: the child node; 0 (the root) = none
	nodes  []trieNode
	first  [256]int32 // the root's child for a byte, 0 = none
}

type trieNode struct {
	prefix int32   // offset in masks of the entries whose literal ends here, -1 if none
	exact  int32   // offset in masks of the exact patterns that end here, -1 if none
	globs  []int32 // globs whose anchored segment ends here
}

type glob struct {
	id       int32
	segments []string // split on '*'; first is anchored at the start, last at the end
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

// match sets in bits the entries tag t matches.
func (m *matcher) match(t string, bits []uint64) {
	if m.fwd.width > 0 || m.fwd.nodes[0].prefix >= 0 || m.fwd.nodes[0].exact >= 0 {
		m.walk(&m.fwd, t, 0, 0, false, bits)
	}
	if m.rev.width > 0 {
		m.walk(&m.rev, t, 0, 0, true, bits)
	}
	if m.mid.width > 0 {
		for k := range len(t) {
			if n := m.mid.first[t[k]]; n != 0 {
				m.walk(&m.mid, t, k+1, n, false, bits)
			}
		}
	}
}

// walk follows t through the trie from node n, which byte k of t reached
// (counting from the end, backwards, for the reversed trie), and collects the
// entries of every node it reaches. The globs on a node are tried on the
// whole tag.
func (m *matcher) walk(tr *trie, t string, k int, n int32, reverse bool, bits []uint64) {
	for ; ; k++ {
		node := &tr.nodes[n]
		if node.prefix >= 0 {
			m.or(bits, node.prefix)
		}
		if node.exact >= 0 && k == len(t) {
			m.or(bits, node.exact)
		}
		for _, g := range node.globs {
			gl := &m.globs[g]
			if bit := uint64(1) << (gl.id % 64); bits[gl.id/64]&bit == 0 && gl.match(t) {
				bits[gl.id/64] |= bit
			}
		}
		if k == len(t) {
			return
		}
		c := t[k]
		if reverse {
			c = t[len(t)-1-k]
		}
		col := tr.symbol[c]
		if col == 0 {
			return
		}
		if n = tr.child[int(n)*tr.width+int(col)-1]; n == 0 {
			return
		}
	}
}

func (m *matcher) or(bits []uint64, off int32) {
	if m.words == 1 {
		bits[0] |= m.masks[off]
		return
	}
	for w := range bits {
		bits[w] |= m.masks[int(off)+w]
	}
}

// matcherBuilder collects the distinct entries of a policy, then builds the
// matcher.
type matcherBuilder struct {
	ids     map[entry]int32
	entries []entry
}

func newMatcherBuilder() *matcherBuilder { return &matcherBuilder{ids: map[entry]int32{}} }

func (b *matcherBuilder) entryID(e entry) int32 {
	if id, ok := b.ids[e]; ok {
		return id
	}
	id := int32(len(b.entries))
	b.ids[e] = id
	b.entries = append(b.entries, e)
	return id
}

// A trie is built from its literals in two passes: the bytes they use make
// the columns, then the literals are inserted.
type trieLiteral struct {
	s      string
	attach func(n *trieNode)
}

func (b *matcherBuilder) build() matcher {
	m := matcher{words: max(1, (len(b.entries)+63)/64)}
	var fwd, rev, mid []trieLiteral
	addMask := func(off *int32, id int32) {
		if *off < 0 {
			*off = int32(len(m.masks))
			m.masks = append(m.masks, make([]uint64, m.words)...)
		}
		m.masks[int(*off)+int(id)/64] |= 1 << (id % 64)
	}
	for id32, e := range b.entries {
		id := int32(id32)
		if !e.pattern {
			fwd = append(fwd, trieLiteral{e.s, func(n *trieNode) { addMask(&n.prefix, id) }})
			continue
		}
		segs := strings.Split(e.s, "*")
		switch {
		case len(segs) == 1: // no '*': the whole tag
			fwd = append(fwd, trieLiteral{e.s, func(n *trieNode) { addMask(&n.exact, id) }})
		case allEmpty(segs[1:]): // "lit*", "*": starts with lit
			fwd = append(fwd, trieLiteral{segs[0], func(n *trieNode) { addMask(&n.prefix, id) }})
		case len(segs) == 2 && segs[0] == "": // "*lit": ends with lit
			rev = append(rev, trieLiteral{reverse(segs[1]), func(n *trieNode) { addMask(&n.prefix, id) }})
		default:
			g := int32(len(m.globs))
			m.globs = append(m.globs, glob{id: id, segments: segs})
			attach := func(n *trieNode) { n.globs = append(n.globs, g) }
			switch first, last := segs[0], segs[len(segs)-1]; {
			case first != "":
				fwd = append(fwd, trieLiteral{first, attach})
			case last != "":
				rev = append(rev, trieLiteral{reverse(last), attach})
			default: // "*a*b*": the first non-empty segment, anywhere
				k := slices.IndexFunc(segs, func(x string) bool { return x != "" })
				mid = append(mid, trieLiteral{segs[k], attach})
			}
		}
	}
	m.fwd, m.rev, m.mid = buildTrie(fwd), buildTrie(rev), buildTrie(mid)
	return m
}

func buildTrie(lits []trieLiteral) trie {
	var tr trie
	for _, l := range lits {
		for i := 0; i < len(l.s); i++ {
			if tr.symbol[l.s[i]] == 0 {
				tr.width++
				tr.symbol[l.s[i]] = uint16(tr.width)
			}
		}
	}
	newNode := func() int32 {
		tr.nodes = append(tr.nodes, trieNode{prefix: -1, exact: -1})
		tr.child = append(tr.child, make([]int32, tr.width)...)
		return int32(len(tr.nodes) - 1)
	}
	newNode() // the root
	for _, l := range lits {
		n := int32(0)
		for i := 0; i < len(l.s); i++ {
			c := &tr.child[int(n)*tr.width+int(tr.symbol[l.s[i]])-1]
			if *c == 0 {
				next := newNode() // may move tr.child
				c = &tr.child[int(n)*tr.width+int(tr.symbol[l.s[i]])-1]
				*c = next
			}
			n = *c
		}
		l.attach(&tr.nodes[n])
	}
	for c, col := range tr.symbol {
		if col != 0 {
			tr.first[c] = tr.child[col-1]
		}
	}
	return tr
}

func reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

func allEmpty(xs []string) bool {
	for _, x := range xs {
		if x != "" {
			return false
		}
	}
	return true
}
