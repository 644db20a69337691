package provider

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
)

// AccessArgs is who may use a repository (schema type Access): it generates
// the repository's aws.ecr.RepositoryPolicy. Every field is inherited from
// `defaults.access` on its own; a repository's value replaces the default's.
type AccessArgs struct {
	PullAccountIds         pulumi.StringArrayInput `pulumi:"pullAccountIds,optional"`
	PushAccountIds         pulumi.StringArrayInput `pulumi:"pushAccountIds,optional"`
	PullPrincipalArns      pulumi.StringArrayInput `pulumi:"pullPrincipalArns,optional"`
	PushPrincipalArns      pulumi.StringArrayInput `pulumi:"pushPrincipalArns,optional"`
	PullOrganizationIds    pulumi.StringArrayInput `pulumi:"pullOrganizationIds,optional"`
	PushOrganizationIds    pulumi.StringArrayInput `pulumi:"pushOrganizationIds,optional"`
	PullOrganizationPaths  pulumi.StringArrayInput `pulumi:"pullOrganizationPaths,optional"`
	LambdaPullAccountIds   pulumi.StringArrayInput `pulumi:"lambdaPullAccountIds,optional"`
	AllowOnlyPrincipals    pulumi.StringArrayInput `pulumi:"allowOnlyPrincipals,optional"`
	StrictDeny             *bool                   `pulumi:"strictDeny,optional"`
	AllowAnyAwsAccountPull *bool                   `pulumi:"allowAnyAwsAccountPull,optional"`
	AllowPublicPull        *bool                   `pulumi:"allowPublicPull,optional"`
	PolicyStatements       []PolicyStatementArgs   `pulumi:"policyStatements,optional"`
	Policy                 pulumi.StringInput      `pulumi:"policy,optional"`
}

var _ infer.Annotated = (*AccessArgs)(nil)

// Annotate documents the access settings.
func (r *AccessArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Access")
	a.Describe(r, "Who may pull and push a repository: the settings its repository policy is generated from. "+
		"Each field set on a repository replaces the same field of `defaults.access`.")
	a.Describe(&r.PullAccountIds, "12-digit AWS account IDs whose principals may pull (granted to `arn:<partition>:iam::<id>:root`).")
	a.Describe(&r.PushAccountIds, "12-digit AWS account IDs whose principals may push and pull (granted to `arn:<partition>:iam::<id>:root`).")
	a.Describe(&r.PullPrincipalArns, "IAM role or user ARNs that may pull. Accepts outputs, e.g. the ARN of a role created in the same program; "+
		"the policy is applied after the role exists. Assumed-role session ARNs are refused (they cause perpetual diffs): use the role ARN.")
	a.Describe(&r.PushPrincipalArns, "IAM role or user ARNs that may push and pull. Accepts outputs, as `pullPrincipalArns` does; assumed-role session ARNs are refused.")
	a.Describe(&r.PullOrganizationIds, "AWS Organizations IDs (`o-…`) whose accounts may pull (condition `aws:PrincipalOrgID`).")
	a.Describe(&r.PushOrganizationIds, "AWS Organizations IDs (`o-…`) whose accounts may push and pull (condition `aws:PrincipalOrgID`): "+
		"every principal of every account in the organization, subject to its own IAM policy. Prefer principals or OU paths.")
	a.Describe(&r.PullOrganizationPaths, "Organization paths (`o-abc…/r-ab12/ou-ab12-xyz…/*`) whose accounts may pull (condition `ForAnyValue:StringLike` on `aws:PrincipalOrgPaths`).")
	a.Describe(&r.LambdaPullAccountIds, "Accounts whose Lambda functions may be created from these images: the account may read the images and "+
		"`lambda.amazonaws.com` may pull for that account's functions (condition `aws:SourceArn` = `arn:<partition>:lambda:*:<id>:function:*`), as AWS documents for container images. "+
		"For functions in the registry's own account, list your own account ID too: the component owns the whole repository policy, so the statement Lambda adds by itself "+
		"is removed on the next update and the function fails when Lambda next optimizes the image.")
	a.Describe(&r.AllowOnlyPrincipals, "Role or user ARNs, or IAM unique IDs (`AROA…`, `AIDA…`): every image action (pull, push, delete, list, describe, scan, archive) "+
		"by anyone else is denied (Gruntwork's deny-all-else). AWS service principals and the registry account's service-linked roles "+
		"(Amazon Inspector enhanced scanning, replication) stay exempt. An account root ARN is refused: `aws:PrincipalArn` matches only the root user, "+
		"so it would deny every role of that account. The deploying role must be listed when `strictDeny` is set.")
	a.Describe(&r.StrictDeny, "Also deny `SetRepositoryPolicy`, `DeleteRepositoryPolicy`, `DeleteRepository`, lifecycle, mutability, scanning and tag changes "+
		"to everyone outside `allowOnlyPrincipals` (include the deploying role, or ECR refuses the policy as a lock-out). "+
		"The registry account's root user always keeps the right to change or delete the policy (break-glass). "+
		"Needs `allowOnlyPrincipals` with at least one ARN. Default `false`.")
	a.Describe(&r.AllowAnyAwsAccountPull, "Let any authenticated principal of any AWS account pull (principal `\"*\"`). This is not anonymous access "+
		"(ECR private repositories always need AWS credentials), but IAM Access Analyzer reports such a repository as public; "+
		"use ECR Public to publish images. `allowPublicPull` is its deprecated former name. Default `false`.")
	a.Describe(&r.AllowPublicPull, "Deprecated: the former name of `allowAnyAwsAccountPull`, which says what it does. Default `false`; "+
		"set both and they must agree.")
	a.Deprecate(&r.AllowPublicPull, "Use allowAnyAwsAccountPull: it never allowed anonymous pulls, only any authenticated principal of any AWS account.")
	a.Describe(&r.PolicyStatements, "Extra statements appended after the generated ones, typed like `aws.iam.getPolicyDocument`'s: `sid`, `effect`, "+
		"`principals` (`aws`, `service`), `actions` or `notActions`, `conditions` (`test`, `variable`, `values`). "+
		"Checked like the generated ones: ECR actions only, and a principal `\"*\"` only with a condition that limits the caller. "+
		"Principal ARNs and condition values may be outputs (a role created in the same program): the statement is checked when they resolve.")
	a.Describe(&r.Policy, "A complete repository policy document (JSON) that replaces the generated one; it is validated and canonicalized. "+
		"May be an output, e.g. from `aws.iam.getPolicyDocument`. Not combined with the other access fields.")
}

