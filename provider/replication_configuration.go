package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// ReplicationArgs is the registry's replication configuration (schema type
// Replication): an aws.ecr.ReplicationConfiguration, one per account and
// Region.
type ReplicationArgs struct {
	Regions        []string              `pulumi:"regions,optional"`
	Rules          []ReplicationRuleArgs `pulumi:"rules,optional"`
	RetainOnDelete *bool                 `pulumi:"retainOnDelete,optional"`
}

// ReplicationRuleArgs is one replication rule.
type ReplicationRuleArgs struct {
	Destinations       []ReplicationDestinationArgs `pulumi:"destinations"`
	RepositoryPrefixes []string                     `pulumi:"repositoryPrefixes,optional"`
}

// ReplicationDestinationArgs is one destination registry.
type ReplicationDestinationArgs struct {
	Region     string             `pulumi:"region"`
	RegistryId pulumi.StringInput `pulumi:"registryId,optional"` //nolint:revive // the schema name
}

var (
	_ infer.Annotated = (*ReplicationArgs)(nil)
	_ infer.Annotated = (*ReplicationRuleArgs)(nil)
	_ infer.Annotated = (*ReplicationDestinationArgs)(nil)
)

// describeReplication is the description of RegistryArgs.replication.
const describeReplication = "The registry's replication configuration: which repositories ECR copies to other Regions or accounts " +
	"(images pushed after it is set; deletes and repository or lifecycle policies are not replicated). " +
	"One per account and Region, owned by exactly one Registry (see `ownershipLocks`). Default: none, nothing is created. " +
	"Removing it, or destroying the stack, makes ECR replicate nothing from this registry any more: the configuration is put back with " +
	"an empty rule list, which stops replication for every repository of the account in this Region, including rules written by other tools " +
	"(set `retainOnDelete` to leave it in place). Cross-account destinations need a registry policy in the destination registry that allows " +
	"`ecr:ReplicateImage` (a Registry there writes it with `registryPolicy.allowReplicationFrom`)."

// Annotate documents the replication settings.
func (a *ReplicationArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "Replication")
	an.Describe(a, "A replication configuration: `regions` (shorthand) and/or `rules`. ECR allows 10 rules (`regions` counts as one) and 25 unique destinations in all.")
	an.Describe(&a.Regions, "Shorthand: replicate exactly the repositories this Registry declares to these Regions of the same account. "+
		"The filters are generated from the repository names as ECR `PREFIX_MATCH` filters, which match every repository whose name *begins* with the filter: "+
		"`team/api` also replicates `team/api-v2` and `team/api/worker` (a name another declared name begins with is dropped, so one filter covers both). "+
		"ECR allows 100 filters per rule. Regions must be known AWS Regions of this registry's partition, not its own Region.")
	an.Describe(&a.Rules, "Replication rules, each with destinations and optional repository name prefixes.")
	an.Describe(&a.RetainOnDelete, "Leave the replication configuration in AWS when it is removed from the program or the stack is destroyed "+
		"(Pulumi stops managing it; its ownership lock is kept too). Default `false`: removal stops replication.")
}

// Annotate documents a replication rule.
func (a *ReplicationRuleArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "ReplicationRule")
	an.Describe(a, "One replication rule: the repositories that match `repositoryPrefixes` are copied to every destination.")
	an.Describe(&a.Destinations, "1 to 25 destination registries. A destination may not be this registry itself (same Region and account).")
	an.Describe(&a.RepositoryPrefixes, "Repository name prefixes (ECR `PREFIX_MATCH`, the only filter type: `prod-` matches `prod-api` and `prod-web/x`), "+
		"at most 100, each 2 to 256 characters. Leave it out to replicate every repository of the registry, including those not declared here.")
}

// Annotate documents a replication destination.
func (a *ReplicationDestinationArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "ReplicationDestination")
	an.Describe(a, "A destination registry: a Region and an account.")
	an.Describe(&a.Region, "The destination Region, a known AWS Region of this registry's partition (ECR does not replicate across partitions).")
	an.Describe(&a.RegistryId, "The destination account (12 digits). Default: this registry's account. "+
		"May be an output, e.g. from a stack reference. Another account needs a registry policy allowing this account to replicate.")
}

func (a *ReplicationArgs) toConfig(in *arguments) *config.Replication {
	if a == nil {
		return nil
	}
	c := &config.Replication{Regions: a.Regions, RetainOnDelete: a.RetainOnDelete}
	for _, rule := range a.Rules {
		cr := config.ReplicationRule{RepositoryPrefixes: rule.RepositoryPrefixes}
		for _, d := range rule.Destinations {
			cr.Destinations = append(cr.Destinations, config.ReplicationDestination{Region: d.Region, RegistryID: in.text(d.RegistryId)})
		}
		c.Rules = append(c.Rules, cr)
	}
	return c
}

func init() {
	afterRepositories = append(afterRepositories, registerReplicationConfiguration)
}

// registerReplicationConfiguration registers the replication configuration
// and its lock.
func registerReplicationConfiguration(r *registration, plan *config.Plan, _ []*repository) error {
	p := plan.Replication
	if p == nil {
		return nil
	}
	lock, err := r.registerLock(singletonReplication, p.RetainOnDelete)
	if err != nil {
		return err
	}
	rules := ecr.ReplicationConfigurationReplicationConfigurationRuleArray{}
	for _, rule := range p.Rules {
		destinations := ecr.ReplicationConfigurationReplicationConfigurationRuleDestinationArray{}
		for _, d := range rule.Destinations {
			destinations = append(destinations, &ecr.ReplicationConfigurationReplicationConfigurationRuleDestinationArgs{
				Region:     pulumi.String(d.Region),
				RegistryId: r.in.input(d.RegistryID),
			})
		}
		filters := ecr.ReplicationConfigurationReplicationConfigurationRuleRepositoryFilterArray{}
		for _, f := range rule.Filters {
			filters = append(filters, &ecr.ReplicationConfigurationReplicationConfigurationRuleRepositoryFilterArgs{
				Filter: pulumi.String(f), FilterType: pulumi.String("PREFIX_MATCH"),
			})
		}
		ruleArgs := &ecr.ReplicationConfigurationReplicationConfigurationRuleArgs{Destinations: destinations}
		if len(filters) > 0 {
			ruleArgs.RepositoryFilters = filters
		}
		rules = append(rules, ruleArgs)
	}
	_, err = ecr.NewReplicationConfiguration(r.ctx, r.childName("replication"), &ecr.ReplicationConfigurationArgs{
		ReplicationConfiguration: &ecr.ReplicationConfigurationReplicationConfigurationArgs{Rules: rules},
	}, r.wideOptions(p.RetainOnDelete, lock)...)
	return err
}
