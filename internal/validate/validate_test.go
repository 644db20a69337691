package validate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProblemsErrSortsDeduplicatesAndIgnoresWarnings(t *testing.T) {
	t.Parallel()
	var ps Problems
	ps.Addf("b", "second")
	ps.Addf("a", "first")
	ps.Addf("b", "second")
	ps.Warnf("c", "only a warning")

	err := ps.Err(`arguments for Registry "main"`)
	require.Error(t, err)
	assert.Equal(t, "invalid arguments for Registry \"main\" (2 problems):\n  - a: first\n  - b: second", err.Error())
	assert.Equal(t, Problems{{Path: "c", Message: "only a warning", Warning: true}}, ps.Warnings())
	assert.Len(t, ps.Errors(), 2)

	var onlyWarnings Problems
	onlyWarnings.Warnf("x", "y")
	assert.NoError(t, onlyWarnings.Err("anything"), "warnings never fail validation")
}

func TestProblemsFind(t *testing.T) {
	t.Parallel()
	var ps Problems
	ps.Addf("a.b", "must be %d", 3)
	p, ok := ps.Find("a.b", "must be 3")
	assert.True(t, ok)
	assert.Equal(t, "a.b", p.Path)
	_, ok = ps.Find("a", "must be 3")
	assert.False(t, ok)
}

func TestLocatorAndField(t *testing.T) {
	t.Parallel()
	at := Under(`repositories["x"].access`)
	assert.Equal(t, `repositories["x"].access.pullAccountIds`, at("pullAccountIds"))
	assert.Equal(t, `repositories["x"].access`, at(""))
	assert.Equal(t, "f", Field("", "f"))
	assert.Equal(t, `tags["k"]`, Key("tags", "k"))
}

func TestProblemSaysTheFieldOnce(t *testing.T) {
	t.Parallel()
	p := Problem{Path: `repositories["api"].lifecycle.rules[0].countNumber`, Message: "countNumber must be a positive integer, got 0"}
	assert.Equal(t, `repositories["api"].lifecycle.rules[0].countNumber: must be a positive integer, got 0`, p.String())
	other := Problem{Path: `repositories["api"].lifecycle.keepLatest`, Message: "countNumber must be a positive integer, got 0"}
	assert.Equal(t, `repositories["api"].lifecycle.keepLatest: countNumber must be a positive integer, got 0`, other.String())
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"kitten", "sitting", 3},
		{"us-east-1", "us-east-1", 0}, {"us-est-1", "us-east-1", 1}, {"ecr:batchgetimage", "ecr:batchgetimages", 1},
	} {
		assert.Equal(t, c.want, EditDistance(c.a, c.b), "%q -> %q", c.a, c.b)
		assert.Equal(t, c.want, EditDistance(c.b, c.a), "symmetric: %q -> %q", c.b, c.a)
	}
}