func (r *AccessArgs) toConfig(in *arguments) *config.Access {
	a := &config.Access{
		PullAccountIds:         in.list(r.PullAccountIds),
		PushAccountIds:         in.list(r.PushAccountIds),
		PullPrincipalArns:      in.list(r.PullPrincipalArns),
		PushPrincipalArns:      in.list(r.PushPrincipalArns),
		PullOrganizationIds:    in.list(r.PullOrganizationIds),
		PushOrganizationIds:    in.list(r.PushOrganizationIds),
		PullOrganizationPaths:  in.list(r.PullOrganizationPaths),
		LambdaPullAccountIds:   in.list(r.LambdaPullAccountIds),
		AllowOnlyPrincipals:    in.list(r.AllowOnlyPrincipals),
		StrictDeny:             r.StrictDeny,
		AllowAnyAwsAccountPull: r.AllowAnyAwsAccountPull,
		AllowPublicPull:        r.AllowPublicPull,
		Policy:                 in.text(r.Policy),
	}
	if r.PolicyStatements != nil {
		a.PolicyStatements = &config.List{Items: make([]config.Text, len(r.PolicyStatements))}
		for i := range r.PolicyStatements {
			a.PolicyStatements.Items[i] = r.PolicyStatements[i].toConfig(in)
		}
	}
	return a
}

// PolicyEffect is a statement's effect.
type PolicyEffect string

// TypeDescription describes the enum type in the schema.
func (PolicyEffect) TypeDescription() string {
	return "Whether a policy statement grants or denies its actions."
}

// Values lists the effects for the schema.
func (PolicyEffect) Values() []infer.EnumValue[PolicyEffect] {
	return []infer.EnumValue[PolicyEffect]{
		{Name: "Allow", Value: "Allow", Description: "Grant the actions."},
		{Name: "Deny", Value: "Deny", Description: "Deny the actions, whatever else grants them."},
	}
}

// PolicyStatementArgs is one extra statement of a repository policy (schema
// type PolicyStatement), in the shape of aws.iam.getPolicyDocument's.
type PolicyStatementArgs struct {
	Sid        *string               `pulumi:"sid,optional"`
	Effect     *PolicyEffect         `pulumi:"effect,optional"`
	Principals *PolicyPrincipalsArgs `pulumi:"principals,optional"`
	Actions    []string              `pulumi:"actions,optional"`
	NotActions []string              `pulumi:"notActions,optional"`
	Resources  []string              `pulumi:"resources,optional"`
	Conditions []PolicyConditionArgs `pulumi:"conditions,optional"`
}

var _ infer.Annotated = (*PolicyStatementArgs)(nil)

