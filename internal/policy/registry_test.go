package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

func registryBase() Registry {
	return Registry{Partition: "aws", Region: "eu-west-1", RegistryID: "123456789012"}
}

func TestRegistryPolicyDocuments(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		edit func(*Registry)
		want string
	}{
		{"replication sources", func(r *Registry) {
			r.ReplicationSourceAccounts = []string{"222222222222", "111111111111", "111111111111"}
		},
			`{"Version":"2012-10-17","Statement":[{"Sid":"AllowReplicationFrom","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:root","arn:aws:iam::222222222222:root"]},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:eu-west-1:123456789012:repository/*"}]}`},
		{"pull through cache without prefixes", func(r *Registry) { r.PullThroughCachePrincipals = []string{"111111111111"} },
			`{"Version":"2012-10-17","Statement":[{"Sid":"AllowPullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:BatchImportUpstreamImage","ecr:CreateRepository"],"Resource":"arn:aws:ecr:eu-west-1:123456789012:repository/*"}]}`},
		{"pull through cache with a ROOT rule covers every repository", func(r *Registry) {
			r.PullThroughCachePrincipals = []string{"111111111111"}
			r.PullThroughCachePrefixes = []string{"hub", "ROOT"}
		}, `{"Version":"2012-10-17","Statement":[{"Sid":"AllowPullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:BatchImportUpstreamImage","ecr:CreateRepository"],"Resource":"arn:aws:ecr:eu-west-1:123456789012:repository/*"}]}`},
		{"custom statement after the generated ones, canonical", func(r *Registry) {
			r.ReplicationSourceAccounts = []string{"111111111111"}
			r.Statements = []string{`{"Resource":["arn:aws:ecr:eu-west-1:123456789012:repository/b*","arn:aws:ecr:eu-west-1:123456789012:repository/a*"],"Action":["ecr:BatchGetImage"],"Principal":{"AWS":["333333333333"]},"Effect":"Allow","Sid":"Pull"}`}
		}, `{"Version":"2012-10-17","Statement":[{"Sid":"AllowReplicationFrom","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:eu-west-1:123456789012:repository/*"},{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"ecr:BatchGetImage","Resource":["arn:aws:ecr:eu-west-1:123456789012:repository/a*","arn:aws:ecr:eu-west-1:123456789012:repository/b*"]}]}`},
		{"a full policy, canonicalized", func(r *Registry) {
			r.Policy = `{"Statement":{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["ecr:ReplicateImage","ecr:CreateRepository"],"Resource":"*"},"Version":"2012-10-17"}`
		}, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"*"}]}`},
		{"V2 accepts any ECR action, with an organization condition", func(r *Registry) {
			r.Statements = []string{`{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}`}
		}, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}]}`},
		{"V1 accepts its three actions", func(r *Registry) {
			r.Scope = ScopeV1
			r.Statements = []string{`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["ecr:ReplicateImage","ecr:createrepository","ecr:BatchImportUpstreamImage"],"Resource":"*"}`}
		}, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:BatchImportUpstreamImage","ecr:ReplicateImage","ecr:createrepository"],"Resource":"*"}]}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := registryBase()
			tc.edit(&r)
			doc, err := RegistryPolicy(r)
			require.NoError(t, err)
			assert.Equal(t, tc.want, doc)
			again, err := RegistryPolicy(r)
			require.NoError(t, err)
			assert.Equal(t, doc, again, "deterministic")
		})
	}
}

