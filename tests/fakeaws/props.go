package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Property values are handled as plain Go values: nil, bool, float64,
// string, []any, map[string]any and unknown (a value not known in a preview).

type unknownT struct{}

var unknown = unknownT{}

// toGo converts a property value. Secret markers are dropped (the engine
// keeps secretness of inputs for outputs of the same name; sensitive fields
// are marked again on the way out).
func toGo(v property.Value) any {
	switch {
	case v.IsComputed():
		return unknown
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.AsBool()
	case v.IsNumber():
		return v.AsNumber()
	case v.IsString():
		return v.AsString()
	case v.IsArray():
		out := []any{}
		for _, e := range v.AsArray().All {
			out = append(out, toGo(e))
		}
		return out
	case v.IsMap():
		return mapToGo(v.AsMap())
	case v.IsResourceReference():
		if id, ok := v.AsResourceReference().IDString(); ok {
			return id
		}
		return unknown
	default: // assets and archives never appear in the emulated resources
		return fmt.Sprintf("<unsupported %v>", v)
	}
}

func mapToGo(m property.Map) map[string]any {
	out := map[string]any{}
	for k, e := range m.All {
		out[k] = toGo(e)
	}
	return out
}

func fromGo(x any) property.Value {
	switch x := x.(type) {
	case nil:
		return property.New(property.Null)
	case unknownT:
		return property.New(property.Computed)
	case bool:
		return property.New(x)
	case float64:
		return property.New(x)
	case string:
		return property.New(x)
	case []any:
		vs := make([]property.Value, 0, len(x))
		for _, e := range x {
			vs = append(vs, fromGo(e))
		}
		return property.New(vs)
	case []string:
		vs := make([]property.Value, 0, len(x))
		for _, e := range x {
			vs = append(vs, property.New(e))
		}
		return property.New(vs)
	case map[string]any:
		return property.New(mapFromGo(x))
	default:
		panic(fmt.Sprintf("fakeaws: cannot convert %T to a property value", x))
	}
}

func mapFromGo(m map[string]any) property.Map {
	out := map[string]property.Value{}
	for k, e := range m {
		out[k] = fromGo(e)
	}
	return property.NewMap(out)
}

func hasUnknown(x any) bool {
	switch x := x.(type) {
	case unknownT:
		return true
	case []any:
		if slices.ContainsFunc(x, hasUnknown) {
			return true
		}
	case map[string]any:
		for _, e := range x {
			if hasUnknown(e) {
				return true
			}
		}
	}
	return false
}

// newUUID returns a random UUID, as AWS gives KMS keys, secret versions and
// subscriptions.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func strOf(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// encode turns a world record into plain Go values (by its JSON keys).
func encode(rec any) map[string]any {
	data, err := json.Marshal(rec)
	if err != nil {
		panic(err)
	}
	out := map[string]any{}
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

// decode fills the world record rec from plain Go values (by its JSON keys).
func decode(m map[string]any, rec any) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, rec)
}

// --- JSON documents ---------------------------------------------------------

// normalizeJSON mirrors terraform-plugin-sdk's structure.NormalizeJsonString,
// which terraform-provider-aws applies to policies before sending them to AWS
// and storing them in state: decode and re-encode (compact, keys sorted).
func normalizeJSON(s string) (string, error) {
	var x any
	if err := json.Unmarshal([]byte(s), &x); err != nil {
		return "", err
	}
	b, err := json.Marshal(x)
	return string(b), err
}

// policyDocument returns the JSON text of a document input: a string, or an
// object or array (tfbridge.TransformJSONDocument serialises those).
func policyDocument(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case map[string]any, []any:
		b, err := json.Marshal(v)
		return string(b), err
	default:
		return "", fmt.Errorf("expected a JSON string or object, got %T", v)
	}
}

func jsonValid(s string) bool { return json.Valid([]byte(s)) }

func decodeJSON(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func jsonError(text string, err error) error {
	if err != nil {
		return err
	}
	var x any
	return json.Unmarshal([]byte(text), &x)
}

// canonical is a sort key for set elements.
func canonical(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonEquivalent compares two JSON documents semantically. With lifecycle set
// it also applies terraform-provider-aws's equivalentLifecyclePolicyJSON
// (rules ordered by rulePriority, tag prefix/pattern lists sorted, empty
// lists dropped).
func jsonEquivalent(a, b string, lifecycle bool) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	if lifecycle {
		reduceLifecyclePolicy(x)
		reduceLifecyclePolicy(y)
	}
	return reflect.DeepEqual(x, y)
}

func reduceLifecyclePolicy(doc any) {
	m, _ := doc.(map[string]any)
	rules, _ := m["rules"].([]any)
	priority := func(r any) float64 {
		n, _ := asMap(r)["rulePriority"].(float64)
		return n
	}
	sort.SliceStable(rules, func(i, j int) bool { return priority(rules[i]) < priority(rules[j]) })
	for _, r := range rules {
		sel := asMap(asMap(r)["selection"])
		for _, k := range []string{"tagPrefixList", "tagPatternList"} {
			list, ok := sel[k].([]any)
			switch {
			case !ok:
			case len(list) == 0:
				delete(sel, k)
			default:
				sort.SliceStable(list, func(i, j int) bool { return fmt.Sprint(list[i]) < fmt.Sprint(list[j]) })
			}
		}
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	if m == nil {
		return map[string]any{}
	}
	return m
}

// --- diffs and check failures ---------------------------------------------

// diffBuilder accumulates a property-level diff.
type diffBuilder map[string]p.PropertyDiff

// add records a change of key: added, deleted or updated by whether the old
// and new values are present, replacing the resource if replace is set.
func (d diffBuilder) add(key string, oldPresent, newPresent, replace bool) {
	kind := p.Update
	switch {
	case !oldPresent && newPresent:
		kind = p.Add
	case oldPresent && !newPresent:
		kind = p.Delete
	}
	if replace {
		kind += "&replace"
	}
	d[key] = p.PropertyDiff{Kind: kind}
}

func (d diffBuilder) keys() []string { return sortedKeys(d) }

func (d diffBuilder) replaces() bool {
	for _, v := range d {
		switch v.Kind {
		case p.AddReplace, p.DeleteReplace, p.UpdateReplace:
			return true
		}
	}
	return false
}

// checkFailures collects Check failures.
type checkFailures []p.CheckFailure

func (c *checkFailures) add(prop, format string, args ...any) {
	*c = append(*c, p.CheckFailure{Property: prop, Reason: fmt.Sprintf(format, args...)})
}

// --- AWS errors -------------------------------------------------------------

// awsError renders an AWS API error the way aws-sdk-go-v2 formats it inside
// terraform-provider-aws diagnostics.
func awsError(service string, status int, operation, code, message string) string {
	return fmt.Sprintf("operation error %s: %s, https response error StatusCode: %d, "+
		"RequestID: 00000000-0000-0000-0000-fakeaws00000, %s: %s", service, operation, status, code, message)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