// Annotate documents a statement.
func (r *PolicyStatementArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "PolicyStatement")
	a.Describe(r, "One repository-policy statement. Messages about it use IAM's JSON names (`Principal.AWS`, `Action`, `Condition`).")
	a.Describe(&r.Sid, "A statement ID, unique in the policy; the generated statements' IDs (`AllowPull`, …) are taken.")
	a.Describe(&r.Effect, "`Allow` (default) or `Deny`.")
	a.Describe(&r.Principals, "Who the statement applies to. A repository policy is a resource policy: every statement names its principals.")
	a.Describe(&r.Actions, "ECR actions (`ecr:BatchGetImage`; wildcards such as `ecr:Describe*` must match a known action).")
	a.Describe(&r.NotActions, "Every ECR action except these; not combined with `actions`.")
	a.Describe(&r.Resources, "The resources, for a registry policy: `\"*\"` or this registry's repository ARNs. "+
		"A repository policy applies to its repository, so there only `\"*\"` (or nothing) is accepted.")
	a.Describe(&r.Conditions, "Conditions, all of which must hold.")
}

// PolicyPrincipalsArgs names a statement's principals (schema type PolicyPrincipals).
type PolicyPrincipalsArgs struct {
	Aws     pulumi.StringArrayInput `pulumi:"aws,optional"`
	Service []string                `pulumi:"service,optional"`
}

var _ infer.Annotated = (*PolicyPrincipalsArgs)(nil)

// Annotate documents the principals.
func (r *PolicyPrincipalsArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "PolicyPrincipals")
	a.Describe(r, "A statement's principals.")
	a.Describe(&r.Aws, "IAM role or user ARNs, account IDs, or `\"*\"` (any principal: then a condition must limit the caller). Accepts outputs.")
	a.Describe(&r.Service, "AWS service principals such as `codebuild.amazonaws.com`; an `Allow` needs an `aws:SourceAccount` or `aws:SourceArn` condition (confused deputy).")
}

// PolicyConditionArgs is one condition of a statement (schema type PolicyCondition).
type PolicyConditionArgs struct {
	Test     string                  `pulumi:"test"`
	Variable string                  `pulumi:"variable"`
	Values   pulumi.StringArrayInput `pulumi:"values"`
}

var _ infer.Annotated = (*PolicyConditionArgs)(nil)

// Annotate documents a condition.
func (r *PolicyConditionArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "PolicyCondition")
	a.Describe(r, "One condition: `test` applied to the context key `variable` and `values`.")
	a.Describe(&r.Test, "The condition operator, e.g. `StringEquals`, `ArnLike`, `ForAnyValue:StringLike`.")
	a.Describe(&r.Variable, "The context key, e.g. `aws:PrincipalOrgID`, `aws:SourceAccount`.")
	a.Describe(&r.Values, "The values to compare with; may be outputs.")
}

// toConfig is the statement as IAM JSON: known when every value in it is,
// otherwise deferred until they resolve (and checked then).
func (r *PolicyStatementArgs) toConfig(in *arguments) config.Text {
	var outputs []pulumi.Input
	collect := func(l pulumi.StringArrayInput) {
		if l != nil {
			outputs = append(outputs, l)
		}
	}
	if r.Principals != nil {
		collect(r.Principals.Aws)
	}
	for _, c := range r.Conditions {
		collect(c.Values)
	}
	known := true
	for _, o := range outputs {
		if _, ok := knownStrings(o.(pulumi.StringArrayInput)); !ok {
			known = false
		}
	}
	if known {
		return config.Known(r.json(func(l pulumi.StringArrayInput) []string { v, _ := knownStrings(l); return v }))
	}
	all := make([]any, len(outputs))
	for i, o := range outputs {
		all[i] = o.(pulumi.StringArrayInput).ToStringArrayOutput()
	}
	text := pulumi.All(all...).ApplyT(func(resolved []any) string {
		next := 0
		return r.json(func(pulumi.StringArrayInput) []string {
			v := resolved[next].([]string)
			next++
			return v
		})
	}).(pulumi.StringOutput)
	return config.Deferred(in.deferred(text))
}

// json writes the statement; values reads each list-valued input, in the
// order toConfig collects them.
func (r *PolicyStatementArgs) json(values func(pulumi.StringArrayInput) []string) string {
	m := map[string]any{"Effect": string(derefOr(r.Effect, "Allow"))}
	if r.Sid != nil {
		m["Sid"] = *r.Sid
	}
	if r.Principals != nil {
		principal := map[string]any{}
		if r.Principals.Aws != nil {
			principal["AWS"] = values(r.Principals.Aws)
		}
		if r.Principals.Service != nil {
			principal["Service"] = r.Principals.Service
		}
		m["Principal"] = principal
	}
	if r.Actions != nil {
		m["Action"] = r.Actions
	}
	if r.NotActions != nil {
		m["NotAction"] = r.NotActions
	}
	if r.Resources != nil {
		m["Resource"] = r.Resources
	}
	if len(r.Conditions) > 0 {
		conditions := map[string]map[string]any{}
		for _, c := range r.Conditions {
			if conditions[c.Test] == nil {
				conditions[c.Test] = map[string]any{}
			}
			vals := []string{}
			if c.Values != nil {
				vals = values(c.Values)
			}
			conditions[c.Test][c.Variable] = vals
		}
		m["Condition"] = conditions
	}
	text, _ := json.Marshal(m) // strings, lists and maps always marshal
	return string(text)
}

