package provider

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// IdentityPolicy is the function ecrrepos:index:identityPolicy: IAM identity
// policies granting pull or push on chosen repositories (CDK's grantPull /
// grantPullPush on one repository, or any subset), for any language.
type IdentityPolicy struct{}

var _ infer.Annotated = (*IdentityPolicy)(nil)

// Annotate documents the function.
func (f *IdentityPolicy) Annotate(a infer.Annotator) {
	a.SetToken("index", "identityPolicy")
	a.Describe(f, "IAM identity policies that grant pull (or push and pull) on exactly the given repositories, plus "+
		"`ecr:GetAuthorizationToken` (which cannot be scoped to a repository). The grant is split into as few documents as "+
		"needed so each fits IAM's 6,144-character managed-policy limit; attach every one of them.")
}

// GrantAccess is what an identity policy grants.
type GrantAccess string

// TypeDescription describes the enum type in the schema.
func (GrantAccess) TypeDescription() string {
	return "What an identity policy grants on the repositories: pull, or push and pull."
}

// Values lists the grants for the schema.
func (GrantAccess) Values() []infer.EnumValue[GrantAccess] {
	return []infer.EnumValue[GrantAccess]{
		{Name: "Pull", Value: "pull", Description: "Pull images (CDK's grantPull)."},
		{Name: "Push", Value: "push", Description: "Push and pull images (CDK's grantPullPush)."},
	}
}

// IdentityPolicyArgs are the function's inputs.
type IdentityPolicyArgs struct {
	RepositoryArns []string    `pulumi:"repositoryArns"`
	Access         GrantAccess `pulumi:"access"`
}

var _ infer.Annotated = (*IdentityPolicyArgs)(nil)

// Annotate documents the inputs.
func (a *IdentityPolicyArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.RepositoryArns, "The repositories' ARNs, e.g. values of the Registry's `repositoryArns`.")
	an.Describe(&a.Access, "`pull` or `push` (push includes pull).")
}

// IdentityPolicyResult is the policy.
type IdentityPolicyResult struct {
	Documents []string `pulumi:"documents"`
	Actions   []string `pulumi:"actions"`
}

var _ infer.Annotated = (*IdentityPolicyResult)(nil)

// Annotate documents the result.
func (r *IdentityPolicyResult) Annotate(a infer.Annotator) {
	a.Describe(&r.Documents, "The policy documents, each at most 6,144 characters; one unless the repositories are many.")
	a.Describe(&r.Actions, "The ECR actions granted on the repositories.")
}

// Invoke builds the documents.
func (IdentityPolicy) Invoke(_ context.Context, req infer.FunctionRequest[IdentityPolicyArgs]) (infer.FunctionResponse[IdentityPolicyResult], error) {
	out, err := identityPolicies(req.Input)
	return infer.FunctionResponse[IdentityPolicyResult]{Output: out}, err
}

var repositoryArnRe = policy.RepositoryArnPattern

func identityPolicies(in IdentityPolicyArgs) (IdentityPolicyResult, error) {
	var ps validate.Problems
	actions := policy.PullActions
	switch in.Access {
	case "pull":
	case "push":
		actions = policy.PushActions
	default:
		ps.Add(validate.OneOf("access", string(in.Access), "pull", "push")...)
	}
	if len(in.RepositoryArns) == 0 {
		ps.Addf("repositoryArns", "must name at least one repository")
	}
	for i, arn := range in.RepositoryArns {
		if !repositoryArnRe.MatchString(arn) {
			ps.Addf(fmt.Sprintf("repositoryArns[%d]", i), "must be a repository ARN arn:<partition>:ecr:<region>:<account>:repository/<name>, got %q", arn)
		}
	}
	if err := ps.Err("identityPolicy arguments"); err != nil {
		return IdentityPolicyResult{}, err
	}
	return IdentityPolicyResult{Documents: policy.IdentityPolicies(actions, in.RepositoryArns), Actions: actions}, nil
}
