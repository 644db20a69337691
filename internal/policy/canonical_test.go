package policy

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonString is how the encoder wrote strings before it had its own escaping:
// encoding/json without HTML escaping, trailing newline removed.
func jsonString(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(s))
	return strings.TrimSuffix(b.String(), "\n")
}

func ownString(s string) string {
	var b bytes.Buffer
	writeString(&b, s)
	return b.String()
}

var trickyStrings = []string{
	"",
	"plain ascii",
	`quote " and backslash \ and slash /`,
	"<script>&amp;</script>",
	"tab\tnewline\ncarriage\rbackspace\bformfeed\f",
	"\x00\x01\x07\x0b\x0e\x1f\x7f",
	"é ü ß 日本語 🐳",
	"line\u2028separator\u2029paragraph",
	"invalid \xff\xfe utf-8 \xc3 truncated",
	"\xed\xa0\x80 surrogate half",
	"\ufffd replacement char",
	"arn:aws:iam::111111111111:role/a+b=c,d.e@f_g-h",
	strings.Repeat("<é\u2028\x01>", 100),
}

func TestWriteStringMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range trickyStrings {
		assert.Equal(t, jsonString(t, s), ownString(s), "%q", s)
	}
	// Every single byte and every rune up to U+3000, one by one.
	for c := range 256 {
		s := string([]byte{'a', byte(c), 'z'})
		require.Equal(t, jsonString(t, s), ownString(s), "byte %#x", c)
	}
	for r := range rune(0x3000) {
		s := "a" + string(r) + "z"
		require.Equal(t, jsonString(t, s), ownString(s), "rune %U", r)
	}
}

// A whole document encodes byte for byte as before.
func TestEncodeMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	value := strings.Join(trickyStrings, "|")
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Deny","Principal":"*","Action":"ecr:PutImage",` +
		`"Condition":{"StringLike":{"aws:PrincipalTag/x":` + mustJSON(value) + `}}}]}`
	got, err := Canonicalize(doc)
	require.NoError(t, err)
	var decoded string // what the decoder makes of the value (invalid bytes become U+FFFD)
	require.NoError(t, json.Unmarshal([]byte(mustJSON(value)), &decoded))
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Deny","Principal":"*","Action":"ecr:PutImage",` +
		`"Condition":{"StringLike":{"aws:PrincipalTag/x":` + jsonString(t, decoded) + `}}}]}`
	assert.Equal(t, want, got)
}

// FuzzWriteString: the encoder's strings are exactly encoding/json's.
func FuzzWriteString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := ownString(s), jsonString(t, s); got != want {
			t.Fatalf("%q: got %s, encoding/json writes %s", s, got, want)
		}
	})
}
