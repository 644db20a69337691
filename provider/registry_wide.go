package provider

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The registry-wide settings (issue #11): each is a nested object of
// RegistryArgs in the file named after the AWS resource it creates
// (replication_configuration.go, pull_through_cache_rule.go,
// registry_scanning_configuration.go, registry_policy.go,
// repository_creation_template.go), resolved by its file in
// internal/config and registered by a step appended to afterRepositories.
// ownership.go makes sure one Registry owns each account-and-Region
// singleton. This file holds what they share.

// describeRegistryWide documents the registry-wide arguments.
func describeRegistryWide(an infer.Annotator, a *RegistryArgs) {
	an.Describe(&a.Replication, describeReplication)
	an.Describe(&a.PullThroughCache, describePullThroughCache)
	an.Describe(&a.Scanning, describeScanning)
	an.Describe(&a.RegistryPolicy, describeRegistryPolicy)
	an.Describe(&a.CreationTemplates, describeCreationTemplates)
}

// describeRegistryWideOutputs documents the registry-wide outputs.
func describeRegistryWideOutputs(a infer.Annotator, r *Registry) {
	a.Describe(&r.PullThroughCacheUrls, "For each pull through cache rule, keyed by its prefix: the pull URL prefix `<registry host>/<prefix>` "+
		"(the registry host for ROOT), so `docker pull <that>/library/nginx` pulls through the cache. Empty without `pullThroughCache`.")
	a.Describe(&r.PullThroughCacheSecretArns, "For each pull through cache rule given `username` and `accessToken`, keyed by its prefix: "+
		"the ARN of the Secrets Manager secret the component created. Empty otherwise.")
	a.Describe(&r.RegistryPolicyJson, "The registry policy JSON applied (canonical), or an empty string without `registryPolicy`.")
	a.Describe(&r.OwnershipLocks, "For each account-and-Region setting this Registry owns (`replication`, `registryPolicy`, `scanning`): the name of its "+
		"ownership lock, the SSM parameter `/ecrrepos/owner/<region>/<setting>` whose value names the owning stack and Registry. "+
		"Another stack's Registry fails while it exists; delete it only to hand the setting over. Empty when it owns none.")
}

// wideOptions are the options of every registry-wide resource: the
// registry as parent (so an explicit aws provider given to the Registry is
// used), the gate of deferred values, the ownership claim, and
// retainOnDelete.
func (r *registration) wideOptions(retain bool, extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{pulumi.Parent(r.comp)}
	for _, o := range []pulumi.ResourceOption{r.gate, r.claims} {
		if o != nil {
			opts = append(opts, o)
		}
	}
	if retain {
		opts = append(opts, pulumi.RetainOnDelete(true))
	}
	return append(opts, extra...)
}

// registryTags are the registry `tags` as an input, for the registry-wide
// resources that take tags (the locks, the pull through cache secrets).
func (r *registration) registryTags() pulumi.StringMapInput {
	m := r.cfg.Tags
	switch {
	case m == nil:
		return nil
	case m.Ref != 0:
		return r.in.output(m.Ref).(pulumi.StringMapOutput)
	}
	out := make(pulumi.StringMap, len(m.Items))
	for k, t := range m.Items {
		out[k] = r.in.input(t)
	}
	return out
}
