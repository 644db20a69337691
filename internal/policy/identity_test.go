package policy

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func repositoryArns(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("arn:aws:ecr:eu-west-1:111111111111:repository/platform/service-%04d", i)
	}
	return out
}

// checkIdentityPolicies asserts the contract of IdentityPolicies and returns
// the documents: each under the limit, self-contained, and together granting
// exactly the given repositories, each once.
func checkIdentityPolicies(t *testing.T, actions, arns []string) []string {
	t.Helper()
	docs := IdentityPolicies(actions, arns)
	require.NotEmpty(t, docs)
	want := sortedUnique(arns)
	var got []string
	for i, text := range docs {
		require.LessOrEqual(t, utf8.RuneCountInString(text), MaxManagedPolicyLength, "document %d", i)
		d := parseDoc(t, text)
		assert.Equal(t, "2012-10-17", d.Version)
		require.Len(t, d.Statement, 2, "document %d: repository statement and token statement", i)
		access, token := d.Statement[0], d.Statement[1]
		assert.Equal(t, "RepositoryAccess", access["Sid"])
		assert.Equal(t, unwrap(list(sortedUnique(scopedActions(actions))...)), access["Action"])
		assert.Equal(t, obj{"Sid": "AuthorizationToken", "Effect": "Allow", "Action": AuthorizationTokenAction, "Resource": "*"}, token)
		switch r := access["Resource"].(type) {
		case string:
			got = append(got, r)
		case []any:
			for _, e := range r {
				got = append(got, e.(string))
			}
		default:
			t.Fatalf("document %d: Resource is %T", i, r)
		}
		canon, err := Canonicalize(text)
		require.NoError(t, err)
		assert.Equal(t, text, canon, "canonical")
	}
	for _, arn := range got {
		assert.NotContains(t, arn, "*", "no wildcard repository ARNs")
	}
	require.True(t, sort.StringsAreSorted(got), "ARNs in order across documents")
	require.Equal(t, want, got, "the union of the Resources is the input set, each ARN once")
	// As few documents as the sorted split allows: the next ARN never fits
	// into the document before it.
	for i := 1; i < len(docs); i++ {
		first := parseDoc(t, docs[i]).Statement[0]["Resource"]
		if l, ok := first.([]any); ok {
			first = l[0]
		}
		prev := parseDoc(t, docs[i-1]).Statement[0]["Resource"]
		prevArns, _ := stringsOf(prev)
		joined := identityDocument(sortedUnique(scopedActions(actions)), append(prevArns, first.(string)))
		assert.Greater(t, utf8.RuneCountInString(joined), MaxManagedPolicyLength, "documents %d and %d could be one", i-1, i)
	}
	return docs
}

func TestIdentityPolicies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		repos, wantDocs int
	}{
		{1, 1}, {80, 1}, {100, 2}, {2000, 0},
	} {
		t.Run(fmt.Sprintf("%d repositories", tc.repos), func(t *testing.T) {
			t.Parallel()
			for _, actions := range [][]string{PullActions, PushActions} {
				arns := repositoryArns(tc.repos)
				docs := checkIdentityPolicies(t, actions, arns)
				if tc.wantDocs > 0 {
					assert.Len(t, docs, tc.wantDocs)
				}
				if tc.repos == 1 {
					assert.Equal(t, IdentityPolicy(actions, arns), docs[0], "one document is IdentityPolicy")
				}
				if tc.repos == 2000 {
					// About 70 characters per ARN: 2,000 need 24-26 documents.
					assert.InDelta(t, 25, len(docs), 2)
				}
			}
		})
	}
}

// The old single document passes the limit; the split does not.
func TestIdentityPolicyOutgrowsManagedPolicy(t *testing.T) {
	t.Parallel()
	assert.Greater(t, utf8.RuneCountInString(IdentityPolicy(PushActions, repositoryArns(100))), MaxManagedPolicyLength)
	assert.LessOrEqual(t, utf8.RuneCountInString(IdentityPolicy(PushActions, repositoryArns(70))), MaxManagedPolicyLength)
}

