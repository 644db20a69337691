package provider

import (
	"encoding/json"

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
	PolicyStatements       []map[string]any        `pulumi:"policyStatements,optional"`
	Policy                 pulumi.StringInput      `pulumi:"policy,optional"`
}

var _ infer.Annotated = (*AccessArgs)(nil)

// Annotate documents the access settings.
func (r *AccessArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Access")
	a.Describe(r, "Who may pull and push a repository: the settings its repository policy is generated from. "+
		"Each field set on a repository replaces the same field of `defaults.access`.")
	a.Describe(&r.PullAccountIds, "12-digit AWS account IDs whose principals may pull (granted to `arn:<partition>:iam::<id>:root`).")
	a.Describe(&r.PushAccountIds, "12-digit AWS account IDs whose principals may push and pull.")
	a.Describe(&r.PullPrincipalArns, "IAM role or user ARNs that may pull. Accepts outputs, e.g. the ARN of a role created in the same program; "+
		"the policy is applied after the role exists. Use the role ARN, not an assumed-role session ARN.")
	a.Describe(&r.PushPrincipalArns, "IAM role or user ARNs that may push and pull. Accepts outputs.")
	a.Describe(&r.PullOrganizationIds, "AWS Organizations IDs (`o-…`) whose accounts may pull (condition `aws:PrincipalOrgID`).")
	a.Describe(&r.PushOrganizationIds, "AWS Organizations IDs (`o-…`) whose accounts may push and pull (condition `aws:PrincipalOrgID`): "+
		"every principal of every account in the organization, subject to its own IAM policy. Prefer principals or OU paths.")
	a.Describe(&r.PullOrganizationPaths, "Organization paths (`o-abc…/r-ab12/ou-ab12-xyz…/*`) whose accounts may pull (condition `aws:PrincipalOrgPaths`).")
	a.Describe(&r.LambdaPullAccountIds, "Accounts whose Lambda functions may be created from these images: the account may read the images and "+
		"`lambda.amazonaws.com` may pull for that account's functions (condition `aws:SourceArn`). For functions in the registry's own account, "+
		"list your own account ID too: the component owns the repository policy, so the statement Lambda adds by itself is removed on the next update.")
	a.Describe(&r.AllowOnlyPrincipals, "Principal ARNs or IAM unique IDs (`AROA…`, `AIDA…`): every image action by anyone else is denied "+
		"(deny-all-else). The deploying role must be listed when `strictDeny` is set.")
	a.Describe(&r.StrictDeny, "Also deny repository-policy changes, lifecycle changes and repository deletion to everyone outside `allowOnlyPrincipals`. "+
		"Needs `allowOnlyPrincipals`. Default `false`.")
	a.Describe(&r.AllowAnyAwsAccountPull, "Let any authenticated principal of any AWS account pull (principal `\"*\"`). This is not anonymous access "+
		"(ECR private repositories always need AWS credentials), but IAM Access Analyzer reports such a repository as public; "+
		"use ECR Public to publish images. Default `false`.")
	a.Describe(&r.AllowPublicPull, "Deprecated: the former name of `allowAnyAwsAccountPull`, which says what it does.")
	a.Deprecate(&r.AllowPublicPull, "Use allowAnyAwsAccountPull: it never allowed anonymous pulls, only any authenticated principal of any AWS account.")
	a.Describe(&r.PolicyStatements, "Extra IAM policy statements (JSON objects with `Effect`, `Principal` and `Action`) appended after the generated ones. "+
		"Checked like the generated ones: ECR actions only, no `Resource` other than `\"*\"`, and a principal `\"*\"` only with a condition that limits the caller.")
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
		for i, s := range r.PolicyStatements {
			text, _ := json.Marshal(s) // maps of JSON values always marshal
			a.PolicyStatements.Items[i] = config.Known(string(text))
		}
	}
	return a
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
	}, repo.opts...)
	repo.policy = text
	return err
}

// setGrantOutputs sets the action lists and the ready-to-attach IAM policies
// granting pull or push on every repository of the registry (CDK's grantPull
// / grantPullPush).
func (r *registration) setGrantOutputs(repos []*repository) {
	c := r.comp
	c.PullActions = pulumi.ToStringArray(policy.PullActions).ToStringArrayOutput()
	c.PushActions = pulumi.ToStringArray(policy.PushActions).ToStringArrayOutput()
	if r.env.AccountID.IsKnown() && r.env.Region.IsKnown() && r.env.Partition.IsKnown() {
		arns := make([]string, len(repos))
		for i, repo := range repos {
			arns[i] = r.env.repositoryArnText(repo.plan.Key)
		}
		c.PullPolicyJson = pulumi.String(policy.IdentityPolicy(policy.PullActions, arns)).ToStringOutput()
		c.PushPolicyJson = pulumi.String(policy.IdentityPolicy(policy.PushActions, arns)).ToStringOutput()
		return
	}
	arns := make(pulumi.StringArray, len(repos))
	for i, repo := range repos {
		arns[i] = r.env.repositoryArn(repo.plan.Key)
	}
	all := arns.ToStringArrayOutput()
	c.PullPolicyJson = all.ApplyT(func(a []string) string { return policy.IdentityPolicy(policy.PullActions, a) }).(pulumi.StringOutput)
	c.PushPolicyJson = all.ApplyT(func(a []string) string { return policy.IdentityPolicy(policy.PushActions, a) }).(pulumi.StringOutput)
}
