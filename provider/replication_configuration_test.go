package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNothingRegistryWideUnlessAsked(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{})}).ok(t)
	for _, typ := range []string{replicationType, scanningType, registryPolType, ptcRuleType, templateType, parameterType, secretType, secretVerType} {
		assert.Empty(t, r.ofType(typ), typ)
	}
	for _, output := range []string{"pullThroughCacheUrls", "pullThroughCacheSecretArns", "ownershipLocks"} {
		assert.Contains(t, r.outputs, "main."+output, "always set")
		assert.Empty(t, r.wideMap(output))
	}
	assert.Equal(t, "", r.outputs["main.registryPolicyJson"], "always set, empty without a registry policy")
}

func TestReplicationShorthandAndRules(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{
		Repositories: map[string]RepositoryArgs{"team/api": {}, "team/api-v2": {}, "team/web": {}},
		Replication: &ReplicationArgs{
			Regions: []string{"us-east-1", "eu-central-1"},
			Rules: []ReplicationRuleArgs{{
				Destinations:       []ReplicationDestinationArgs{{Region: "us-west-2", RegistryId: later("210987654321")}},
				RepositoryPrefixes: []string{"prod-"},
			}},
		},
	}).ok(t)

	config := r.one(t, replicationType, "main/replication")
	rules := config.input("replicationConfiguration", "rules")
	require.Equal(t, 2, rules.AsArray().Len())
	assert.Equal(t, "us-east-1", config.input("replicationConfiguration", "rules", "0", "destinations", "0", "region").AsString())
	assert.Equal(t, testAccount, config.input("replicationConfiguration", "rules", "0", "destinations", "0", "registryId").AsString(), "this account by default")
	assert.Equal(t, "eu-central-1", config.input("replicationConfiguration", "rules", "0", "destinations", "1", "region").AsString())
	var filters []string
	for _, f := range config.input("replicationConfiguration", "rules", "0", "repositoryFilters").AsArray().AsSlice() {
		filters = append(filters, f.AsMap().Get("filter").AsString())
		assert.Equal(t, "PREFIX_MATCH", f.AsMap().Get("filterType").AsString())
	}
	assert.Equal(t, []string{"team/api", "team/web"}, filters, "team/api-v2 is matched by the PREFIX_MATCH filter team/api")
	assert.Equal(t, "210987654321", config.input("replicationConfiguration", "rules", "1", "destinations", "0", "registryId").AsString(), "an output reaches the rule")
	assert.Equal(t, "prod-", config.input("replicationConfiguration", "rules", "1", "repositoryFilters", "0", "filter").AsString())

	// Owned once: the lock first, then the configuration; the registry is the parent.
	lock := r.one(t, parameterType, "main/owner/replication")
	assert.Equal(t, "/ecrrepos/owner/eu-west-1/replication", lock.input("name").AsString())
	assert.Equal(t, "String", lock.input("type").AsString())
	assert.Contains(t, lock.input("insecureValue").AsString(), "Registry main")
	assert.Contains(t, lock.input("insecureValue").AsString(), "/project/")
	assert.False(t, has(lock.input(), "overwrite"), "created without overwrite: a lock another stack holds fails the create")
	assert.True(t, dependsOn(config, parameterType, "main/owner/replication"), "%v", config.Dependencies)
	assert.Contains(t, r.request(t, replicationType, "main/replication").GetParent(), "ecrrepos:index:Registry::main")
	assert.Contains(t, r.request(t, parameterType, "main/owner/replication").GetParent(), "ecrrepos:index:Registry::main")
	assert.False(t, config.RetainOnDelete)
	assert.Equal(t, map[string]string{"replication": "/ecrrepos/owner/eu-west-1/replication"}, r.wideMap("ownershipLocks"))
}

func TestReplicationRetainOnDeleteKeepsTheLockToo(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{Replication: &ReplicationArgs{
		Rules:          []ReplicationRuleArgs{{Destinations: []ReplicationDestinationArgs{{Region: "us-east-1"}}}},
		RetainOnDelete: ptr(true),
	}}).ok(t)
	assert.True(t, r.one(t, replicationType, "main/replication").RetainOnDelete)
	assert.True(t, r.one(t, parameterType, "main/owner/replication").RetainOnDelete)
	assert.False(t, has(r.one(t, replicationType, "main/replication").input("replicationConfiguration", "rules", "0"), "repositoryFilters"),
		"a rule without prefixes replicates every repository")
}

func TestReplicationRefusedBeforeAnythingIsRegistered(t *testing.T) {
	t.Parallel()
	runWide(t, RegistryArgs{Replication: &ReplicationArgs{Regions: []string{"us-east-1"}}}).rejected(t,
		"replication.regions: replicates the repositories this Registry declares, and it declares none")
	runWide(t, RegistryArgs{Replication: &ReplicationArgs{Rules: []ReplicationRuleArgs{{Destinations: []ReplicationDestinationArgs{{Region: "us-est-1"}}}}}}).rejected(t,
		"replication.rules[0].destinations[0].region", "did you mean us-east-1?")
}

// A destination account that arrives as an output is checked when it
// resolves, and nothing registry-wide is created when it fails.
func TestReplicationOutputRegistryIDIsChecked(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{Replication: &ReplicationArgs{Rules: []ReplicationRuleArgs{{
		Destinations: []ReplicationDestinationArgs{{Region: "us-east-1", RegistryId: pulumi.StringInput(later("not-an-account"))}},
	}}}})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), "replication.rules[0].destinations[0].registryId: must be a 12-digit AWS account ID")
	assert.Empty(t, r.ofType(replicationType))
	assert.Empty(t, r.ofType(parameterType), "the lock waits for the check too")
}
