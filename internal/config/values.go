package config

import (
	"maps"
	"slices"
)

// Ref identifies an argument value that is an output of another resource (a
// role ARN created in the same program, a secret, a stack reference). The
// provider numbers its outputs from 1; 0 means "known now". The resolver never
// sees the output itself, only that its value is not known yet.
type Ref int

// Text is a string argument that may be deferred.
type Text struct {
	Value string
	Ref   Ref // non-zero: an output not resolved yet, Value is meaningless
}

// Known is a Text whose value is known now.
func Known(s string) Text { return Text{Value: s} }

// Deferred is a Text whose value arrives later, as output r.
func Deferred(r Ref) Text { return Text{Ref: r} }

// IsKnown reports whether the value is known now.
func (t Text) IsKnown() bool { return t.Ref == 0 }

// List is a list of strings; the list as a whole, or any item, may be deferred.
type List struct {
	Items []Text
	Ref   Ref // non-zero: the whole list is an output, its length is unknown
	// FromOutput: the whole list was an output and has resolved. Its
	// resources were planned before its length was known.
	FromOutput bool
}

// KnownList is a list of known strings.
func KnownList(items ...string) *List {
	l := &List{Items: make([]Text, len(items))}
	for i, s := range items {
		l.Items[i] = Known(s)
	}
	return l
}

// strings returns the items when every one of them is known.
func (l *List) strings() ([]string, bool) {
	if l == nil {
		return nil, true
	}
	if l.Ref != 0 {
		return nil, false
	}
	out := make([]string, len(l.Items))
	for i, t := range l.Items {
		if !t.IsKnown() {
			return nil, false
		}
		out[i] = t.Value
	}
	return out, true
}

// refs appends the refs the list waits for.
func (l *List) refs(out []Ref) []Ref {
	if l == nil {
		return out
	}
	if l.Ref != 0 {
		return append(out, l.Ref)
	}
	for _, t := range l.Items {
		if t.Ref != 0 {
			out = append(out, t.Ref)
		}
	}
	return out
}

// Map is a map of strings (tags); the map as a whole, or any value, may be
// deferred. Keys of a map that is not deferred are always known.
type Map struct {
	Items map[string]Text
	Ref   Ref // non-zero: the whole map is an output, its keys are unknown
}

// KnownMap is a map of known strings.
func KnownMap(m map[string]string) *Map {
	out := &Map{Items: make(map[string]Text, len(m))}
	for k, v := range m {
		out.Items[k] = Known(v)
	}
	return out
}

func (m *Map) refs(out []Ref) []Ref {
	if m == nil {
		return out
	}
	if m.Ref != 0 {
		return append(out, m.Ref)
	}
	for _, k := range slices.Sorted(maps.Keys(m.Items)) {
		if r := m.Items[k].Ref; r != 0 {
			out = append(out, r)
		}
	}
	return out
}

// Values are the resolved values of outputs: a string for a Text, a []string
// for a whole List, a map[string]string for a whole Map.
type Values map[Ref]any

func (v Values) text(t Text) Text {
	if s, ok := v[t.Ref].(string); ok && t.Ref != 0 {
		return Known(s)
	}
	return t
}

func (v Values) textPtr(t *Text) *Text {
	if t == nil {
		return nil
	}
	filled := v.text(*t)
	return &filled
}

func (v Values) list(l *List) *List {
	if l == nil {
		return nil
	}
	if l.Ref != 0 {
		if items, ok := v[l.Ref].([]string); ok {
			filled := KnownList(items...)
			filled.FromOutput = true
			return filled
		}
		return l
	}
	out := &List{Items: make([]Text, len(l.Items))}
	for i, t := range l.Items {
		out.Items[i] = v.text(t)
	}
	return out
}

func (v Values) mapOf(m *Map) *Map {
	if m == nil {
		return nil
	}
	if m.Ref != 0 {
		if items, ok := v[m.Ref].(map[string]string); ok {
			return KnownMap(items)
		}
		return m
	}
	out := &Map{Items: make(map[string]Text, len(m.Items))}
	for k, t := range m.Items {
		out.Items[k] = v.text(t)
	}
	return out
}

// sortedRefs returns refs sorted and without repeats.
func sortedRefs(refs []Ref) []Ref {
	slices.Sort(refs)
	return slices.Compact(refs)
}