// knownStrings returns the items of l when all of them are known now.
func knownStrings(l pulumi.StringArrayInput) ([]string, bool) {
	arr, ok := l.(pulumi.StringArray)
	if !ok {
		return nil, false
	}
	out := make([]string, len(arr))
	for i, e := range arr {
		s, ok := e.(pulumi.String)
		if !ok {
			return nil, false
		}
		out[i] = string(s)
	}
	return out, true
}

// registerRepositoryPolicy registers a repository's aws.ecr.RepositoryPolicy
// when it has access settings. A document whose values are all known is
// plain text; otherwise it is built when they resolve.
func (r *registration) registerRepositoryPolicy(repo *repository) error {
	doc := repo.plan.Policy
	if doc == nil {
		return nil
	}
	var text pulumi.StringInput = pulumi.String(doc.JSON)
	if len(doc.Refs) > 0 {
		refs := doc.Refs
		text = r.in.all(refs).ApplyT(func(resolved []any) (string, error) {
			plan, err := r.resolveRepository(repo.plan.Key, valuesOf(refs, resolved))
			if err != nil {
				return "", err
			}
			return plan.Policy.JSON, nil
		}).(pulumi.StringOutput)
	}
	_, err := ecr.NewRepositoryPolicy(r.ctx, repo.childName, &ecr.RepositoryPolicyArgs{
		Repository: repo.name,
		Policy:     text,
	}, repo.childOptions(r, repositoryPolicyType)...)
	repo.policy = text
	return err
}

// setGrantOutputs sets the action lists and the ready-to-attach IAM policies
// granting pull or push on every repository of the registry (CDK's grantPull
// / grantPullPush), split to fit IAM's managed-policy limit.
func (r *registration) setGrantOutputs(repos []*repository) {
	c := r.comp
	c.PullActions = pulumi.ToStringArray(policy.PullActions).ToStringArrayOutput()
	c.PushActions = pulumi.ToStringArray(policy.PushActions).ToStringArrayOutput()
	single := func(docs []string) string {
		if len(docs) == 1 {
			return docs[0]
		}
		return ""
	}
	if r.env.AccountID.IsKnown() && r.env.Region.IsKnown() && r.env.Partition.IsKnown() {
		arns := make([]string, len(repos))
		for i, repo := range repos {
			arns[i] = r.env.repositoryArnText(repo.plan.Name)
		}
		pull, push := policy.IdentityPolicies(policy.PullActions, arns), policy.IdentityPolicies(policy.PushActions, arns)
		if len(pull) > 1 || len(push) > 1 {
			_ = r.ctx.Log.Warn(fmt.Sprintf("the registry's identity policies need %d (pull) and %d (push) documents to stay within IAM's "+
				"%d-character managed-policy limit: pullPolicyJson and pushPolicyJson are empty, attach each of pullPolicyDocuments / pushPolicyDocuments",
				len(pull), len(push), policy.MaxManagedPolicyLength), &pulumi.LogArgs{Resource: c})
		}
		c.PullPolicyDocuments = pulumi.ToStringArray(pull).ToStringArrayOutput()
		c.PushPolicyDocuments = pulumi.ToStringArray(push).ToStringArrayOutput()
		c.PullPolicyJson = pulumi.String(single(pull)).ToStringOutput()
		c.PushPolicyJson = pulumi.String(single(push)).ToStringOutput()
		return
	}
	arns := make(pulumi.StringArray, len(repos))
	for i, repo := range repos {
		arns[i] = r.env.repositoryArn(repo.plan.Name)
	}
	all := arns.ToStringArrayOutput()
	c.PullPolicyDocuments = all.ApplyT(func(a []string) []string { return policy.IdentityPolicies(policy.PullActions, a) }).(pulumi.StringArrayOutput)
	c.PushPolicyDocuments = all.ApplyT(func(a []string) []string { return policy.IdentityPolicies(policy.PushActions, a) }).(pulumi.StringArrayOutput)
	c.PullPolicyJson = c.PullPolicyDocuments.ApplyT(single).(pulumi.StringOutput)
	c.PushPolicyJson = c.PushPolicyDocuments.ApplyT(single).(pulumi.StringOutput)
}
