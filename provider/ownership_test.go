package provider

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var toUsEast1 = &ReplicationArgs{Rules: []ReplicationRuleArgs{{Destinations: []ReplicationDestinationArgs{{Region: "us-east-1"}}}}}

// Two Registries of one program in one account and Region: the second to
// claim a singleton fails, naming the setting and both Registries, and
// registers no AWS resource.
func TestSecondOwnerInTheProgramIsRefused(t *testing.T) {
	t.Parallel()
	r := runProgram(t, func(ctx *pulumi.Context) ([]*Registry, error) {
		first, err := NewRegistry(ctx, "platform", RegistryArgs{Replication: toUsEast1, Scanning: &ScanningArgs{}})
		if err != nil {
			return nil, err
		}
		_, err = NewRegistry(ctx, "team", RegistryArgs{
			Repositories: repos("team/api", RepositoryArgs{}),
			Replication:  toUsEast1,
			Scanning:     &ScanningArgs{},
		})
		return []*Registry{first}, err
	})
	require.Error(t, r.err)
	msg := r.err.Error()
	assert.Contains(t, msg, `invalid arguments for Registry "team"`)
	assert.Contains(t, msg, `replication: the replication configuration of account 123456789012 in Region eu-west-1 is already owned by Registry "platform" of this program, so Registry "team" cannot own it too`)
	assert.Contains(t, msg, `scanning: the registry scanning configuration of account 123456789012 in Region eu-west-1 is already owned by Registry "platform"`)
	assert.Contains(t, msg, "a second writer silently replaces the first")
	for _, res := range r.resources {
		assert.False(t, strings.HasPrefix(res.Name, "team/"), "the second claimant registers no AWS resource: %s %s", res.Type, res.Name)
	}
	assert.NotEmpty(t, r.ofType(replicationType), "the first owner is unaffected")
}

// Owning different settings, or the same setting in another Region through
// an explicit aws provider, is fine: each Registry owns its Region's
// settings, and every child uses the Registry's provider.
func TestOneOwnerPerRegionWithExplicitProviders(t *testing.T) {
	t.Parallel()
	r := runProgram(t, func(ctx *pulumi.Context) ([]*Registry, error) {
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return nil, err
		}
		home, err := NewRegistry(ctx, "home", RegistryArgs{Replication: &ReplicationArgs{Rules: []ReplicationRuleArgs{{Destinations: []ReplicationDestinationArgs{{Region: "us-west-2"}}}}},
			RegistryPolicy: &RegistryPolicyArgs{AllowReplicationFrom: strs("111111111111")}})
		if err != nil {
			return nil, err
		}
		away, err := NewRegistry(ctx, "away", RegistryArgs{
			Replication:    toUsEast1,
			RegistryPolicy: &RegistryPolicyArgs{AllowReplicationFrom: strs("111111111111")},
			Scanning:       &ScanningArgs{Rules: []ScanningRuleArgs{{Frequency: "SCAN_ON_PUSH", Filters: []string{"*"}}}},
			PullThroughCache: &PullThroughCacheArgs{Rules: map[string]PullThroughCacheRuleArgs{
				"ecr-public": {Upstream: "ecr-public"},
			}},
		}, pulumi.Providers(west))
		if err != nil {
			return nil, err
		}
		return []*Registry{home, away}, nil
	})
	require.NoError(t, r.err)
	assert.Equal(t, "/ecrrepos/owner/eu-west-1/replication", r.one(t, parameterType, "home/owner/replication").input("name").AsString())
	assert.Equal(t, "/ecrrepos/owner/us-west-2/replication", r.one(t, parameterType, "away/owner/replication").input("name").AsString())
	assert.Equal(t, "/ecrrepos/owner/us-west-2/scanning", r.one(t, parameterType, "away/owner/scanning").input("name").AsString())
	assert.Equal(t, map[string]string{
		"replication":    "/ecrrepos/owner/us-west-2/replication",
		"registryPolicy": "/ecrrepos/owner/us-west-2/registry-policy",
		"scanning":       "/ecrrepos/owner/us-west-2/scanning",
	}, r.outputs["away.ownershipLocks"])
	assert.Contains(t, r.one(t, registryPolType, "away/registry-policy").input("policy").AsString(), "arn:aws:ecr:us-west-2:123456789012:repository/*",
		"the policy names the repositories of the Registry's own Region")
	assert.Equal(t, "123456789012.dkr.ecr.us-west-2.amazonaws.com/ecr-public", r.outputs["away.pullThroughCacheUrls"].(map[string]string)["ecr-public"])
	for _, child := range []struct{ typ, name string }{
		{replicationType, "away/replication"}, {registryPolType, "away/registry-policy"}, {scanningType, "away/scanning"},
		{ptcRuleType, "away/ecr-public"}, {parameterType, "away/owner/replication"},
	} {
		assert.Contains(t, r.provider(child.typ, child.name), "pulumi:providers:aws::west::", "%s uses the Registry's explicit provider", child.name)
	}
	assert.NotContains(t, r.provider(replicationType, "home/replication"), "::west::")
}

