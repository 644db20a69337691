package policy

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// FuzzRepositoryPolicy: never panics; when Validate reports nothing, the
// policy is valid JSON of at most MaxRepositoryPolicyLength characters and a
// fixed point of Canonicalize, or the error names the limit.
func FuzzRepositoryPolicy(f *testing.F) {
	f.Add("aws", "111111111111,222222222222", "111111111111", "arn:aws:iam::111111111111:role/ci", "o-a1b2c3d4e5", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", "333333333333", "", false, false, "", "")
	f.Add("aws-cn", "", "", "arn:aws-cn:iam::111111111111:user/a", "", "", "", "AROAEXAMPLEROLEID1234,arn:aws-cn:iam::111111111111:user/a", true, false, "", "")
	f.Add("", "", "", "", "", "", "", "", false, true, `{"Effect":"Allow","Principal":"*","Action":"ecr:ListImages"}`, "")
	f.Add("aws", "", "", "", "", "", "", "", false, false, "", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:BatchGetImage"}]}`)
	f.Add("aws", "12", "x", "arn:aws:sts::111111111111:assumed-role/r/s", "o-", "o-/r-", "1", "AROA", true, true, `{"Effect":1}`, `[]`)
	f.Add("aws", "", "", "", "", "", "", "", false, false, `{"Effect":"Deny","Principal":"*","Action":"ecr:PutImage","Condition":{"StringLike":{"k":"<&>\u2028é"}}}`, "")
	f.Add("aws", "", "", strings.Repeat("arn:aws:iam::111111111111:role/a-very-long-role-name-to-fill-the-policy,", 200), "", "", "", "", false, false, "", "")
	f.Fuzz(func(t *testing.T, partition, pull, push, arns, orgs, paths, lambda, allowOnly string, strict, public bool, stmt, pol string) {
		a := Access{
			Partition:             partition,
			PullAccountIDs:        splitList(pull),
			PushAccountIDs:        splitList(push),
			PullPrincipalArns:     splitList(arns),
			PushPrincipalArns:     splitList(arns),
			PullOrganizationIDs:   splitList(orgs),
			PushOrganizationIDs:   splitList(orgs),
			PullOrganizationPaths: splitList(paths),
			LambdaPullAccountIDs:  splitList(lambda),
			AllowOnlyPrincipals:   splitList(allowOnly),
			StrictDeny:            strict,
			AllowPublicPull:       public,
			Policy:                pol,
		}
		if stmt != "" {
			a.PolicyStatements = []string{stmt}
		}
		problems := a.Validate(validate.Under("r"))
		text, err := RepositoryPolicy(a)
		if len(problems) > 0 {
			if err == nil {
				t.Fatalf("Validate reported %v but RepositoryPolicy returned %q", problems, text)
			}
			return
		}
		if err != nil {
			t.Fatalf("Validate reported nothing but RepositoryPolicy failed: %v", err)
		}
		if a.Empty() {
			if text != "" {
				t.Fatalf("empty access produced %q", text)
			}
			return
		}
		if !json.Valid([]byte(text)) {
			t.Fatalf("invalid JSON: %q", text)
		}
		if n := utf8.RuneCountInString(text); n > MaxRepositoryPolicyLength {
			t.Fatalf("policy is %d characters", n)
		}
		again, err := Canonicalize(text)
		if err != nil || again != text {
			t.Fatalf("not a fixed point of Canonicalize: %v\n%s\n%s", err, text, again)
		}
		if strings.Contains(text, AuthorizationTokenAction) {
			t.Fatalf("policy grants %s: %s", AuthorizationTokenAction, text)
		}
	})
}

// FuzzCanonicalize: never panics, and its output is a fixed point.
func FuzzCanonicalize(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"AWS":["111111111111","arn:aws:iam::1:root"]},"Action":["ecr:B","ecr:A"],"Condition":{"Bool":{"x":true}}}]}`)
	f.Add(`{"Statement":{"Principal":"*","X":[1,{"b":2,"a":null}]}}`)
	f.Add(`[]`)
	f.Add(`{"Statement":[{"Condition":{"N":{"k":[1e400, -0.0]}}}]}`)
	f.Fuzz(func(t *testing.T, in string) {
		out, err := Canonicalize(in)
		if err != nil {
			return
		}
		if !json.Valid([]byte(out)) {
			t.Fatalf("invalid JSON from %q: %q", in, out)
		}
		again, err := Canonicalize(out)
		if err != nil || again != out {
			t.Fatalf("not a fixed point: %v\n%s\n%s", err, out, again)
		}
	})
}
