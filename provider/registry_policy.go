package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
)

// RegistryPolicyScope is the account's registry policy scope.
type RegistryPolicyScope string

// TypeDescription describes the enum type in the schema.
func (RegistryPolicyScope) TypeDescription() string {
	return "The account's registry policy scope, which decides which actions a registry policy may name."
}

// Values lists the scopes for the schema.
func (RegistryPolicyScope) Values() []infer.EnumValue[RegistryPolicyScope] {
	return []infer.EnumValue[RegistryPolicyScope]{
		{Name: "V1", Value: policy.ScopeV1, Description: "Only `ecr:ReplicateImage`, `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` may be named; ECR refuses anything else."},
		{Name: "V2", Value: policy.ScopeV2, Description: "Any ECR action may be named and the policy applies to every ECR request (the default scope)."},
	}
}

// RegistryPolicyArgs is the registry's resource policy (schema type
// RegistryPolicy): an aws.ecr.RegistryPolicy, one per account and Region.
type RegistryPolicyArgs struct {
	Scope                    *RegistryPolicyScope    `pulumi:"scope,optional"`
	AllowReplicationFrom     pulumi.StringArrayInput `pulumi:"allowReplicationFrom,optional"`
	AllowPullThroughCacheFor pulumi.StringArrayInput `pulumi:"allowPullThroughCacheFor,optional"`
	Statements               []PolicyStatementArgs   `pulumi:"statements,optional"`
	Policy                   pulumi.StringInput      `pulumi:"policy,optional"`
	RetainOnDelete           *bool                   `pulumi:"retainOnDelete,optional"`
}

var _ infer.Annotated = (*RegistryPolicyArgs)(nil)

// describeRegistryPolicy is the description of RegistryArgs.registryPolicy.
const describeRegistryPolicy = "The registry policy: the private registry's own resource policy, for cross-account replication into this registry, " +
	"pull through cache imports and (under the V2 scope) any ECR permission on its repositories. " +
	"One per account and Region, owned by exactly one Registry (see `ownershipLocks`). Default: none, nothing is created. " +
	"Removing it, or destroying the stack, deletes the registry policy: replication from other accounts into this registry and whatever " +
	"else it granted stop (set `retainOnDelete` to leave it in place)."

// Annotate documents the registry policy settings.
func (a *RegistryPolicyArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "RegistryPolicy")
	an.Describe(a, "The registry policy, generated from `allowReplicationFrom`, `allowPullThroughCacheFor` and `statements`, or given whole as `policy`. "+
		"Canonical JSON (sorted keys and lists, account IDs as root ARNs), at most 10,240 characters.")
	an.Describe(&a.Scope, "The account's registry policy scope (the ECR account setting `REGISTRY_POLICY_SCOPE`), which decides what the policy may say: "+
		"`V2` (default, and AWS's default) or `V1`, under which only `ecr:ReplicateImage`, `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` are accepted. "+
		"The component checks the policy against it; it does not change the account setting.")
	an.Describe(&a.AllowReplicationFrom, "12-digit account IDs allowed to replicate into this registry (`ecr:CreateRepository` and `ecr:ReplicateImage` "+
		"on every repository, statement `AllowReplicationFrom`): set this in the destination account of a cross-account replication.")
	an.Describe(&a.AllowPullThroughCacheFor, "Account IDs or IAM principal ARNs allowed to pull images through this registry's pull through cache rules: "+
		"`ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` on `repository/<prefix>/*` of each rule's prefix (every repository with a ROOT rule or none), "+
		"statement `AllowPullThroughCache`. ECR creates the cache repository on the first pull, which needs both.")
	an.Describe(&a.Statements, "Extra statements after the generated ones, typed like `access.policyStatements` (with `resources`). "+
		"Checked like repository policy statements: ECR actions only (V1: only the three), `Resource` `\"*\"` or this registry's repository ARNs, "+
		"a principal `\"*\"` only with a condition that limits the caller.")
	an.Describe(&a.Policy, "A complete registry policy document (JSON) replacing the generated one; validated and canonicalized the same way. "+
		"May be an output. Not combined with the other fields.")
	an.Describe(&a.RetainOnDelete, "Leave the registry policy in AWS when it is removed from the program or the stack is destroyed "+
		"(Pulumi stops managing it; its ownership lock is kept too). Default `false`: removal deletes the policy.")
}

func (a *RegistryPolicyArgs) toConfig(in *arguments) *config.RegistryPolicy {
	if a == nil {
		return nil
	}
	c := &config.RegistryPolicy{
		Scope:                    (*string)(a.Scope),
		AllowReplicationFrom:     in.list(a.AllowReplicationFrom),
		AllowPullThroughCacheFor: in.list(a.AllowPullThroughCacheFor),
		Policy:                   in.text(a.Policy),
		RetainOnDelete:           a.RetainOnDelete,
	}
	if a.Statements != nil {
		c.Statements = &config.List{Items: make([]config.Text, len(a.Statements))}
		for i := range a.Statements {
			c.Statements.Items[i] = a.Statements[i].toConfig(in)
		}
	}
	return c
}

func init() {
	afterRepositories = append(afterRepositories, registerRegistryPolicy)
}

// registerRegistryPolicy registers the registry policy and its lock, and
// sets registryPolicyJson ("" without one).
func registerRegistryPolicy(r *registration, plan *config.Plan, _ []*repository) error {
	p := plan.RegistryPolicy
	if p == nil {
		r.comp.RegistryPolicyJson = pulumi.String("").ToStringOutput()
		return nil
	}
	var text pulumi.StringInput = pulumi.String(p.Document.JSON)
	if refs := p.Document.Refs; len(refs) > 0 {
		text = r.in.all(refs).ApplyT(func(resolved []any) (string, error) {
			v := valuesOf(refs, resolved)
			again, problems := config.ResolveRegistryPolicy(r.cfg.Fill(v), r.env.Fill(v))
			if err := problems.Err(r.subject); err != nil {
				return "", err
			}
			return again.Document.JSON, nil
		}).(pulumi.StringOutput)
	}
	lock, err := r.registerLock(singletonRegistryPolicy, p.RetainOnDelete)
	if err != nil {
		return err
	}
	_, err = ecr.NewRegistryPolicy(r.ctx, r.childName("registry-policy"), &ecr.RegistryPolicyArgs{Policy: text}, r.wideOptions(p.RetainOnDelete, lock)...)
	r.comp.RegistryPolicyJson = text.ToStringOutput()
	return err
}
