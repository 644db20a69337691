package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// DefaultPartition is used when Access.Partition is empty and by Canonicalize.
const DefaultPartition = "aws"

var accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)

// member is one key of an object whose key order is decided by us.
type member struct {
	key string
	val any
}

// object is a JSON object with a fixed key order.
type object []member

// Canonicalize returns the canonical text (see the package documentation) of
// any IAM policy document. Bare account IDs in "AWS" principals become root
// ARNs in the aws partition; use CanonicalizeForPartition for another one.
func Canonicalize(doc string) (string, error) {
	return CanonicalizeForPartition(doc, DefaultPartition)
}

// CanonicalizeForPartition is Canonicalize with bare account IDs rewritten to
// arn:<partition>:iam::<id>:root.
func CanonicalizeForPartition(doc, partition string) (string, error) {
	v, err := parseJSON(doc)
	if err != nil {
		return "", err
	}
	return canonicalDocument(v, partitionOrDefault(partition))
}

// Equivalent reports whether two policy documents mean the same, ignoring
// everything Canonicalize ignores and also the order of statements.
func Equivalent(a, b string) (bool, error) {
	ca, err := statementSet(a)
	if err != nil {
		return false, fmt.Errorf("first document: %w", err)
	}
	cb, err := statementSet(b)
	if err != nil {
		return false, fmt.Errorf("second document: %w", err)
	}
	if len(ca) != len(cb) {
		return false, nil
	}
	for i := range ca {
		if ca[i] != cb[i] {
			return false, nil
		}
	}
	return true, nil
}

// statementSet returns the canonical document with its statements sorted, as
// strings, plus the rest of the document as the first element.
func statementSet(doc string) ([]string, error) {
	v, err := parseJSON(doc)
	if err != nil {
		return nil, err
	}
	o, err := normalizeDocument(v, DefaultPartition)
	if err != nil {
		return nil, err
	}
	var rest object
	var stmts []string
	for _, m := range o {
		if m.key == "Statement" {
			for _, s := range m.val.([]any) {
				stmts = append(stmts, encode(s))
			}
			continue
		}
		rest = append(rest, m)
	}
	sort.Strings(stmts)
	return append([]string{encode(rest)}, stmts...), nil
}

func partitionOrDefault(p string) string {
	if p == "" {
		return DefaultPartition
	}
	return p
}

// parseJSON decodes exactly one JSON value, keeping numbers as written.
func parseJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty document")
		}
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: unexpected data after the top-level value")
	}
	return v, nil
}

func canonicalDocument(v any, partition string) (string, error) {
	o, err := normalizeDocument(v, partition)
	if err != nil {
		return "", err
	}
	return encode(o), nil
}

var topOrder = []string{"Version", "Id", "Statement"}

var statementOrder = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

// ordered returns the keys of m: first those in order (when present), then the
// others sorted.
func ordered(m map[string]any, order []string) []string {
	keys := make([]string, 0, len(m))
	for _, k := range order {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	if len(keys) == len(m) {
		return keys
	}
	rest := make([]string, 0, len(m)-len(keys))
	for k := range m {
		if !contains(order, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(keys, rest...)
}

func normalizeDocument(v any, partition string) (object, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a policy document must be a JSON object, got %s", jsonKind(v))
	}
	var out object
	for _, k := range ordered(m, topOrder) {
		switch k {
		case "Statement":
			list, err := statementList(m[k])
			if err != nil {
				return nil, err
			}
			stmts := make([]any, len(list))
			for i, s := range list {
				o, err := normalizeStatement(s, partition)
				if err != nil {
					return nil, fmt.Errorf("Statement[%d]: %w", i, err) //nolint:staticcheck // ST1005: "Statement" is the JSON key the message is about
				}
				stmts[i] = o
			}
			out = append(out, member{k, stmts})
		default:
			out = append(out, member{k, normalizeGeneric(m[k])})
		}
	}
	return out, nil
}

// statementList accepts the two forms IAM accepts: an array of statement
// objects or a single statement object.
func statementList(v any) ([]map[string]any, error) {
	switch t := v.(type) {
	case map[string]any:
		return []map[string]any{t}, nil
	case []any:
		out := make([]map[string]any, len(t))
		for i, s := range t {
			m, ok := s.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("Statement[%d] must be a JSON object, got %s", i, jsonKind(s)) //nolint:staticcheck // ST1005: "Statement" is the JSON key the message is about
			}
			out[i] = m
		}
		return out, nil
	}
	return nil, fmt.Errorf("Statement must be an array of statement objects or one statement object, got %s", jsonKind(v)) //nolint:staticcheck // ST1005: "Statement" is the JSON key the message is about
}

func normalizeStatement(m map[string]any, partition string) (object, error) {
	var out object
	for _, k := range ordered(m, statementOrder) {
		v := m[k]
		switch k {
		case "Sid":
			if s, ok := v.(string); ok && s == "" {
				continue
			}
			out = append(out, member{k, normalizeGeneric(v)})
		case "Principal", "NotPrincipal":
			p, err := normalizePrincipal(v, partition)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out = append(out, member{k, p})
		case "Action", "NotAction", "Resource", "NotResource":
			l, err := normalizeStrings(v, nil)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out = append(out, member{k, l})
		case "Condition":
			c, err := normalizeCondition(v)
			if err != nil {
				return nil, fmt.Errorf("Condition: %w", err) //nolint:staticcheck // ST1005: "Condition" is the JSON key the message is about
			}
			out = append(out, member{k, c})
		default:
			out = append(out, member{k, normalizeGeneric(v)})
		}
	}
	return out, nil
}

func normalizePrincipal(v any, partition string) (any, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(object, 0, len(keys))
		for _, k := range keys {
			var mapper func(string) string
			if k == "AWS" {
				mapper = func(s string) string { return accountRoot(partition, s) }
			}
			l, err := normalizeStrings(t[k], mapper)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			out = append(out, member{k, l})
		}
		return out, nil
	}
	return nil, fmt.Errorf(`must be "*" or an object such as {"AWS": [...]}, got %s`, jsonKind(v))
}

