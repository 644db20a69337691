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
	f.Add("aws", "111111111111,222222222222", "111111111111", "arn:aws:iam::111111111111:role/ci", "o-a1b2c3d4e5", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", "333333333333", "", "", false, false, "", "")
	f.Add("aws-cn", "", "", "arn:aws-cn:iam::111111111111:user/a", "", "", "", "AROAEXAMPLEROLEID1234,arn:aws-cn:iam::111111111111:user/a", "111111111111", true, false, "", "")
	f.Add("", "", "", "", "", "", "", "", "", false, true, `{"Effect":"Allow","Principal":"*","Action":"ecr:ListImages"}`, "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, false, "", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:BatchGetImage"}]}`)
	f.Add("aws", "12", "x", "arn:aws:sts::111111111111:assumed-role/r/s", "o-", "o-/r-", "1", "AROA", "1234", true, true, `{"Effect":1}`, `[]`)
	f.Add("aws", "", "", "", "", "", "", "", "", false, false, `{"Effect":"Deny","Principal":"*","Action":"ecr:PutImage","Condition":{"StringLike":{"k":"<&>\u2028é"}}}`, "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, true, `{"Effect":"Allow","Principal":{"Service":"*"},"Action":"ecr:*"}`, "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, false, `{"Effect":"Allow","NotPrincipal":{"AWS":"111111111111"},"Action":"ecr:*"}`, "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, false, `{"Effect":"Allow","Principal":"*","Action":"ecr:*","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`, "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, true, "", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}`)
	f.Add("aws", "", "", "", "", "", "", "", "", false, true, "", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"}]}`)
	f.Add("aws", "", "", strings.Repeat("arn:aws:iam::111111111111:role/a-very-long-role-name-to-fill-the-policy,", 200), "", "", "", "", "", false, false, "", "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, false, `{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"ecr:BatchGetImage","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"111111111111"}}}`, "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, false, `{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"ecr:BatchGetImage"}`, "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, false, `{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":["ecr:BatchImportLayerAvailability","ecr:Get*"]}`, "")
	f.Add("aws", "", "", "", "", "", "", "", "", false, false, "", `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"ecr:*","Resource":["*"],"NotResource":"x"}]}`)
	f.Add("aws", "111111111111", "", "", "", "", "", "arn:aws:iam::111111111111:root", "111111111111", true, false, "", "")
	f.Add("aws", "", "", "arn:aws:iam::222222222222:role/app", "", "", "", "arn:aws:iam::222222222222:role/app,AIDAEXAMPLEUSERID1234", "111111111111", true, false, "", "")
	f.Fuzz(func(t *testing.T, partition, pull, push, arns, orgs, paths, lambda, allowOnly, registry string, strict, public bool, stmt, pol string) {
		a := Access{
			Partition:              partition,
			PullAccountIDs:         splitList(pull),
			PushAccountIDs:         splitList(push),
			PullPrincipalArns:      splitList(arns),
			PushPrincipalArns:      splitList(arns),
			PullOrganizationIDs:    splitList(orgs),
			PushOrganizationIDs:    splitList(orgs),
			PullOrganizationPaths:  splitList(paths),
			LambdaPullAccountIDs:   splitList(lambda),
			AllowOnlyPrincipals:    splitList(allowOnly),
			RegistryID:             registry,
			StrictDeny:             strict,
			AllowAnyAwsAccountPull: public,
			Policy:                 pol,
		}
		if stmt != "" {
			a.PolicyStatements = []string{stmt}
		}
		problems := a.Validate(validate.Under("r")).Errors()
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
		if msg := unsafeDeny(a, text); msg != "" {
			t.Fatalf("%s: %s", msg, text)
		}
		if msg := unsafeGrant(a, text); msg != "" {
			t.Fatalf("%s: %s", msg, text)
		}
	})
}

// unsafeDeny returns why an accepted deny-all-else policy does not hold, or
// "": no DenyOutsideAllowOnlyPrincipals statement, a root ARN among its
// exemptions (it would exempt only the root user), or a strict statement
// without the registry's root.
func unsafeDeny(a Access, text string) string {
	if len(a.AllowOnlyPrincipals) == 0 || a.Policy != "" {
		return ""
	}
	v, _ := parseJSON(text)
	list, _ := statementList(v.(map[string]any)["Statement"])
	found := false
	for _, s := range list {
		arns, _ := stringsOf(conditionValue(s, "ArnNotLike", "aws:PrincipalArn"))
		switch s["Sid"] {
		case SidDenyOutsideAllowOnly:
			found = true
			for _, arn := range arns {
				if strings.HasSuffix(arn, ":root") {
					return "deny-all-else exempts a root ARN"
				}
			}
		case SidDenyChangesOutsideAllowOnly:
			if !contains(arns, accountRoot(partitionOrDefault(a.Partition), a.RegistryID)) {
				return "strict deny without the registry root"
			}
		}
	}
	if !found {
		return "no " + SidDenyOutsideAllowOnly
	}
	return ""
}

func conditionValue(stmt map[string]any, op, key string) any {
	ops, _ := stmt["Condition"].(map[string]any)
	keys, _ := ops[op].(map[string]any)
	return keys[key]
}

// unsafeGrant returns why an accepted policy grants more than its settings
// say, or "": an Allow with NotPrincipal, or an Allow to "*" without a
// condition that limits the caller other than AllowAnyAwsAccountPull's own
// statement (or, in a raw policy with the flag, a PullActions-only one), an
// Allow to a service principal without a source condition, or a Resource.
func unsafeGrant(a Access, text string) string {
	v, err := parseJSON(text)
	if err != nil {
		return err.Error()
	}
	list, err := statementList(v.(map[string]any)["Statement"])
	if err != nil {
		return err.Error()
	}
	for _, s := range list {
		if s["Effect"] != "Allow" {
			continue
		}
		if _, ok := s["NotPrincipal"]; ok {
			return "Allow with NotPrincipal"
		}
		if len(servicePrincipals(s["Principal"])) > 0 && !conditionLimits(s["Condition"], sourceKeys) {
			return "Allow to a service principal without aws:SourceAccount or aws:SourceArn"
		}
		if _, ok := s["Resource"]; ok {
			return "a Resource element in a repository policy"
		}
		if !isEveryone(s["Principal"]) || conditionLimits(s["Condition"], callerLimitingKeys) {
			continue
		}
		if a.AllowAnyAwsAccountPull && onlyPullActions(s) && (s["Sid"] == SidAllowAnyAwsAccountPull || a.Policy != "") {
			continue
		}
		return "unconditioned Allow to \"*\""
	}
	return ""
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
