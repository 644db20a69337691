package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Replication mirrors `replication`: the registry's replication
// configuration, an account-and-region singleton.
type Replication struct {
	// Regions is the shorthand: replicate this Registry's repositories to
	// these Regions of the same account.
	Regions        []string
	Rules          []ReplicationRule
	RetainOnDelete *bool
}

// ReplicationRule mirrors one `replication.rules` entry.
type ReplicationRule struct {
	Destinations []ReplicationDestination
	// RepositoryPrefixes are PREFIX_MATCH filters; nil replicates every
	// repository of the registry.
	RepositoryPrefixes []string
}

// ReplicationDestination mirrors one destination; RegistryID nil means this
// registry's account.
type ReplicationDestination struct {
	Region     string
	RegistryID *Text
}

// ECR's replication limits (ECR API reference, PutReplicationConfiguration;
// Amazon ECR service quotas: "Rules per replication configuration" 10,
// "Unique destinations across all rules" 25, "Filters per replication rule"
// 100, none adjustable).
const (
	MaxReplicationRules        = 10
	MaxReplicationDestinations = 25
	MaxReplicationFilters      = 100
)

// replicationFilterRe is the API's RepositoryFilterValue pattern (2 to 256
// characters): a repository name prefix, which may end in a partial segment.
var replicationFilterRe = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$`)

// ReplicationPlan is the resolved replication configuration.
type ReplicationPlan struct {
	Rules          []ReplicationRulePlan
	RetainOnDelete bool
	Refs           []Ref
}

// ReplicationRulePlan is one rule: its destinations and its PREFIX_MATCH
// filters (none: every repository).
type ReplicationRulePlan struct {
	Destinations []ReplicationDestinationPlan
	Filters      []string
}

// ReplicationDestinationPlan is one destination; RegistryID may be deferred
// (an output, or this account before the aws provider has answered).
type ReplicationDestinationPlan struct {
	Region     string
	RegistryID Text
}

func init() {
	registryWide = append(registryWide, resolveReplication)
	registryWideFill = append(registryWideFill, func(out *Registry, in Registry, v Values) {
		if in.Replication == nil {
			return
		}
		c := *in.Replication
		c.Rules = make([]ReplicationRule, len(in.Replication.Rules))
		for i, rule := range in.Replication.Rules {
			c.Rules[i] = rule
			c.Rules[i].Destinations = make([]ReplicationDestination, len(rule.Destinations))
			for j, d := range rule.Destinations {
				c.Rules[i].Destinations[j] = ReplicationDestination{Region: d.Region, RegistryID: v.textPtr(d.RegistryID)}
			}
		}
		out.Replication = &c
	})
}

func resolveReplication(r Registry, env Env, plan *Plan) validate.Problems {
	c := r.Replication
	if c == nil {
		return nil
	}
	const at = "replication"
	var ps validate.Problems
	p := &ReplicationPlan{RetainOnDelete: deref(c.RetainOnDelete)}
	if len(c.Regions) == 0 && len(c.Rules) == 0 {
		ps.Addf(at, "sets neither regions nor rules, so there is nothing to replicate; remove replication or give it regions or rules")
	}

	// destinations across every rule, for ECR's limit on unique destinations
	unique := map[string]bool{}
	if len(c.Regions) > 0 {
		rule, problems := regionsShorthand(r, env)
		ps.Add(problems...)
		for _, d := range rule.Destinations {
			unique[d.Region+"/"+d.RegistryID.Value] = true
		}
		p.Rules = append(p.Rules, rule)
	}
	for i, rule := range c.Rules {
		path := fmt.Sprintf("%s.rules[%d]", at, i)
		rp, problems := resolveReplicationRule(path, rule, env)
		ps.Add(problems...)
		for _, d := range rp.Destinations {
			unique[d.Region+"/"+d.RegistryID.Value] = true // deferred IDs are counted when they resolve
		}
		for _, d := range rule.Destinations {
			if d.RegistryID != nil && d.RegistryID.Ref != 0 {
				p.Refs = append(p.Refs, d.RegistryID.Ref)
			}
		}
		p.Rules = append(p.Rules, rp)
	}
	if n := len(p.Rules); n > MaxReplicationRules {
		ps.Addf(at+".rules", "ECR allows at most %d replication rules per registry, got %d (regions counts as one rule)", MaxReplicationRules, n)
	}
	if n := len(unique); n > MaxReplicationDestinations {
		ps.Addf(at, "ECR allows at most %d unique destinations across all replication rules, got %d", MaxReplicationDestinations, n)
	}
	p.Refs = sortedRefs(p.Refs)
	plan.Replication = p
	plan.Refs = append(plan.Refs, p.Refs...)
	return ps
}

// regionsShorthand builds the rule of `replication.regions`: every Region,
// this account, filtered to the repositories this Registry declares.
func regionsShorthand(r Registry, env Env) (ReplicationRulePlan, validate.Problems) {
	const at = "replication.regions"
	var ps validate.Problems
	var rule ReplicationRulePlan
	seen := map[string]bool{}
	for i, region := range r.Replication.Regions {
		path := fmt.Sprintf("%s[%d]", at, i)
		ps.Add(checkDestinationRegion(path, region, env)...)
		if seen[region] {
			ps.Addf(path, "lists %s twice", region)
			continue
		}
		seen[region] = true
		if env.Region.IsKnown() && region == env.Region.Value {
			ps.Addf(path, "is this registry's own Region %s: a registry cannot replicate to itself; replicate to other Regions, or to another account with rules", region)
		}
		rule.Destinations = append(rule.Destinations, ReplicationDestinationPlan{Region: region, RegistryID: env.AccountID})
	}
	if len(rule.Destinations) > MaxReplicationDestinations {
		ps.Addf(at, "ECR allows at most %d destinations per replication rule, got %d", MaxReplicationDestinations, len(rule.Destinations))
	}
	names := r.repositoryNames()
	if len(names) == 0 {
		ps.Addf(at, "replicates the repositories this Registry declares, and it declares none; without filters ECR would replicate every repository of the registry, so say so with a rule without repositoryPrefixes")
		return rule, ps
	}
	rule.Filters = prefixCover(names)
	if n := len(rule.Filters); n > MaxReplicationFilters {
		ps.Addf(at, "needs one PREFIX_MATCH filter per repository (%d after dropping names that another name is a prefix of), but ECR allows at most %d filters per rule; use rules with shorter repositoryPrefixes instead", n, MaxReplicationFilters)
	}
	return rule, ps
}

// prefixCover returns the sorted names without those another name is a
// prefix of: ECR's PREFIX_MATCH filter "team/api" already matches
// "team/api-v2" and "team/api/worker".
func prefixCover(sorted []string) []string {
	var out []string
	for _, n := range sorted {
		if len(out) > 0 && strings.HasPrefix(n, out[len(out)-1]) {
			continue
		}
		out = append(out, n)
	}
	return out
}

func resolveReplicationRule(path string, rule ReplicationRule, env Env) (ReplicationRulePlan, validate.Problems) {
	var ps validate.Problems
	rp := ReplicationRulePlan{Filters: rule.RepositoryPrefixes}
	switch n := len(rule.Destinations); {
	case n == 0:
		ps.Addf(path+".destinations", "a replication rule needs at least one destination")
	case n > MaxReplicationDestinations:
		ps.Addf(path+".destinations", "ECR allows at most %d destinations per replication rule, got %d", MaxReplicationDestinations, n)
	}
	seen := map[string]int{}
	for j, d := range rule.Destinations {
		dpath := fmt.Sprintf("%s.destinations[%d]", path, j)
		ps.Add(checkDestinationRegion(dpath+".region", d.Region, env)...)
		registry := env.AccountID
		if d.RegistryID != nil {
			registry = *d.RegistryID
			if registry.IsKnown() {
				ps.Add(validate.AccountID(dpath+".registryId", registry.Value)...)
			}
		}
		if registry.IsKnown() && env.Region.IsKnown() && env.AccountID.IsKnown() &&
			registry.Value == env.AccountID.Value && d.Region == env.Region.Value {
			ps.Addf(dpath, "is this registry itself (account %s, Region %s): a registry cannot replicate to itself", registry.Value, d.Region)
		}
		if registry.IsKnown() {
			key := d.Region + "/" + registry.Value
			if k, dup := seen[key]; dup {
				ps.Addf(dpath, "repeats destinations[%d] (%s in account %s)", k, d.Region, registry.Value)
			}
			seen[key] = j
		}
		rp.Destinations = append(rp.Destinations, ReplicationDestinationPlan{Region: d.Region, RegistryID: registry})
	}
	if rule.RepositoryPrefixes != nil && len(rule.RepositoryPrefixes) == 0 {
		ps.Addf(path+".repositoryPrefixes", "is empty; leave it out to replicate every repository, or list repository name prefixes")
	}
	if n := len(rule.RepositoryPrefixes); n > MaxReplicationFilters {
		ps.Addf(path+".repositoryPrefixes", "ECR allows at most %d filters per replication rule, got %d", MaxReplicationFilters, n)
	}
	for k, f := range rule.RepositoryPrefixes {
		fpath := fmt.Sprintf("%s.repositoryPrefixes[%d]", path, k)
		if n := len(f); n < 2 || n > 256 {
			ps.Addf(fpath, "a replication filter must be 2 to 256 characters long, got %d (%q)", n, f)
		}
		if !replicationFilterRe.MatchString(f) {
			ps.Addf(fpath, "must be the beginning of a repository name (lowercase letters and digits separated by '.', '_', '-' or '/'; ECR pattern %s), got %q", replicationFilterRe, f)
		}
	}
	return rp, ps
}

// checkDestinationRegion checks a Region replication can reach from this
// registry: a known Region of the same partition (ECR does not replicate
// across partitions).
func checkDestinationRegion(path, region string, env Env) validate.Problems {
	ps := validate.Region(path, region)
	if len(ps) > 0 {
		return ps
	}
	if env.Partition.IsKnown() && env.Partition.Value != "" {
		if p := validate.RegionPartition(region); p != env.Partition.Value {
			ps.Addf(path, "%s is in partition %s, but this registry is in %s: ECR does not replicate across partitions", region, p, env.Partition.Value)
		}
	}
	return ps
}
