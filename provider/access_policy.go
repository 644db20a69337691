package provider

import (
	"encoding/json"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// accessList is one list-valued access field of Repository: its schema name,
// where it lives in RepositoryArgs and where it goes in policy.Access. One table
// drives resolution, validation and policy building for all of them.
type accessList struct {
	field string
	get   func(*RepositoryArgs) pulumi.StringArrayInput
	set   func(*policy.Access, []string)
}

var accessLists = []accessList{
	{"pullAccountIds", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.PullAccountIds }, func(a *policy.Access, v []string) { a.PullAccountIDs = v }},
	{"pushAccountIds", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.PushAccountIds }, func(a *policy.Access, v []string) { a.PushAccountIDs = v }},
	{"pullPrincipalArns", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.PullPrincipalArns }, func(a *policy.Access, v []string) { a.PullPrincipalArns = v }},
	{"pushPrincipalArns", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.PushPrincipalArns }, func(a *policy.Access, v []string) { a.PushPrincipalArns = v }},
	{"pullOrganizationIds", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.PullOrganizationIds }, func(a *policy.Access, v []string) { a.PullOrganizationIDs = v }},
	{"pushOrganizationIds", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.PushOrganizationIds }, func(a *policy.Access, v []string) { a.PushOrganizationIDs = v }},
	{"pullOrganizationPaths", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.PullOrganizationPaths }, func(a *policy.Access, v []string) { a.PullOrganizationPaths = v }},
	{"lambdaPullAccountIds", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.LambdaPullAccountIds }, func(a *policy.Access, v []string) { a.LambdaPullAccountIDs = v }},
	{"allowOnlyPrincipals", func(r *RepositoryArgs) pulumi.StringArrayInput { return r.AllowOnlyPrincipals }, func(a *policy.Access, v []string) { a.AllowOnlyPrincipals = v }},
}

// resolvedAccess is one repository's access settings with defaults applied.
// A repository's value replaces the default's (lists are not concatenated).
type resolvedAccess struct {
	path       string
	lists      []pulumi.StringArrayInput // parallel to accessLists; nil = unset
	inherited  map[string]bool           // fields taken from defaults, for error paths
	plain      policy.Access             // the non-list fields
	policyText pulumi.StringInput        // nil = unset
}

func resolveAccess(path string, repo, defaults *RepositoryArgs) resolvedAccess {
	r := resolvedAccess{path: path, lists: make([]pulumi.StringArrayInput, len(accessLists)), inherited: map[string]bool{}}
	// inherit records a field whose value comes from defaults, so its problems
	// are reported at defaults.<field>.
	inherit := func(field string, repoSet, defaultSet bool) {
		if !repoSet && defaultSet {
			r.inherited[field] = true
		}
	}
	for i, l := range accessLists {
		r.lists[i] = l.get(repo)
		if r.lists[i] == nil {
			r.lists[i] = l.get(defaults)
		}
		inherit(l.field, l.get(repo) != nil, l.get(defaults) != nil)
	}
	r.plain.StrictDeny = firstOf(repo.StrictDeny, defaults.StrictDeny, false)
	inherit("strictDeny", repo.StrictDeny != nil, defaults.StrictDeny != nil)
	r.plain.AllowPublicPull = firstOf(repo.AllowPublicPull, defaults.AllowPublicPull, false)
	inherit("allowPublicPull", repo.AllowPublicPull != nil, defaults.AllowPublicPull != nil)

	statements := repo.PolicyStatements
	if statements == nil {
		statements = defaults.PolicyStatements
	}
	inherit("policyStatements", repo.PolicyStatements != nil, defaults.PolicyStatements != nil)
	for _, s := range statements {
		text, _ := json.Marshal(s) // maps of JSON values always marshal
		r.plain.PolicyStatements = append(r.plain.PolicyStatements, string(text))
	}

	r.policyText = repo.Policy
	if r.policyText == nil {
		r.policyText = defaults.Policy
	}
	inherit("policy", repo.Policy != nil, defaults.Policy != nil)
	return r
}

// wanted reports whether the repository gets a RepositoryPolicy: it has some
// access setting. Lists that are outputs count as set; if they resolve empty
// and nothing else is set, building the policy fails with a clear message.
func (r resolvedAccess) wanted() bool {
	for _, l := range r.lists {
		if l == nil {
			continue
		}
		if known, ok := knownStrings(l); !ok || len(known) > 0 {
			return true
		}
	}
	return r.policyText != nil || len(r.plain.PolicyStatements) > 0 || r.plain.StrictDeny || r.plain.AllowPublicPull
}