// accountRoot rewrites a bare account ID to its root ARN, as ECR does.
func accountRoot(partition, s string) string {
	if accountIDRe.MatchString(s) {
		return "arn:" + partition + ":iam::" + s + ":root"
	}
	return s
}

// normalizeStrings sorts and de-duplicates a string or list of strings and
// writes a one-element list as a string. An empty list stays an empty list.
func normalizeStrings(v any, mapper func(string) string) (any, error) {
	var items []string
	switch t := v.(type) {
	case string:
		items = []string{t}
	case []any:
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("element %d must be a string, got %s", i, jsonKind(e))
			}
			items = append(items, s)
		}
	default:
		return nil, fmt.Errorf("must be a string or a list of strings, got %s", jsonKind(v))
	}
	return stringList(items, mapper), nil
}

func stringList(items []string, mapper func(string) string) any {
	out := make([]string, len(items))
	for i, s := range items {
		if mapper != nil {
			s = mapper(s)
		}
		out[i] = s
	}
	sort.Strings(out)
	n := 0 // de-duplicate the sorted list in place
	for i, s := range out {
		if i == 0 || s != out[n-1] {
			out[n] = s
			n++
		}
	}
	out = out[:n]
	if len(out) == 1 {
		return out[0]
	}
	list := make([]any, len(out))
	for i, s := range out {
		list[i] = s
	}
	return list
}

func normalizeCondition(v any) (any, error) {
	ops, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf(`must be an object of operators, such as {"StringEquals": {"aws:PrincipalOrgID": "o-…"}}, got %s`, jsonKind(v))
	}
	opKeys := sortedKeys(ops)
	out := make(object, 0, len(opKeys))
	for _, op := range opKeys {
		keys, ok := ops[op].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s must be an object of condition keys, got %s", op, jsonKind(ops[op]))
		}
		inner := make(object, 0, len(keys))
		for _, k := range sortedKeys(keys) {
			var items []string
			switch t := keys[k].(type) {
			case []any:
				for i, e := range t {
					s, ok := scalarString(e)
					if !ok {
						return nil, fmt.Errorf("%s %s: element %d must be a string, number or boolean, got %s", op, k, i, jsonKind(e))
					}
					items = append(items, s)
				}
			default:
				s, ok := scalarString(t)
				if !ok {
					return nil, fmt.Errorf("%s %s must be a string, number, boolean or a list of them, got %s", op, k, jsonKind(t))
				}
				items = []string{s}
			}
			inner = append(inner, member{k, stringList(items, nil)})
		}
		out = append(out, member{op, inner})
	}
	return out, nil
}

func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case bool:
		if t {
			return "true", true
		}
		return "false", true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

// normalizeGeneric sorts object keys, recursively, and keeps everything else.
func normalizeGeneric(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(object, 0, len(t))
		for _, k := range sortedKeys(t) {
			out = append(out, member{k, normalizeGeneric(t[k])})
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeGeneric(e)
		}
		return out
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func jsonKind(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return fmt.Sprintf("the string %q", t)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// encode writes v as compact JSON without HTML escaping, into one buffer.
func encode(v any) string {
	var b bytes.Buffer
	b.Grow(1024)
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		b.WriteString(t.String())
	case string:
		writeString(b, t)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e)
		}
		b.WriteByte(']')
	case object:
		b.WriteByte('{')
		for i, m := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, m.key)
			b.WriteByte(':')
			writeJSON(b, m.val)
		}
		b.WriteByte('}')
	case map[string]any:
		writeJSON(b, normalizeGeneric(t))
	default:
		// Only the types above come out of parsing and normalizing.
		panic(fmt.Sprintf("policy: cannot encode %T", v))
	}
}

const hexDigits = "0123456789abcdef"

// writeString writes s as a JSON string exactly as encoding/json does with
// SetEscapeHTML(false): '"' and '\\' escaped; \b, \f, \n, \r, \t as short
// escapes and every other control character as \u00XX (lower-case hex);
// invalid UTF-8 as \ufffd; U+2028 and U+2029 as \u2028 and \u2029 (they end
// lines in JavaScript); everything else, including <, > and &, as it is.
// TestWriteStringMatchesEncodingJSON and FuzzWriteString hold it to that.
func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
		case r == '\u2028' || r == '\u2029':
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
