package monitoring

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// matches is a small EventBridge pattern matcher, for the tests: the subset
// of the pattern language the Registry generates, with EventBridge's rules
// (EventBridge User Guide, "Amazon EventBridge event patterns", "Arrays in
// event patterns", "Content filtering"):
//
//   - every field of the pattern must be in the event, with the same nesting;
//     fields the pattern does not name are ignored;
//   - a pattern value is a list of alternatives; an event value that is a list
//     matches when any of its elements matches any alternative;
//   - an object pattern applied to a list of objects matches when any element
//     matches (how Security Hub's "findings" and Inspector's "resources" are
//     filtered);
//   - alternatives are exact values, {"prefix": s}, {"numeric": [op, n, …]},
//     {"exists": bool} and {"anything-but": …}; "$or" holds a list of
//     patterns, any of which must match.
func matches(pattern map[string]any, event any) bool {
	obj, ok := event.(map[string]any)
	if !ok {
		if list, isList := event.([]any); isList {
			return slices.ContainsFunc(list, func(e any) bool { return matches(pattern, e) })
		}
		return false
	}
	for key, want := range pattern {
		if key == "$or" {
			if !slices.ContainsFunc(want.([]any), func(p any) bool { return matches(p.(map[string]any), obj) }) {
				return false
			}
			continue
		}
		got, present := obj[key]
		switch w := want.(type) {
		case map[string]any:
			if !present || !matches(w, got) {
				return false
			}
		case []any:
			if !matchesValue(w, got, present) {
				return false
			}
		default:
			panic("pattern values are lists or objects, got " + key)
		}
	}
	return true
}

func matchesValue(alternatives []any, got any, present bool) bool {
	values := []any{got}
	if list, ok := got.([]any); ok {
		values = list
	}
	for _, alt := range alternatives {
		if m, ok := alt.(map[string]any); ok {
			if e, ok := m["exists"]; ok {
				if e.(bool) == present {
					return true
				}
				continue
			}
		}
		if !present {
			continue
		}
		for _, v := range values {
			if matchesOne(alt, v) {
				return true
			}
		}
	}
	return false
}

func matchesOne(alt, v any) bool {
	m, ok := alt.(map[string]any)
	if !ok {
		return alt == v
	}
	switch {
	case m["prefix"] != nil:
		s, isString := v.(string)
		return isString && strings.HasPrefix(s, m["prefix"].(string))
	case m["numeric"] != nil:
		n, isNumber := v.(float64)
		if !isNumber {
			return false
		}
		ops := m["numeric"].([]any)
		for i := 0; i+1 < len(ops); i += 2 {
			bound := ops[i+1].(float64)
			ok := map[string]bool{">": n > bound, ">=": n >= bound, "<": n < bound, "<=": n <= bound, "=": n == bound}[ops[i].(string)]
			if !ok {
				return false
			}
		}
		return true
	case m["anything-but"] != nil:
		if list, isList := m["anything-but"].([]any); isList {
			return !slices.Contains(list, v)
		}
		return m["anything-but"] != v
	}
	return false
}

// samples are AWS's documented sample events (tests/testdata/events).
func samples(t *testing.T) map[string]any {
	t.Helper()
	dir := filepath.Join("..", "..", "tests", "testdata", "events")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]any{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var ev any
		require.NoError(t, json.Unmarshal(data, &ev), f)
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = ev
	}
	return out
}

// matching runs every sample through every pattern and returns the names of
// the samples some pattern matches, sorted.
func matching(t *testing.T, patterns []string) []string {
	t.Helper()
	var out []string
	for name, ev := range samples(t) {
		for _, p := range patterns {
			var pattern map[string]any
			require.NoError(t, json.Unmarshal([]byte(p), &pattern), p)
			if matches(pattern, ev) {
				out = append(out, name)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}

// The matcher itself, on EventBridge's documented examples.
func TestMatcherFollowsEventBridgeRules(t *testing.T) {
	t.Parallel()
	event := map[string]any{"source": "aws.ec2", "resources": []any{"a", "b"},
		"detail": map[string]any{"state": "terminated", "c-count": 5.0, "items": []any{map[string]any{"k": "v"}}}}
	cases := []struct {
		pattern string
		want    bool
	}{
		{`{"source":["aws.ec2"]}`, true},
		{`{"source":["aws.s3"]}`, false},
		{`{"resources":["b","x"]}`, true},
		{`{"detail":{"state":["terminated"]}}`, true},
		{`{"detail":{"missing":["x"]}}`, false},
		{`{"detail":{"missing":[{"exists":false}]}}`, true},
		{`{"detail":{"state":[{"exists":true}]}}`, true},
		{`{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, true},
		{`{"detail":{"c-count":[{"numeric":[">",5]}]}}`, false},
		{`{"detail":{"$or":[{"state":["running"]},{"c-count":[{"numeric":["=",5]}]}]}}`, true},
		{`{"detail":{"$or":[{"state":["running"]},{"other":["x"]}]}}`, false},
		{`{"source":[{"prefix":"aws."}]}`, true},
		{`{"source":[{"anything-but":["aws.ec2"]}]}`, false},
		{`{"detail":{"items":{"k":["v"]}}}`, true},
		{`{"detail":{"items":{"k":["w"]}}}`, false},
	}
	for _, tc := range cases {
		var p map[string]any
		require.NoError(t, json.Unmarshal([]byte(tc.pattern), &p))
		require.Equal(t, tc.want, matches(p, event), tc.pattern)
	}
}
