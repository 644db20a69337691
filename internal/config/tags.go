package config

import (
	"maps"
	"slices"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Tags are one resource's tags after merging registry < defaults < repository.
type Tags struct {
	// Items are the merged tags when every layer's keys are known; a value
	// may still be deferred (it is passed on as the output it is).
	Items map[string]Text
	// refs are every deferred value of the three layers.
	refs []Ref
	// keysDeferred: a layer is a whole-map output, so the merge waits for refs.
	keysDeferred bool
}

// Deferred reports whether the merged keys wait for outputs (Refs).
func (t Tags) Deferred() bool { return t.keysDeferred }

// Refs are every deferred value of the layers.
func (t Tags) Refs() []Ref { return t.refs }

// tagLayer is one source of tags and where it was written.
type tagLayer struct {
	path string
	tags *Map
}

// checkTagLayer checks the keys and the known values of one layer.
func checkTagLayer(path string, m *Map) validate.Problems {
	if m == nil || m.Ref != 0 {
		return nil
	}
	var ps validate.Problems
	for _, k := range slices.Sorted(maps.Keys(m.Items)) {
		ps.Add(validate.TagKey(path, k)...)
		if v := m.Items[k]; v.IsKnown() {
			ps.Add(validate.TagValue(path, k, v.Value)...)
		}
	}
	return ps
}

// resolveTags merges the three layers, the most specific winning, and checks
// each layer and the merged count.
func resolveTags(path string, registry, defaults, own *Map) (Tags, validate.Problems) {
	layers := []tagLayer{{"tags", registry}, {"defaults.tags", defaults}, {validate.Field(path, "tags"), own}}
	var ps validate.Problems
	var t Tags
	for _, l := range layers {
		ps.Add(checkTagLayer(l.path, l.tags)...)
		t.refs = l.tags.refs(t.refs)
		t.keysDeferred = t.keysDeferred || (l.tags != nil && l.tags.Ref != 0)
	}
	t.refs = sortedRefs(t.refs)
	if t.keysDeferred {
		return t, ps
	}
	for _, l := range layers {
		if l.tags == nil {
			continue
		}
		if t.Items == nil {
			t.Items = map[string]Text{}
		}
		maps.Copy(t.Items, l.tags.Items)
	}
	ps.Add(validate.TagCount(validate.Field(path, "tags"), len(t.Items))...)
	return t, ps
}
