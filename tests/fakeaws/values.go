package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// unknownT marks a value that is not known yet (a preview-time computed value).
type unknownT struct{}

var unknown = unknownT{}

// toGo converts a property value to plain Go values (nil, bool, float64,
// string, []any, map[string]any, unknown). Secret markers are dropped: the
// engine copies secretness from inputs to outputs of the same name itself.
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
	default:
		// Assets and archives never appear in the resources emulated here.
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
	case int:
		return property.New(float64(x))
	case string:
		return property.New(x)
	case []any:
		vs := make([]property.Value, 0, len(x))
		for _, e := range x {
			vs = append(vs, fromGo(e))
		}
		return property.New(vs)
	case map[string]string:
		m := map[string]property.Value{}
		for k, e := range x {
			m[k] = property.New(e)
		}
		return property.New(m)
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
		for _, e := range x {
			if hasUnknown(e) {
				return true
			}
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

// present reports whether key is set to a non-null value.
func present(m map[string]any, key string) bool {
	v, ok := m[key]
	return ok && v != nil
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func boolean(m map[string]any, key string) bool {
	b, _ := m[key].(bool)
	return b
}

func stringMap(v any) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		for k, e := range m {
			if s, ok := e.(string); ok {
				out[k] = s
			}
		}
	}
	return out
}

// normalizeJSON mirrors terraform-plugin-sdk's structure.NormalizeJsonString,
// which terraform-provider-aws applies to ECR policies before sending them to
// AWS and storing them in state: decode into interface{} and re-encode
// (compact, object keys sorted).
func normalizeJSON(s string) (string, error) {
	var x any
	if err := json.Unmarshal([]byte(s), &x); err != nil {
		return "", err
	}
	b, err := json.Marshal(x)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// policyDocument returns the JSON text of a policy input. pulumi-aws declares
// ECR policies with tfbridge.TransformJSONDocument, so an object or array is
// accepted and serialised to JSON.
func policyDocument(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case map[string]any, []any:
		b, err := json.Marshal(v)
		if err != nil {
			return "", err
		}
		return string(b), nil
	default:
		return "", fmt.Errorf("expected a JSON string or object, got %T", v)
	}
}

// jsonEquivalent compares two JSON documents semantically. With lifecycle
// set it also applies the reductions of terraform-provider-aws's
// equivalentLifecyclePolicyJSON (rules ordered by rulePriority, tag
// prefix/pattern lists sorted, empty lists dropped).
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
	m, ok := doc.(map[string]any)
	if !ok {
		return
	}
	rules, ok := m["rules"].([]any)
	if !ok {
		return
	}
	priority := func(r any) float64 {
		if rm, ok := r.(map[string]any); ok {
			if n, ok := rm["rulePriority"].(float64); ok {
				return n
			}
		}
		return 0
	}
	sort.SliceStable(rules, func(i, j int) bool { return priority(rules[i]) < priority(rules[j]) })
	for _, r := range rules {
		rm, ok := r.(map[string]any)
		if !ok {
			continue
		}
		sel, ok := rm["selection"].(map[string]any)
		if !ok {
			continue
		}
		for _, k := range []string{"tagPrefixList", "tagPatternList"} {
			list, ok := sel[k].([]any)
			if !ok {
				continue
			}
			if len(list) == 0 {
				delete(sel, k)
				continue
			}
			sort.SliceStable(list, func(i, j int) bool {
				return fmt.Sprint(list[i]) < fmt.Sprint(list[j])
			})
		}
	}
}

// diffBuilder accumulates a property-level diff.
type diffBuilder struct {
	detailed map[string]p.PropertyDiff
}

func newDiffBuilder() *diffBuilder {
	return &diffBuilder{detailed: map[string]p.PropertyDiff{}}
}

// add records a change of key. oldPresent/newPresent select add/delete/update,
// replace selects the "&replace" variant.
func (d *diffBuilder) add(key string, oldPresent, newPresent, replace bool) {
	var kind p.DiffKind
	switch {
	case !oldPresent && newPresent:
		kind = p.Add
		if replace {
			kind = p.AddReplace
		}
	case oldPresent && !newPresent:
		kind = p.Delete
		if replace {
			kind = p.DeleteReplace
		}
	default:
		kind = p.Update
		if replace {
			kind = p.UpdateReplace
		}
	}
	d.detailed[key] = p.PropertyDiff{Kind: kind}
}

func (d *diffBuilder) keys() []string {
	keys := make([]string, 0, len(d.detailed))
	for k := range d.detailed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (d *diffBuilder) replaces() bool {
	for _, v := range d.detailed {
		switch v.Kind {
		case p.AddReplace, p.DeleteReplace, p.UpdateReplace:
			return true
		}
	}
	return false
}

func (d *diffBuilder) response(deleteBeforeReplaceOnReplace bool) p.DiffResponse {
	return p.DiffResponse{
		HasChanges:          len(d.detailed) > 0,
		DetailedDiff:        d.detailed,
		DeleteBeforeReplace: deleteBeforeReplaceOnReplace && d.replaces(),
	}
}

// checkFailures collects Check failures.
type checkFailures []p.CheckFailure

func (c *checkFailures) add(prop, format string, args ...any) {
	*c = append(*c, p.CheckFailure{Property: prop, Reason: fmt.Sprintf(format, args...)})
}

// typed reports whether v is known and of the kind named by want ("string",
// "bool", "number", "object", "array", "map of strings"). A known, non-null value of
// another kind is recorded as a failure.
func (c *checkFailures) typed(prop string, v any, want string) bool {
	if v == nil || v == any(unknown) {
		return false
	}
	ok := false
	switch want {
	case "string":
		_, ok = v.(string)
	case "bool":
		_, ok = v.(bool)
	case "number":
		_, ok = v.(float64)
	case "object":
		_, ok = v.(map[string]any)
	case "array":
		_, ok = v.([]any)
	case "map of strings":
		var m map[string]any
		if m, ok = v.(map[string]any); ok {
			for k, e := range m {
				if _, isStr := e.(string); !isStr && e != any(unknown) {
					c.add(prop+"."+k, "expected a string, got %T", e)
				}
			}
		}
	}
	if !ok {
		c.add(prop, "expected %s, got %T", want, v)
	}
	return ok
}