func TestIdentityPoliciesEdges(t *testing.T) {
	t.Parallel()
	tokenOnly := IdentityPolicy(PullActions, nil)
	assert.Equal(t, []string{tokenOnly}, IdentityPolicies(PullActions, nil))
	assert.Equal(t, []string{tokenOnly}, IdentityPolicies(PullActions, []string{}))
	assert.Equal(t, []string{IdentityPolicy(nil, repositoryArns(3))}, IdentityPolicies([]string{AuthorizationTokenAction}, repositoryArns(3)))
	assert.Len(t, parseDoc(t, IdentityPolicies(nil, repositoryArns(3))[0]).Statement, 1)

	// Duplicates and order do not change the result.
	arns := repositoryArns(300)
	want := IdentityPolicies(PushActions, arns)
	r := rand.New(rand.NewSource(7))
	for range 5 {
		mixed := shuffled(r, append(append([]string(nil), arns...), arns[:50]...))
		assert.Equal(t, want, IdentityPolicies(shuffled(r, PushActions), mixed))
	}
	// The input is not modified.
	assert.Equal(t, repositoryArns(300), arns)

	// An ARN that cannot fit even alone gets a document of its own.
	huge := "arn:aws:ecr:eu-west-1:111111111111:repository/" + strings.Repeat("x", MaxManagedPolicyLength)
	docs := IdentityPolicies(PullActions, append(repositoryArns(2), huge))
	require.Len(t, docs, 2)
	assert.Contains(t, docs[1], huge)
	assert.NotContains(t, docs[0], huge)
}

var regions = []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "me-central-1"}

// repositoryName returns a valid ECR repository name of n characters (2 to
// 256), per the API's pattern
// (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*.
func repositoryName(r *rand.Rand, n int) string {
	const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	const seps = "._-/"
	b := make([]byte, n)
	for i := range b {
		prevSep := i > 0 && strings.IndexByte(seps, b[i-1]) >= 0
		if i > 0 && i < n-1 && !prevSep && r.Intn(8) == 0 {
			b[i] = seps[r.Intn(len(seps))]
		} else {
			b[i] = alnum[r.Intn(len(alnum))]
		}
	}
	return string(b)
}

// Property: for random sets of realistic repository ARNs (names up to the
// 256-character maximum) every document fits and the documents grant exactly
// the input set.
func TestIdentityPoliciesProperty(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(10))
	for iter := range 60 {
		n := r.Intn(400) + 1
		arns := make([]string, n)
		for i := range arns {
			length := r.Intn(255) + 2
			if r.Intn(4) == 0 {
				length = 256
			}
			partition := "aws"
			region := regions[r.Intn(len(regions))]
			switch {
			case strings.HasPrefix(region, "cn-"):
				partition = "aws-cn"
			case strings.HasPrefix(region, "us-gov-"):
				partition = "aws-us-gov"
			}
			arns[i] = fmt.Sprintf("arn:%s:ecr:%s:%012d:repository/%s", partition, region, r.Int63n(1e12), repositoryName(r, length))
		}
		if r.Intn(3) == 0 {
			arns = append(arns, arns[:n/2]...) // duplicates
		}
		actions := [][]string{PullActions, PushActions, LambdaPullActions, {"ecr:DescribeImages", "ecr:ListImages"}}[r.Intn(4)]
		t.Run(fmt.Sprintf("iteration %d, %d ARNs", iter, len(arns)), func(t *testing.T) {
			checkIdentityPolicies(t, actions, arns)
		})
	}
}

func TestRepositoryName(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(3))
	for range 200 {
		n := r.Intn(255) + 2
		name := repositoryName(r, n)
		assert.Len(t, name, n)
		assert.Regexp(t, `^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`, name)
	}
}
