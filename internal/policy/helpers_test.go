package policy

import (
	"encoding/json"
	"strings"
	"testing"

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

// findProblem returns the problems at path whose message contains every part.
func findProblem(ps validate.Problems, path string, parts ...string) []validate.Problem {
	var out []validate.Problem
	for _, p := range ps {
		if p.Path != path {
			continue
		}
		ok := true
		for _, part := range parts {
			if !strings.Contains(p.Message, part) {
				ok = false
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	return out
}