// check validates what is known now. When every value is known this is the
// full validation; otherwise each known list is checked on its own (syntax),
// and the cross-field rules run when the outputs resolve.
func (r resolvedAccess) check() validate.Problems {
	if !r.wanted() {
		return nil
	}
	a := r.plain
	allKnown := true
	for i, l := range accessLists {
		if r.lists[i] == nil {
			continue
		}
		if v, ok := knownStrings(r.lists[i]); ok {
			l.set(&a, v)
		} else {
			allKnown = false
		}
	}
	if r.policyText != nil {
		if v, ok := knownString(r.policyText); ok {
			a.Policy = v
		} else {
			allKnown = false
		}
	}
	// The partition is known only at deploy time; until then take it from the
	// principals themselves so a GovCloud ARN is not refused at preview.
	a.Partition = partitionOf(a)
	if allKnown {
		return r.relocate(a.Validate(validate.Under(r.path)))
	}
	var problems validate.Problems
	for i, l := range accessLists {
		if v, ok := knownStrings(orEmpty(r.lists[i])); ok && len(v) > 0 {
			one := policy.Access{Partition: a.Partition}
			l.set(&one, v)
			problems.Add(one.Validate(validate.Under(r.path))...)
		}
	}
	return r.relocate(problems)
}

// relocate reports problems of fields inherited from defaults at `defaults.<field>`.
func (r resolvedAccess) relocate(problems validate.Problems) validate.Problems {
	out := make(validate.Problems, 0, len(problems))
	for _, p := range problems {
		rest := strings.TrimPrefix(p.Path, r.path+".")
		field := rest
		if i := strings.IndexAny(rest, ".["); i >= 0 {
			field = rest[:i]
		}
		if rest != p.Path && r.inherited[field] {
			p.Path = "defaults." + rest
		}
		out = append(out, p)
	}
	return out
}

// document is the repository policy text, built when every input has resolved.
func (r resolvedAccess) document(partition pulumi.StringInput) pulumi.StringOutput {
	inputs := []any{partition.ToStringOutput(), orEmptyText(r.policyText)}
	for _, l := range r.lists {
		inputs = append(inputs, orEmpty(l).ToStringArrayOutput())
	}
	return pulumi.All(inputs...).ApplyT(func(values []any) (string, error) {
		a := r.plain
		a.Partition = values[0].(string)
		a.Policy = values[1].(string)
		for i, l := range accessLists {
			if v := values[i+2].([]string); len(v) > 0 {
				l.set(&a, v)
			}
		}
		if a.Empty() {
			var problems validate.Problems
			problems.Addf(r.path, "the access settings resolved to empty lists, so there is no policy to apply; remove them or give them values")
			return "", problems.Err("Registry arguments")
		}
		if err := r.relocate(a.Validate(validate.Under(r.path))).Err("Registry arguments"); err != nil {
			return "", err
		}
		return policy.RepositoryPolicy(a)
	}).(pulumi.StringOutput)
}

// registerRepositoryPolicy registers the RepositoryPolicy of one repository.
func registerRepositoryPolicy(ctx *pulumi.Context, registry string, r resolvedRepository, repository pulumi.StringOutput,
	partition pulumi.StringInput, opts ...pulumi.ResourceOption,
) (pulumi.StringOutput, error) {
	document := r.access.document(partition)
	_, err := ecr.NewRepositoryPolicy(ctx, childName(registry, r.name), &ecr.RepositoryPolicyArgs{
		Repository: repository,
		Policy:     document,
	}, opts...)
	return document, err
}

// identityPolicies are ready-to-attach IAM policies granting pull or push on
// every repository of the registry (CDK's grantPull / grantPush).
func identityPolicies(arns pulumi.StringArray) (pull, push pulumi.StringOutput) {
	all := arns.ToStringArrayOutput()
	pull = all.ApplyT(func(a []string) string { return policy.IdentityPolicy(policy.PullActions, a) }).(pulumi.StringOutput)
	push = all.ApplyT(func(a []string) string { return policy.IdentityPolicy(policy.PushActions, a) }).(pulumi.StringOutput)
	return pull, push
}

// partitionOf guesses the partition from the principals given, for checks made
// before the real partition is known.
func partitionOf(a policy.Access) string {
	for _, list := range [][]string{a.PullPrincipalArns, a.PushPrincipalArns, a.AllowOnlyPrincipals} {
		for _, arn := range list {
			if parts := strings.SplitN(arn, ":", 3); len(parts) == 3 && parts[0] == "arn" {
				return parts[1]
			}
		}
	}
	return policy.DefaultPartition
}

// knownStrings returns the elements of in when all of them are known now.
func knownStrings(in pulumi.StringArrayInput) ([]string, bool) {
	arr, ok := in.(pulumi.StringArray)
	if !ok {
		return nil, false
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		if out[i], ok = knownString(e); !ok {
			return nil, false
		}
	}
	return out, true
}

func orEmpty(in pulumi.StringArrayInput) pulumi.StringArrayInput {
	if in == nil {
		return pulumi.StringArray{}
	}
	return in
}

func orEmptyText(in pulumi.StringInput) pulumi.StringOutput {
	if in == nil {
		return pulumi.String("").ToStringOutput()
	}
	return in.ToStringOutput()
}
