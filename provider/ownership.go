package provider

import (
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Owned once, never clobbered.
//
// The replication configuration, the registry policy and the registry
// scanning configuration are one per account and Region, and creating one
// is a Put that silently replaces whatever is there: a second owner gets no
// error, it overwrites the first, and each `up` flips the setting back
// (terraform-provider-aws internal/service/ecr; hashicorp/terraform-provider-aws#42808).
// Two guards make sure exactly one Registry owns each:
//
//  1. In the program: the provider process serves every Registry of a
//     deployment, so a Registry claims each setting for its account and
//     Region (and each pull through cache prefix and creation template
//     prefix, which ECR refuses twice) before anything is registered; a
//     second claimant fails with an error naming the setting and both
//     Registries. When the account or Region is not known yet (a provider
//     whose configuration is an output), the claim is made when they
//     resolve, and every registry-wide resource waits for it.
//  2. Across stacks: a lock, the SSM parameter /ecrrepos/owner/<region>/<setting>,
//     created without overwrite (pulumi-aws v6.83.2's `overwrite` "defaults to
//     false during create operations to avoid overwriting existing
//     resources"); its value names the owning stack and Registry. The
//     singleton depends on its lock, so a second owner in another stack fails
//     at the lock with SSM's ParameterAlreadyExists, naming the setting's
//     parameter, before anything is overwritten.

// singleton is one account-and-region setting a Registry may own.
type singleton struct {
	field string // the argument, and the key of the ownershipLocks output
	lock  string // the last segment of the lock's name
	what  string // what it is, in messages
}

var (
	singletonReplication    = singleton{"replication", "replication", "the replication configuration"}
	singletonRegistryPolicy = singleton{"registryPolicy", "registry-policy", "the registry policy"}
	singletonScanning       = singleton{"scanning", "scanning", "the registry scanning configuration"}
)

// singletonsOf lists the singletons the arguments ask for.
func singletonsOf(cfg config.Registry) []singleton {
	var out []singleton
	if cfg.Replication != nil {
		out = append(out, singletonReplication)
	}
	if cfg.RegistryPolicy != nil {
		out = append(out, singletonRegistryPolicy)
	}
	if cfg.Scanning != nil {
		out = append(out, singletonScanning)
	}
	return out
}

// claim is one thing a Registry owns in its account and Region.
type claim struct {
	key  string // unique per account and Region
	path string // where the arguments ask for it
	what string
	why  string // what a second owner would do
}

const (
	silentOverwrite = "ECR keeps one per account and Region, and a second writer silently replaces the first"
	refusedTwice    = "ECR refuses a second one with the same prefix"
)

// claimsOf lists what the arguments ask this Registry to own.
func claimsOf(cfg config.Registry) []claim {
	var out []claim
	for _, s := range singletonsOf(cfg) {
		out = append(out, claim{key: s.lock, path: s.field, what: s.what, why: silentOverwrite})
	}
	if cfg.PullThroughCache != nil {
		for _, prefix := range slices.Sorted(maps.Keys(cfg.PullThroughCache.Rules)) {
			out = append(out, claim{key: "pull-through-cache/" + prefix, path: validate.Key("pullThroughCache.rules", prefix),
				what: fmt.Sprintf("the pull through cache rule %q", prefix), why: refusedTwice})
		}
	}
	if cfg.CreationTemplates != nil {
		for _, prefix := range slices.Sorted(maps.Keys(cfg.CreationTemplates.Templates)) {
			out = append(out, claim{key: "creation-template/" + prefix, path: validate.Key("creationTemplates.templates", prefix),
				what: fmt.Sprintf("the repository creation template %q", prefix), why: refusedTwice})
		}
	}
	return out
}

// ownerKey identifies a claim: the deployment (one provider process serves
// one), the account, the Region and what is claimed.
type ownerKey struct{ deployment, account, region, claim string }

// owners are the claims of every Registry this process has constructed.
var owners = struct {
	sync.Mutex
	by map[ownerKey]string // the owning Registry's name
}{by: map[ownerKey]string{}}

// claimOwnership claims what the arguments ask this Registry to own in its
// account and Region. With the environment known, a conflict is the
// returned error; otherwise the claim is made when the environment resolves
// and the returned option makes a resource wait for it.
func claimOwnership(ctx *pulumi.Context, name string, cfg config.Registry, env environment) (pulumi.ResourceOption, error) {
	claims := claimsOf(cfg)
	if len(claims) == 0 {
		return nil, nil
	}
	deployment := ctx.Organization() + "/" + ctx.Project() + "/" + ctx.Stack()
	subject := fmt.Sprintf("arguments for Registry %q", name)
	if env.AccountID.IsKnown() && env.Region.IsKnown() {
		return nil, claimAll(deployment, name, env.AccountID.Value, env.Region.Value, claims).Err(subject)
	}
	checked := pulumi.All(env.input(env.AccountID), env.input(env.Region)).ApplyT(func(v []any) ([]pulumi.Resource, error) {
		return nil, claimAll(deployment, name, v[0].(string), v[1].(string), claims).Err(subject)
	}).(pulumi.ResourceArrayOutput)
	return pulumi.DependsOnInputs(checked), nil
}

func claimAll(deployment, registry, account, region string, claims []claim) validate.Problems {
	owners.Lock()
	defer owners.Unlock()
	var ps validate.Problems
	for _, c := range claims {
		key := ownerKey{deployment, account, region, c.key}
		if owner, taken := owners.by[key]; taken && owner != registry {
			ps.Addf(c.path, "%s of account %s in Region %s is already owned by Registry %q of this program, so Registry %q cannot own it too: %s. Keep it in one of the two Registries, or give this one an aws provider for another Region or account",
				c.what, account, region, owner, registry, c.why)
		}
	}
	if len(ps) > 0 {
		return ps // claim nothing unless everything can be claimed
	}
	for _, c := range claims {
		owners.by[ownerKey{deployment, account, region, c.key}] = registry
	}
	return nil
}

// lockName is the name of a singleton's cross-stack lock.
func (r *registration) lockName(s singleton) pulumi.StringInput {
	if r.env.Region.IsKnown() {
		return pulumi.String("/ecrrepos/owner/" + r.env.Region.Value + "/" + s.lock)
	}
	return pulumi.Sprintf("/ecrrepos/owner/%s/%s", r.env.input(r.env.Region), s.lock)
}

// registerLock registers the cross-stack lock of a singleton; the singleton
// passes the returned option, so it is created only once its lock is.
func (r *registration) registerLock(s singleton, retain bool) (pulumi.ResourceOption, error) {
	stack := r.ctx.Organization() + "/" + r.ctx.Project() + "/" + r.ctx.Stack()
	name := r.lockName(s)
	lock, err := ssm.NewParameter(r.ctx, r.childName("owner/"+s.lock), &ssm.ParameterArgs{
		Name:          name,
		Type:          pulumi.String("String"),
		InsecureValue: pulumi.String(fmt.Sprintf("stack %s, Registry %s", stack, r.name)),
		Description: pulumi.String(fmt.Sprintf("ecrrepos ownership lock: %s of this account and Region is owned by Registry %s of stack %s. "+
			"Another stack cannot own it while this parameter exists; delete it only to hand the setting over.", s.what, r.name, stack)),
		Tags: r.registryTags(),
	}, r.wideOptions(retain)...)
	if err != nil {
		return nil, err
	}
	return pulumi.DependsOn([]pulumi.Resource{lock}), nil
}

func init() {
	afterRepositories = append(afterRepositories, setOwnershipOutputs)
}

// setOwnershipOutputs sets ownershipLocks: the lock of each singleton this
// Registry owns, by setting.
func setOwnershipOutputs(r *registration, _ *config.Plan, _ []*repository) error {
	m := pulumi.StringMap{}
	for _, s := range singletonsOf(r.cfg) {
		m[s.field] = r.lockName(s)
	}
	r.comp.OwnershipLocks = m.ToStringMapOutput()
	return nil
}
