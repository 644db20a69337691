package policy

import (
	"fmt"
	"testing"
)

// benchAccess is a realistic repository: two pull accounts, one push role, an
// organization and deny-all-else.
func benchAccess() Access {
	return Access{
		Partition:           "aws",
		PullAccountIDs:      []string{acctA, acctB},
		PushPrincipalArns:   []string{roleA},
		PullOrganizationIDs: []string{orgA},
		AllowOnlyPrincipals: []string{roleA, roleB},
		RegistryID:          acctA,
	}
}

func BenchmarkRepositoryPolicy(b *testing.B) {
	a := benchAccess()
	if _, err := RepositoryPolicy(a); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RepositoryPolicy(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCanonicalize measures parsing, normalizing and encoding alone, on
// the generated policy of benchAccess.
func BenchmarkCanonicalize(b *testing.B) {
	text, err := RepositoryPolicy(benchAccess())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Canonicalize(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIdentityPolicySizes reports, for registries of 1, 100 and 2,000
// repositories, how many identity-policy documents the push grant needs and
// the longest one (IAM's managed-policy limit is 6,144 characters).
func BenchmarkIdentityPolicySizes(b *testing.B) {
	for _, n := range []int{1, 100, 2000} {
		b.Run(fmt.Sprintf("repositories=%d", n), func(b *testing.B) {
			arns := make([]string, n)
			for i := range arns {
				arns[i] = fmt.Sprintf("arn:aws:ecr:eu-west-1:123456789012:repository/team-%04d/service", i)
			}
			var docs []string
			for range b.N {
				docs = IdentityPolicies(PushActions, arns)
			}
			longest := 0
			for _, d := range docs {
				longest = max(longest, len(d))
			}
			b.ReportMetric(float64(len(docs)), "documents")
			b.ReportMetric(float64(longest), "longest-chars")
		})
	}
}
