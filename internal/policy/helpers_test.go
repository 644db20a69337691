package policy

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// doc is a policy document decoded for assertions.
type doc struct {
	Version   string
	Statement []map[string]any
}

func parseDoc(t *testing.T, text string) doc {
	t.Helper()
	var d doc
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&d), text)
	return d
}

func (d doc) sids() []string {
	out := make([]string, len(d.Statement))
	for i, s := range d.Statement {
		out[i], _ = s["Sid"].(string)
	}
	return out
}

func (d doc) bySid(t *testing.T, sid string) map[string]any {
	t.Helper()
	for _, s := range d.Statement {
		if s["Sid"] == sid {
			return s
		}
	}
	require.Failf(t, "statement not found", "no statement %q in %v", sid, d.sids())
	return nil
}

// list turns strings into the []any that encoding/json decodes arrays to.
func list(s ...string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

type obj = map[string]any

// assertProblem asserts that ps has an error (not a warning) at path whose
// message contains every part; validate.Problems.Find looks up the first part.
func assertProblem(t *testing.T, ps validate.Problems, path string, parts ...string) bool {
	t.Helper()
	return assertFound(t, ps.Errors(), "an error", path, parts)
}

// assertWarning is assertProblem for a warning.
func assertWarning(t *testing.T, ps validate.Problems, path string, parts ...string) bool {
	t.Helper()
	return assertFound(t, ps.Warnings(), "a warning", path, parts)
}

func assertFound(t *testing.T, ps validate.Problems, kind, path string, parts []string) bool {
	t.Helper()
	p, ok := ps.Find(path, parts[0])
	if !assert.True(t, ok, "want %s at %s containing %q; got %v", kind, path, parts[0], ps) {
		return false
	}
	for _, part := range parts[1:] {
		if !assert.Contains(t, p.Message, part, "%s at %s", kind, path) {
			return false
		}
	}
	return true
}