func TestRegistryPolicyRefusals(t *testing.T) {
	t.Parallel()
	stmt := func(s string) func(*Registry) { return func(r *Registry) { r.Statements = []string{s} } }
	cases := []struct {
		name, path, rule string
		edit             func(*Registry)
	}{
		{"nothing", "", "sets nothing", func(*Registry) {}},
		{"not JSON", "statements[0]", "must be one IAM policy statement as a JSON object", stmt(`{`)},
		{"not an object", "statements[0]", "got an array", stmt(`[]`)},
		{"NotResource", "statements[0]", `must not have "NotResource"`, stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","NotResource":"*"}`)},
		{"unknown element", "statements[0]", `has unknown element "Foo"`, stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"*","Foo":1}`)},
		{"no Effect", "statements[0]", `must have "Effect"`, stmt(`{"Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"*"}`)},
		{"no Principal", "statements[0]", `must have "Principal"`, stmt(`{"Effect":"Allow","Action":"ecr:ReplicateImage","Resource":"*"}`)},
		{"NotPrincipal with Allow", "statements[0]", "NotPrincipal with Allow", stmt(`{"Effect":"Allow","NotPrincipal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"*"}`)},
		{"misspelt action", "statements[0]", "did you mean ecr:ReplicateImage?", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicatImage","Resource":"*"}`)},
		{"pattern matching nothing", "statements[0]", "matches no ECR action", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:Zap*","Resource":"*"}`)},
		{"V1 star", "statements[0]", `"*" is refused under the V1 registry policy scope`, func(r *Registry) {
			r.Scope = ScopeV1
			r.Statements = []string{`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"*","Resource":"*"}`}
		}},
		{"V1 NotAction", "statements[0]", "must not use NotAction under the V1", func(r *Registry) {
			r.Scope = ScopeV1
			r.Statements = []string{`{"Effect":"Deny","Principal":{"AWS":"111111111111"},"NotAction":"ecr:ReplicateImage","Resource":"*"}`}
		}},
		{"service without a source condition", "statements[0]", "confused deputy", stmt(`{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"ecr:BatchGetImage","Resource":"*"}`)},
		{"resource that is not a repository ARN", "statements[0]", "Resource must be \"*\" or repository ARNs", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"arn:aws:s3:::bucket"}`)},
		{"resource in another region", "statements[0]", "is in Region us-east-1, but this registry is in eu-west-1", stmt(`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"arn:aws:ecr:us-east-1:123456789012:repository/*"}`)},
		{"duplicate Sid", "statements[1]", `Sid "A" is already used by registryPolicy.statements[0]`, func(r *Registry) {
			s := `{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"*"}`
			r.Statements = []string{s, s}
		}},
		{"policy without Statement", "policy", `must have a "Statement" list`, func(r *Registry) { r.Policy = `{"Version":"2012-10-17"}` }},
		{"policy with an old Version", "policy", `Version must be "2012-10-17"`, func(r *Registry) {
			r.Policy = `{"Version":"2001-01-01","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"*"}]}`
		}},
		{"policy statement checked too", "policy.Statement[0]", `allows Principal "*"`, func(r *Registry) {
			r.Policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:ReplicateImage","Resource":"*"}]}`
		}},
		{"too long", "", "would be", func(r *Registry) {
			for i := range 140 {
				r.ReplicationSourceAccounts = append(r.ReplicationSourceAccounts, fmt.Sprintf("1%011d", i))
				r.PullThroughCachePrincipals = append(r.PullThroughCachePrincipals, fmt.Sprintf("arn:aws:iam::123456789012:role/puller-%03d", i))
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := registryBase()
			tc.edit(&r)
			ps := r.Validate(validate.Under("registryPolicy"))
			path := validate.Field("registryPolicy", tc.path)
			_, found := ps.Errors().Find(path, tc.rule)
			assert.True(t, found, "want %s: …%s…, got %v", path, tc.rule, ps)
			_, err := RegistryPolicy(r)
			assert.Error(t, err)
		})
	}
}

func TestRegistryPolicyLengthLimitMatchesECR(t *testing.T) {
	t.Parallel()
	r := registryBase()
	for i := 0; ; i++ {
		r.ReplicationSourceAccounts = append(r.ReplicationSourceAccounts, fmt.Sprintf("1%011d", i))
		doc, err := RegistryPolicy(r)
		if err != nil {
			assert.Contains(t, err.Error(), "ECR accepts at most 10240")
			return
		}
		require.LessOrEqual(t, len(doc), MaxRegistryPolicyLength)
		require.Less(t, i, 1000, "never reached the limit")
	}
}

func TestRegistryPolicyPartialFieldsCheck(t *testing.T) {
	t.Parallel()
	ps := Registry{ReplicationSourceAccounts: []string{"x"}}.CheckFields(validate.Under("registryPolicy"))
	_, found := ps.Find("registryPolicy.allowReplicationFrom[0]", "12-digit")
	assert.True(t, found)
	assert.True(t, strings.HasPrefix(V1RegistryActions[0], "ecr:"))
}
