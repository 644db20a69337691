package main

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// A field is one input property of a pulumi-aws resource, as pulumi-aws
// v6.83.2 (bridging terraform-provider-aws) declares it. Build fields with
// str, boolean, num, strList, strMap, obj, objList or doc, then qualify them:
//
//	str("name").forceNew().autoname(64)
//	str("imageTagMutability").def("MUTABLE").oneOf("MUTABLE", "IMMUTABLE")
//	objList("encryptionConfigurations", str("encryptionType").def("AES256"), str("kmsKey").computed()).forceNew().computed()
type field struct {
	name string
	kind kind
	sub  []field // kObject, kObjectList

	replace     bool // ForceNew: a change replaces the resource
	req         bool // Required
	dflt        any  // Default, filled in by Check (top level) and used by Diff
	optComputed bool // Optional+Computed: omitted means "keep what AWS has", never a diff
	unordered   bool // a Terraform set: order is not significant
	jsonText    bool // a JSON document: equivalent JSON is no diff, stored normalised
	lifecycle   bool // with jsonText: ECR lifecycle-policy equivalence
	notAWS      bool // kept in Pulumi state only (not an AWS setting): no world record field
	hidden      bool // sensitive: outputs are secret, never put in errors
	enum        []string
	validator   func(name string, v any) string // "" when v is valid, else why not
	autonameMax int                             // pulumi-aws autonames an omitted name: "<resource name>-<7 hex>", at most this long
	unsupported bool                            // defined by pulumi-aws but not emulated: Check fails when it is set
}

type kind int

const (
	kString kind = iota
	kBool
	kNumber
	kStringList
	kStringMap
	kObject
	kObjectList
	kDoc // a JSON document: a string, or an object pulumi-aws serialises (tfbridge.TransformJSONDocument)
	kRef // a string, or a resource whose ID is that string (e.g. a Topic for its ARN)
)

func str(name string) field                   { return field{name: name, kind: kString} }
func boolean(name string) field               { return field{name: name, kind: kBool} }
func num(name string) field                   { return field{name: name, kind: kNumber} }
func strList(name string) field               { return field{name: name, kind: kStringList} }
func strMap(name string) field                { return field{name: name, kind: kStringMap} }
func obj(name string, sub ...field) field     { return field{name: name, kind: kObject, sub: sub} }
func objList(name string, sub ...field) field { return field{name: name, kind: kObjectList, sub: sub} }
func doc(name string) field                   { return field{name: name, kind: kDoc, jsonText: true} }
func jsonStr(name string) field               { return field{name: name, kind: kString, jsonText: true} }
func ref(name string) field                   { return field{name: name, kind: kRef} }
func tags() field                             { return strMap("tags") }

func (f field) forceNew() field     { f.replace = true; return f }
func (f field) required() field     { f.req = true; return f }
func (f field) def(v any) field     { f.dflt = v; return f }
func (f field) computed() field     { f.optComputed = true; return f }
func (f field) set() field          { f.unordered = true; return f }
func (f field) stateOnly() field    { f.notAWS = true; return f }
func (f field) sensitive() field    { f.hidden = true; return f }
func (f field) notEmulated() field  { f.unsupported = true; return f }
func (f field) lifecycleDoc() field { f.lifecycle = true; return f }
func (f field) autoname(max int) field {
	f.autonameMax = max
	return f
}
func (f field) oneOf(values ...string) field { f.enum = values; return f }
func (f field) valid(fn func(name string, v any) string) field {
	prev := f.validator
	f.validator = func(name string, v any) string {
		if prev != nil {
			if why := prev(name, v); why != "" {
				return why
			}
		}
		return fn(name, v)
	}
	return f
}

// Common validators, worded like terraform-plugin-sdk's.

func lenBetween(min, max int) func(string, any) string {
	return func(name string, v any) string {
		if s, ok := v.(string); ok && (len(s) < min || len(s) > max) {
			return fmt.Sprintf("expected length of %s to be in the range (%d - %d), got %s", name, min, max, s)
		}
		return ""
	}
}

func intBetween(min, max int) func(string, any) string {
	return func(name string, v any) string {
		if n, ok := v.(float64); ok && (n != float64(int(n)) || n < float64(min) || n > float64(max)) {
			return fmt.Sprintf("expected %s to be in the range (%d - %d), got %v", name, min, max, n)
		}
		return ""
	}
}

func maxItems(n int) func(string, any) string {
	return func(name string, v any) string {
		if list, ok := v.([]any); ok && len(list) > n {
			return fmt.Sprintf("%s: too many items: at most %d, got %d", name, n, len(list))
		}
		return ""
	}
}

func intIn(values ...int) func(string, any) string {
	return func(name string, v any) string {
		if n, ok := v.(float64); ok {
			for _, x := range values {
				if n == float64(x) {
					return ""
				}
			}
			return fmt.Sprintf("expected %s to be one of %v, got %v", name, values, n)
		}
		return ""
	}
}

// matches fails unless a string matches re.
func matches(re *regexp.Regexp) func(string, any) string {
	return func(name string, v any) string {
		if s, ok := v.(string); ok && !re.MatchString(s) {
			return fmt.Sprintf("expected value of %s to match regular expression %q, got %s", name, re.String(), s)
		}
		return ""
	}
}

// --- checking -------------------------------------------------------------

