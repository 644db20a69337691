package validate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRepositoryName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		ok   bool
	}{
		{"ab", true},
		{"team/api", true},
		{"team/sub.team/api_v2-x", true},
		{"1password", true}, // the service regex allows a leading digit
		{strings.Repeat("a", 256), true},
		{"a", false},
		{strings.Repeat("a", 257), false},
		{"Team", false},
		{"team//api", false},
		{"/team", false},
		{"team/", false},
		{"team--api", false},
		{"team-", false},
		{"-team", false},
		{"team api", false},
		{"team.api.", false},
	}
	for _, tc := range cases {
		ps := RepositoryName(`repositories["x"]`, tc.name)
		assert.Equal(t, tc.ok, len(ps) == 0, "%q: %v", tc.name, ps)
		for _, p := range ps {
			assert.Equal(t, `repositories["x"]`, p.Path)
		}
	}
}

func TestNamePrefix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		prefix string
		ok     bool
	}{
		{"staging/", true},
		{"staging-", true},
		{"staging", true},
		{"org/staging/", true},
		{"v1.", true},
		{"a", true},
		{strings.Repeat("a", 255), true},
		{"", false},
		{strings.Repeat("a", 256), false},
		{"Staging/", false},
		{"/staging", false},
		{"staging//", false},
		{"staging-/", false},
		{"-staging", false},
		{"stag ing/", false},
	} {
		ps := NamePrefix("namePrefix", tc.prefix)
		assert.Equal(t, tc.ok, len(ps) == 0, "%q: %v", tc.prefix, ps)
		for _, p := range ps {
			assert.Equal(t, "namePrefix", p.Path)
		}
	}
}

func TestKmsKeyArn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		arn  string
		want string // "" means valid
	}{
		{"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", ""},
		{"arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", ""},
		{"arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab", ""},
		{"", "empty string"},
		{"alias/ecr", "not an alias"},
		{"arn:aws:kms:us-east-1:123456789012:alias/ecr", "not an alias"},
		{"1234abcd-12ab-34cd-56ef-1234567890ab", "must be a KMS key ARN of the form"},
		{"arn:aws:kms:us-east-1:12345:key/abc", "must be a KMS key ARN of the form"},
		{"arn:aws:s3:us-east-1:123456789012:key/abc", "must be a KMS key ARN of the form"},
		{"arn:aws:kms:useast1:123456789012:key/abc", "must be a KMS key ARN of the form"},
	}
	for _, tc := range cases {
		ps := KmsKeyArn("p", tc.arn)
		if tc.want == "" {
			assert.Empty(t, ps, tc.arn)
			continue
		}
		if assert.Len(t, ps, 1, tc.arn) {
			assert.Contains(t, ps[0].Message, tc.want)
		}
	}
}

func TestTags(t *testing.T) {
	t.Parallel()
	assert.Empty(t, TagKey("tags", "team"))
	assert.Empty(t, TagKey("tags", "app.kubernetes.io/name"))
	assert.Empty(t, TagKey("tags", strings.Repeat("k", 128)))
	assert.Empty(t, TagValue("tags", "k", ""))
	assert.Empty(t, TagValue("tags", "k", "Ünïcode ok @ 1+1=2"))
	assert.Empty(t, TagValue("tags", "k", strings.Repeat("v", 256)))
	assert.Empty(t, TagCount("tags", 50))

	assert.Equal(t, `tags[""]: tag keys must not be empty`, TagKey("tags", "")[0].String())
	assert.Contains(t, TagKey("tags", strings.Repeat("k", 129))[0].String(), "at most 128 characters, got 129")
	assert.Contains(t, TagKey("tags", "aws:x")[0].String(), `reserved prefix "aws:"`)
	assert.Contains(t, TagKey("tags", "a*b")[0].String(), "only letters, digits")
	assert.Contains(t, TagValue("tags", "k", strings.Repeat("v", 257))[0].String(), "at most 256 characters, got 257")
	assert.Contains(t, TagValue("tags", "k", "a;b")[0].String(), `got "a;b"`)
	assert.Contains(t, TagCount("x.tags", 51)[0].String(), "x.tags: at most 50 tags per resource, got 51")
}

func TestOneOfAndErrors(t *testing.T) {
	t.Parallel()
	assert.Empty(t, OneOf("p", "A", "A", "B"))
	assert.Equal(t, `p: must be A or B, got "c"`, OneOf("p", "c", "A", "B")[0].String())
	assert.Equal(t, `p: must be A, B or C, got "d"`, OneOf("p", "d", "A", "B", "C")[0].String())

	var ps Problems
	assert.NoError(t, ps.Err("args"))
	ps.Addf("b", "second")
	ps.Addf("a", "first")
	ps.Addf("a", "first")
	assert.Equal(t, "invalid args (2 problems):\n  - a: first\n  - b: second", ps.Err("args").Error(), "sorted, repeats dropped")
	assert.Equal(t, "invalid args: a: first", Problems{{Path: "a", Message: "first"}}.Err("args").Error())
	assert.Equal(t, `repositories["team/api"].tags`, Field(Key("repositories", "team/api"), "tags"))
}

func TestImageReferences(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"v1.2.3", "latest", "_x", strings.Repeat("a", 128)} {
		assert.Empty(t, ImageTag("tag", ok), ok)
	}
	for _, bad := range []string{"", ".x", "-x", "a b", "a:b", strings.Repeat("a", 129)} {
		assert.NotEmpty(t, ImageTag("tag", bad), bad)
	}
	assert.Empty(t, ImageDigest("d", "sha256:"+strings.Repeat("ab", 32)))
	assert.NotEmpty(t, ImageDigest("d", "sha256:"+strings.Repeat("AB", 32)))
	assert.NotEmpty(t, ImageDigest("d", "md5:abc"))
	assert.Empty(t, RepositoryURL("u", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api"))
	assert.NotEmpty(t, RepositoryURL("u", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/Team"))
	assert.NotEmpty(t, RepositoryURL("u", "team/api"))
}

// The hand-written check and ECR's expression agree on every name.
func FuzzRepositoryNameMatchesTheRegexp(f *testing.F) {
	for _, seed := range []string{"", "a", "ab", "team/api", "team//api", "/team", "team/", "a.b_c-d/e", "a..b", "a._b", "A", "a b", "-a", "a-", "1", "a/b/c", "é"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := isRepositoryName(name), repositoryNameRe.MatchString(name); got != want {
			t.Fatalf("isRepositoryName(%q) = %t, the expression says %t", name, got, want)
		}
	})
}
