package config

import (
	"maps"
	"slices"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// RegistryPolicy mirrors `registryPolicy`: the registry's resource policy,
// an account-and-region singleton.
type RegistryPolicy struct {
	Scope                    *string
	AllowReplicationFrom     *List
	AllowPullThroughCacheFor *List
	// Statements are IAM statements as JSON objects.
	Statements     *List
	Policy         *Text
	RetainOnDelete *bool
}

// RegistryPolicyPlan is the resolved registry policy: its document, or the
// deferred values it waits for.
type RegistryPolicyPlan struct {
	Document       Document
	RetainOnDelete bool
}

const registryPolicyPath = "registryPolicy"

func init() {
	registryWide = append(registryWide, resolveRegistryPolicy)
	registryWideFill = append(registryWideFill, func(out *Registry, in Registry, v Values) {
		if in.RegistryPolicy == nil {
			return
		}
		c := *in.RegistryPolicy
		c.AllowReplicationFrom = v.list(c.AllowReplicationFrom)
		c.AllowPullThroughCacheFor = v.list(c.AllowPullThroughCacheFor)
		c.Statements = v.list(c.Statements)
		c.Policy = v.textPtr(c.Policy)
		out.RegistryPolicy = &c
	})
}

func resolveRegistryPolicy(r Registry, env Env, plan *Plan) validate.Problems {
	c := r.RegistryPolicy
	if c == nil {
		return nil
	}
	at := validate.Under(registryPolicyPath)
	p := &RegistryPolicyPlan{RetainOnDelete: deref(c.RetainOnDelete)}
	plan.RegistryPolicy = p

	var refs []Ref
	for _, l := range []*List{c.AllowReplicationFrom, c.AllowPullThroughCacheFor, c.Statements} {
		refs = l.refs(refs)
	}
	if c.Policy != nil && c.Policy.Ref != 0 {
		refs = append(refs, c.Policy.Ref)
	}
	userRefs := sortedRefs(slices.Clone(refs))
	for _, t := range []Text{env.Partition, env.Region, env.AccountID} {
		if t.Ref != 0 {
			refs = append(refs, t.Ref)
		}
	}
	base := policy.Registry{
		Partition:  env.Partition.Value,
		Region:     env.Region.Value,
		RegistryID: env.AccountID.Value,
		Scope:      deref(c.Scope),
	}
	if r.PullThroughCache != nil {
		base.PullThroughCachePrefixes = slices.Sorted(maps.Keys(r.PullThroughCache.Rules))
	}
	if len(refs) > 0 {
		// Check what is known on its own now; the whole document when the
		// outputs resolve.
		// What is known is checked now; the Resource ARNs of the generated
		// statements and the whole document wait for the environment.
		one := policy.Registry{Partition: base.Partition, RegistryID: base.RegistryID, Scope: base.Scope}
		if items, known := c.AllowReplicationFrom.strings(); known {
			one.ReplicationSourceAccounts = items
		}
		statements, statementsKnown := c.Statements.strings()
		policyKnown := c.Policy == nil || c.Policy.IsKnown()
		if !env.Partition.IsKnown() {
			// Not known yet: assume the partition the arguments' own ARNs
			// name, so only ARNs of mixed partitions are refused now.
			var texts []string
			if statementsKnown {
				texts = append(texts, statements...)
			}
			if c.Policy != nil && c.Policy.IsKnown() {
				texts = append(texts, c.Policy.Value)
			}
			if items, known := c.AllowPullThroughCacheFor.strings(); known {
				texts = append(texts, items...)
			}
			one.Partition = partitionNamedIn(texts)
		}
		if items, known := c.AllowPullThroughCacheFor.strings(); known {
			one.PullThroughCachePrincipals = items
		}
		if statementsKnown && policyKnown && len(userRefs) == 0 {
			one.Statements = statements
			if c.Policy != nil {
				one.Policy = c.Policy.Value
			}
		}
		ps := one.CheckFields(at)
		p.Document = Document{Refs: sortedRefs(refs)}
		plan.Refs = append(plan.Refs, userRefs...)
		return ps
	}

	a := base
	a.ReplicationSourceAccounts, _ = c.AllowReplicationFrom.strings()
	a.PullThroughCachePrincipals, _ = c.AllowPullThroughCacheFor.strings()
	a.Statements, _ = c.Statements.strings()
	if c.Policy != nil {
		a.Policy = c.Policy.Value
		if a.Policy == "" {
			var ps validate.Problems
			ps.Addf(at("policy"), "is empty; give a policy document or remove policy")
			return ps
		}
	}
	ps := a.Validate(at)
	if len(ps.Errors()) > 0 {
		return ps
	}
	doc, err := policy.RegistryPolicy(a)
	if err != nil {
		ps.Addf(registryPolicyPath, "%v", err)
		return ps
	}
	p.Document = Document{JSON: doc}
	return ps
}

// ResolveRegistryPolicy resolves the registry policy again once its deferred
// values have resolved: the same rules, the same wording.
func ResolveRegistryPolicy(r Registry, env Env) (*RegistryPolicyPlan, validate.Problems) {
	plan := &Plan{}
	ps := resolveRegistryPolicy(r, env, plan)
	return plan.RegistryPolicy, ps
}

// partitionNamedIn is the partition of the first ARN in texts, or aws.
func partitionNamedIn(texts []string) string {
	for _, t := range texts {
		if m := arnPartitionRe.FindStringSubmatch(t); m != nil {
			return m[1]
		}
	}
	return policy.DefaultPartition
}
