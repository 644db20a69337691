package lifecycle

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONCanonical(t *testing.T) {
	t.Parallel()
	p := &Policy{Rules: []PolicyRule{
		{RulePriority: 2, Description: "a <b> & c", Selection: Selection{TagStatus: "tagged", TagPrefixList: []string{"z", "a", "z"}, CountType: "imageCountMoreThan", CountNumber: 3}, Action: Action{Type: "expire"}},
		{RulePriority: 1, Selection: Selection{TagStatus: "any", CountType: "sinceImagePulled", CountUnit: "days", CountNumber: 30, StorageClass: "standard"}, Action: Action{Type: "transition", TargetStorageClass: "archive"}},
	}}
	want := `{"rules":[` +
		`{"rulePriority":1,"selection":{"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":30,"storageClass":"standard"},"action":{"type":"transition","targetStorageClass":"archive"}},` +
		`{"rulePriority":2,"description":"a <b> & c","selection":{"tagStatus":"tagged","tagPrefixList":["a","z"],"countType":"imageCountMoreThan","countNumber":3},"action":{"type":"expire"}}` +
		`]}`
	assert.Equal(t, want, p.JSON())
	assert.True(t, json.Valid([]byte(p.JSON())))
	assert.Equal(t, "", (*Policy)(nil).JSON())
	// JSON does not change the policy.
	assert.Equal(t, []string{"z", "a", "z"}, p.Rules[0].Selection.TagPrefixList)
}

func TestJSONIgnoresOrder(t *testing.T) {
	t.Parallel()
	a := `{"rules":[
	  {"rulePriority":3,"selection":{"tagStatus":"tagged","tagPatternList":["b*","a*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":3},"action":{"type":"expire"},"description":"three"},
	  {"action":{"type":"expire"},"selection":{"countNumber":1,"tagStatus":"untagged","countUnit":"days","countType":"sinceImagePushed"},"rulePriority":1},
	  {"rulePriority":9,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10,"tagPrefixList":[]},"action":{"type":"expire"}}]}`
	b := `{ "rules" : [
	  {"rulePriority":9,"selection":{"countType":"imageCountMoreThan","countNumber":10,"tagStatus":"any"},"action":{"type":"expire"}},
	  {"rulePriority":3,"description":"three","selection":{"tagStatus":"tagged","tagPatternList":["a*","b*","a*"],"countType":"sinceImagePushed","countUnit":"days","countNumber":3},"action":{"type":"expire"}},
	  {"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire","targetStorageClass":""}}
	] }`
	pa, err := Parse(a)
	require.NoError(t, err)
	pb, err := Parse(b)
	require.NoError(t, err)
	assert.Equal(t, pa.JSON(), pb.JSON())

	// Even rules with equal priorities (which Validate refuses) do not
	// depend on input order.
	dup := func(first, second PolicyRule) string { return (&Policy{Rules: []PolicyRule{first, second}}).JSON() }
	r1 := expireRule(1, "one", untaggedDays(1))
	r2 := expireRule(1, "two", anyCount(1))
	assert.Equal(t, dup(r1, r2), dup(r2, r1))
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, p := range []*Policy{validPolicy(), fiftyRules(), DefaultPolicy(), {Rules: []PolicyRule{
		{RulePriority: 1, Description: "unicode é \u2028 \x01 \"quoted\" \\", Selection: patternDays(1, "é*", "*\t*"), Action: Action{Type: "expire"}},
	}}} {
		text := p.JSON()
		q, err := Parse(text)
		require.NoError(t, err, text)
		assert.Equal(t, text, q.JSON())
		r, err := Parse(q.JSON())
		require.NoError(t, err)
		assert.Equal(t, q, r)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	good := `{"rules":[{"rulePriority":1,"description":"d","selection":{"tagStatus":"tagged","tagPrefixList":["v"],"tagPatternList":null,"countType":"imageCountMoreThan","countNumber":5,"storageClass":"standard"},"action":{"type":"expire"}}]}`
	p, err := Parse("  \n" + good + "\n")
	require.NoError(t, err)
	assert.Equal(t, &Policy{Rules: []PolicyRule{{
		RulePriority: 1, Description: "d",
		Selection: Selection{TagStatus: "tagged", TagPrefixList: []string{"v"}, CountType: "imageCountMoreThan", CountNumber: 5, StorageClass: "standard"},
		Action:    Action{Type: "expire"},
	}}}, p)

	bad := map[string]string{
		"":                                 "empty",
		"   ":                              "empty",
		"null":                             "must be a JSON object",
		`[{"rules":[]}]`:                   "must be a JSON object",
		`{"rules":[]} {}`:                  "unexpected data after the JSON object",
		`{"rules":[]`:                      "ends early",
		`{"rules":[],}`:                    "not valid JSON",
		`{"Rules":[], "extra":1}`:          `unknown field "extra"`,
		`{"rules":[{"priority":1}]}`:       `unknown field "priority"`,
		`{"rules":[{"rulePriority":"1"}]}`: "rules.rulePriority must be an integer, got a JSON string",
		`{"rules":[{"rulePriority":1.5}]}`: "rules.rulePriority must be an integer, got a JSON number 1.5",
		`{"rules":[{"selection":{"countNumber":1e40}}]}`:  "countNumber must be an integer",
		`{"rules":[{"selection":{"tagPrefixList":"v"}}]}`: "tagPrefixList must be an array, got a JSON string",
		`{"rules":{}}`: "rules must be an array, got a JSON object",
	}
	for text, fragment := range bad {
		_, err := Parse(text)
		if assert.Error(t, err, text) {
			assert.Contains(t, err.Error(), fragment, text)
		}
	}
}