// checkObject checks the object m (at path, "" for the inputs) against fields.
func checkObject(fails *checkFailures, path, token string, fields []field, m map[string]any) {
	known := map[string]bool{}
	for _, f := range fields {
		known[f.name] = true
	}
	for _, k := range sortedKeys(m) {
		if !known[k] && !strings.HasPrefix(k, "__") {
			fails.add(join(path, k), "fakeaws (test double): %s has no input %q in pulumi-aws v6.83.2, or it is not emulated",
				token, join(path, k))
		}
	}
	for _, f := range fields {
		p, v := join(path, f.name), m[f.name]
		switch {
		case v == nil && f.req:
			fails.add(p, "Missing required argument. The argument %q is required, but no definition was found.", f.name)
		case v != nil && f.unsupported:
			fails.add(p, "fakeaws (test double): %s input %q is not emulated", token, p)
		case v != nil:
			f.checkValue(fails, p, token, v)
		}
	}
}

func (f field) checkValue(fails *checkFailures, path, token string, v any) {
	if v == unknown {
		return
	}
	want := map[kind]string{kString: "string", kBool: "bool", kNumber: "number", kStringList: "array", kStringMap: "map of strings",
		kObject: "object", kObjectList: "array", kDoc: "JSON string or object", kRef: "string"}[f.kind]
	ok := false
	switch f.kind {
	case kString, kRef:
		_, ok = v.(string)
	case kBool:
		_, ok = v.(bool)
	case kNumber:
		_, ok = v.(float64)
	case kObject:
		var m map[string]any
		if m, ok = v.(map[string]any); ok {
			checkObject(fails, path, token, f.sub, m)
		}
	case kStringList, kObjectList:
		var list []any
		if list, ok = v.([]any); ok {
			elem := field{name: f.name, kind: kString, enum: f.enum}
			if f.kind == kObjectList {
				elem = field{kind: kObject, sub: f.sub}
			}
			for i, e := range list {
				if e != nil {
					elem.checkValue(fails, fmt.Sprintf("%s[%d]", path, i), token, e)
				}
			}
		}
	case kStringMap:
		var m map[string]any
		if m, ok = v.(map[string]any); ok {
			for _, k := range sortedKeys(m) {
				if _, isStr := m[k].(string); !isStr && m[k] != unknown {
					fails.add(path+"."+k, "expected a string, got %T", m[k])
				}
			}
		}
	case kDoc:
		_, isStr := v.(string)
		_, isObj := v.(map[string]any)
		_, isList := v.([]any)
		ok = isStr || isObj || isList
	}
	if !ok {
		fails.add(path, "expected %s, got %T", want, v)
		return
	}
	if hasUnknown(v) {
		return
	}
	if f.jsonText {
		if text, err := policyDocument(v); err != nil || !jsonValid(text) {
			fails.add(path, "%q contains an invalid JSON: %v", f.name, jsonError(text, err))
		}
	}
	if s, isStr := v.(string); isStr && len(f.enum) > 0 && f.kind != kStringList && !contains(f.enum, s) {
		fails.add(path, "expected %s to be one of %q, got %s", f.name, f.enum, s)
	}
	if f.validator != nil {
		if why := f.validator(f.name, v); why != "" {
			fails.add(path, "%s", why)
		}
	}
}

// --- comparing ------------------------------------------------------------

// same reports whether the new input value v means what the old state value
// old holds, as Terraform plans configuration against prior state.
func (f field) same(old, v any) bool {
	if hasUnknown(v) {
		return false
	}
	if f.jsonText {
		text, err := policyDocument(v)
		if v == nil {
			text, err = "", nil
		}
		oldText, _ := old.(string)
		return err == nil && jsonEquivalent(oldText, text, f.lifecycle)
	}
	return reflect.DeepEqual(f.norm(old, nil), f.norm(v, old))
}

// norm fills in defaults (explicit, or Terraform's zero values) so that an
// omitted value compares equal to its default. In an object, an omitted
// Optional+Computed attribute takes its value from old.
func (f field) norm(v, old any) any {
	if v == nil {
		switch {
		case f.dflt != nil:
			return f.dflt
		case f.kind == kString || f.kind == kRef:
			return ""
		case f.kind == kBool:
			return false
		case f.kind == kNumber:
			return 0.0
		case f.kind == kObject:
			return normObject(f.sub, map[string]any{}, nil)
		case f.kind == kStringMap:
			return map[string]any{}
		default:
			return []any{}
		}
	}
	switch f.kind {
	case kObject:
		m, _ := v.(map[string]any)
		om, _ := old.(map[string]any)
		return normObject(f.sub, m, om)
	case kObjectList, kStringList:
		list, _ := v.([]any)
		oldList, _ := old.([]any)
		out := make([]any, len(list))
		for i, e := range list {
			var o any
			if i < len(oldList) {
				o = oldList[i]
			}
			out[i] = e
			if f.kind == kObjectList {
				m, _ := e.(map[string]any)
				om, _ := o.(map[string]any)
				out[i] = normObject(f.sub, m, om)
			}
		}
		if f.unordered {
			sort.Slice(out, func(i, j int) bool { return canonical(out[i]) < canonical(out[j]) })
		}
		return out
	}
	return v
}

func normObject(fields []field, m, old map[string]any) map[string]any {
	out := map[string]any{}
	for _, f := range fields {
		v := m[f.name]
		if v == nil && f.optComputed {
			v = old[f.name]
		}
		out[f.name] = f.norm(v, old[f.name])
	}
	return out
}

// present reports whether v counts as set when a diff names a property as
// added or deleted.
func present(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case map[string]any:
		return len(v) > 0
	case []any:
		return len(v) > 0
	}
	return true
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}