func TestSamePullThroughCachePrefixTwiceIsRefused(t *testing.T) {
	t.Parallel()
	rules := &PullThroughCacheArgs{Rules: map[string]PullThroughCacheRuleArgs{"ecr-public": {Upstream: "ecr-public"}}}
	r := runProgram(t, func(ctx *pulumi.Context) ([]*Registry, error) {
		if _, err := NewRegistry(ctx, "a", RegistryArgs{PullThroughCache: rules}); err != nil {
			return nil, err
		}
		_, err := NewRegistry(ctx, "b", RegistryArgs{PullThroughCache: rules})
		return nil, err
	})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `pullThroughCache.rules["ecr-public"]: the pull through cache rule "ecr-public" of account 123456789012 in Region eu-west-1 is already owned by Registry "a"`)
	assert.Contains(t, r.err.Error(), "ECR refuses a second one with the same prefix")
}

// A claim is all or nothing: a Registry refused for one setting claims none
// of the others, so a later Registry may still own them.
func TestARefusedClaimHoldsNothing(t *testing.T) {
	t.Parallel()
	r := runProgram(t, func(ctx *pulumi.Context) ([]*Registry, error) {
		if _, err := NewRegistry(ctx, "a", RegistryArgs{Replication: toUsEast1}); err != nil {
			return nil, err
		}
		if _, err := NewRegistry(ctx, "b", RegistryArgs{Replication: toUsEast1, Scanning: &ScanningArgs{}}); err == nil {
			return nil, assert.AnError
		}
		c, err := NewRegistry(ctx, "c", RegistryArgs{Scanning: &ScanningArgs{}})
		return []*Registry{c}, err
	})
	require.NoError(t, r.err)
	assert.NotEmpty(t, r.one(t, scanningType, "c/scanning"))
}

// When the aws provider does not say its account in time, the claim is made
// when it does, and the registry-wide resources wait for it: the second
// claimant's settings are never registered.
func TestClaimWaitsForAnEnvironmentNotKnownInTime(t *testing.T) {
	t.Parallel()
	r := runProgramWith(t, true, func(ctx *pulumi.Context) ([]*Registry, error) {
		first, err := NewRegistry(ctx, "platform", RegistryArgs{Scanning: &ScanningArgs{}})
		if err != nil {
			return nil, err
		}
		second, err := NewRegistry(ctx, "team", RegistryArgs{Scanning: &ScanningArgs{}})
		return []*Registry{first, second}, err
	})
	require.Error(t, r.err)
	// Which claim resolves first is up to the engine's scheduling: either
	// Registry may be the one refused, and the error names both.
	msg := r.err.Error()
	assert.Contains(t, msg, "scanning: the registry scanning configuration of account  in Region eu-west-1 is already owned by Registry")
	assert.True(t, strings.Contains(msg, `owned by Registry "platform" of this program, so Registry "team" cannot own it too`) ||
		strings.Contains(msg, `owned by Registry "team" of this program, so Registry "platform" cannot own it too`), msg)
	assert.Len(t, r.ofType(scanningType), 1, "only the first owner's configuration is registered: %v", r.names())
	assert.Len(t, r.ofType(parameterType), 1)
}

func TestRegistryWideResourcesCarryTheRegistryTags(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{
		Tags:     pulumi.StringMap{"owner": pulumi.String("platform"), "cost": pulumi.ToSecret(pulumi.String("cc-1")).(pulumi.StringOutput)},
		Scanning: &ScanningArgs{},
		PullThroughCache: &PullThroughCacheArgs{Rules: map[string]PullThroughCacheRuleArgs{
			"az": {Upstream: "azure", AzureRegistryName: ptr("MyRegistry"), Username: pulumi.String("me"), AccessToken: token("t")},
		}},
	}).ok(t)
	for _, res := range []registered{r.one(t, parameterType, "main/owner/scanning"), r.one(t, secretType, "main/az")} {
		assert.Equal(t, "platform", res.input("tags", "owner").AsString(), res.Name)
		assert.True(t, res.input("tags", "cost").Secret(), "a secret tag stays secret")
	}
	assert.Equal(t, "myregistry.azurecr.io", r.one(t, ptcRuleType, "main/az").input("upstreamRegistryUrl").AsString())
}
