package policy

import "testing"

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
