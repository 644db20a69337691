package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	awsprovider "github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// hubToken is the Docker Hub token of the scenario: it must reach the
// secret and appear nowhere else in plain text.
const hubToken = "dckr_pat_e2e-NEVER-IN-PLAIN-TEXT"

// ecrTrust lets ECR assume the role of the creation templates.
const ecrTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecr.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// wideSpec is the part of the registry-wide program each step changes.
type wideSpec struct {
	scanFilters     []string
	replicationFrom []string
}

func (s wideSpec) program() pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		role, err := iam.NewRole(ctx, "templates", &iam.RoleArgs{Name: pulumi.String("ecr-templates"), AssumeRolePolicy: pulumi.String(ecrTrust)})
		if err != nil {
			return err
		}
		reg, err := ecrrepos.NewRegistry(ctx, "main", &ecrrepos.RegistryArgs{
			Tags: pulumi.StringMap{"owner": pulumi.String("platform")},
			Repositories: map[string]ecrrepos.RepositoryArgs{
				"team/api": {},
				"team/web": {},
			},
			Replication: &ecrrepos.ReplicationArgs{Regions: []string{"eu-west-1"}},
			PullThroughCache: &ecrrepos.PullThroughCacheArgs{Rules: map[string]ecrrepos.PullThroughCacheRuleArgs{
				"ecr-public": {Upstream: "ecr-public"},
				"hub": {
					Upstream:    "docker-hub",
					Username:    pulumi.String("platform-bot"),
					AccessToken: pulumi.ToSecret(pulumi.String(hubToken)).(pulumi.StringOutput),
				},
			}},
			Scanning: &ecrrepos.ScanningArgs{Rules: []ecrrepos.ScanningRuleArgs{
				{Frequency: ecrrepos.ScanFrequencyScanOnPush, Filters: s.scanFilters},
			}},
			RegistryPolicy: &ecrrepos.RegistryPolicyArgs{
				AllowReplicationFrom:     pulumi.ToStringArray(s.replicationFrom),
				AllowPullThroughCacheFor: pulumi.ToStringArray([]string{"123456789012"}),
			},
			CreationTemplates: &ecrrepos.CreationTemplatesArgs{Templates: map[string]ecrrepos.CreationTemplateArgs{
				"ecr-public": {
					AppliedFor:    []ecrrepos.TemplateAppliedFor{ecrrepos.TemplateAppliedForPullThroughCache},
					CustomRoleArn: role.Arn, // the registry tags need a role
				},
				"ROOT": {
					AppliedFor:      []ecrrepos.TemplateAppliedFor{ecrrepos.TemplateAppliedForReplication},
					InheritDefaults: pulumi.BoolRef(false),
				},
			}},
		})
		if err != nil {
			return err
		}
		ctx.Export("pullThroughCacheUrls", reg.PullThroughCacheUrls)
		ctx.Export("pullThroughCacheSecretArns", reg.PullThroughCacheSecretArns)
		ctx.Export("registryPolicyJson", reg.RegistryPolicyJson)
		ctx.Export("ownershipLocks", reg.OwnershipLocks)
		return nil
	}
}

// TestEndToEndRegistryWideGo runs the registry-wide scenario through the
// real engine: replication, a credentialed pull through cache rule,
// scanning, the registry policy and creation templates are created; a
// second preview changes nothing; an update is made in place; a Registry
// of another stack cannot take a setting over; two Registries of one
// program in two Regions each own their Region's settings; destroy.
func TestEndToEndRegistryWideGo(t *testing.T) {
	env := locateBuild(t)
	ctx := context.Background()
	aws := awsWorld{dir: t.TempDir()}
	spec := wideSpec{scanFilters: []string{"*"}, replicationFrom: []string{"111111111111"}}
	stack := newGoStack(t, env, aws, "ecrrepos-e2e-wide", spec.program())
	apply := func(t *testing.T) (auto.UpResult, []string) {
		t.Helper()
		return upWith(t, stack, aws, spec.program())
	}
	home := func(t *testing.T) *world.Region { t.Helper(); return aws.load(t).Region(region) }

	step(t, "up creates every registry-wide setting, each singleton after its lock", func(t *testing.T) {
		up, ops := apply(t)
		r := home(t)

		require.NotNil(t, r.ReplicationConfiguration)
		rules := r.ReplicationConfiguration.ReplicationConfiguration.Rules
		require.Len(t, rules, 1)
		assert.Equal(t, "eu-west-1", rules[0].Destinations[0].Region)
		assert.Equal(t, world.Account, rules[0].Destinations[0].RegistryID)
		assert.Equal(t, []world.RepositoryFilter{{Filter: "team/api", FilterType: "PREFIX_MATCH"}, {Filter: "team/web", FilterType: "PREFIX_MATCH"}},
			rules[0].RepositoryFilters, "exactly the declared repositories")

		require.NotNil(t, r.RegistryScanningConfiguration)
		assert.Equal(t, "BASIC", r.RegistryScanningConfiguration.ScanType)
		assert.Equal(t, "SCAN_ON_PUSH", r.RegistryScanningConfiguration.Rules[0].ScanFrequency)

		require.NotNil(t, r.RegistryPolicy)
		assert.JSONEq(t, up.Outputs["registryPolicyJson"].Value.(string), r.RegistryPolicy.Policy)
		assert.Contains(t, r.RegistryPolicy.Policy, "arn:aws:iam::111111111111:root")
		assert.Contains(t, r.RegistryPolicy.Policy, "arn:aws:ecr:us-east-1:123456789012:repository/ecr-public/*")

		assert.Equal(t, "public.ecr.aws", r.PullThroughCacheRules["ecr-public"].UpstreamRegistryURL)
		hub := r.PullThroughCacheRules["hub"]
		require.NotNil(t, hub)
		assert.Equal(t, "registry-1.docker.io", hub.UpstreamRegistryURL)
		secret := r.Secret(hub.CredentialARN)
		require.NotNil(t, secret, "the rule uses the secret the component created")
		assert.True(t, strings.HasPrefix(secret.Name, "ecr-pullthroughcache/hub-"), secret.Name)
		var stored map[string]string
		require.NoError(t, json.Unmarshal([]byte(secret.Current().SecretString), &stored))
		assert.Equal(t, map[string]string{"username": "platform-bot", "accessToken": hubToken}, stored)
		assert.Equal(t, map[string]any{"hub": secret.ARN}, up.Outputs["pullThroughCacheSecretArns"].Value)
		assert.Equal(t, map[string]any{
			"ecr-public": "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public",
			"hub":        "123456789012.dkr.ecr.us-east-1.amazonaws.com/hub",
		}, up.Outputs["pullThroughCacheUrls"].Value)

		cache := r.RepositoryCreationTemplates["ecr-public"]
		require.NotNil(t, cache)
		assert.Equal(t, []string{"PULL_THROUGH_CACHE"}, cache.AppliedFors)
		assert.Equal(t, "MUTABLE", cache.ImageTagMutability)
		assert.Equal(t, map[string]string{"owner": "platform"}, cache.ResourceTags)
		assert.Equal(t, "arn:aws:iam::123456789012:role/ecr-templates", cache.CustomRoleARN)
		assert.Contains(t, cache.LifecyclePolicy, `"countNumber":14`)
		root := r.RepositoryCreationTemplates["ROOT"]
		require.NotNil(t, root)
		assert.Equal(t, "IMMUTABLE", root.ImageTagMutability)
		assert.Empty(t, root.ResourceTags)

		locks := map[string]any{
			"replication":    "/ecrrepos/owner/us-east-1/replication",
			"registryPolicy": "/ecrrepos/owner/us-east-1/registry-policy",
			"scanning":       "/ecrrepos/owner/us-east-1/scanning",
		}
		assert.Equal(t, locks, up.Outputs["ownershipLocks"].Value)
		for _, name := range locks {
			p := r.Parameters[name.(string)]
			require.NotNil(t, p, name)
			assert.Equal(t, "stack organization/ecrrepos-e2e-wide/dev, Registry main", p.InsecureValue)
		}
		for singleton, lock := range map[string]string{
			"aws:ecr/replicationConfiguration:ReplicationConfiguration":           "replication",
			"aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration": "scanning",
			"aws:ecr/registryPolicy:RegistryPolicy":                               "registry-policy",
		} {
			created := slices.Index(ops, "create "+singleton+" 123456789012")
			locked := slices.Index(ops, "create aws:ssm/parameter:Parameter /ecrrepos/owner/us-east-1/"+lock)
			require.True(t, created >= 0 && locked >= 0, "%v", ops)
			assert.Less(t, locked, created, "%s is written only after its lock exists", singleton)
		}
	})

	step(t, "the token is never in plain text in the stack's state", func(t *testing.T) {
		// The export the Automation API gives decrypts secrets
		// (--show-secrets): there the token may appear only inside values
		// marked secret.
		deployment, err := stack.Export(ctx)
		require.NoError(t, err)
		var state any
		require.NoError(t, json.Unmarshal(deployment.Deployment, &state))
		assert.Empty(t, plainOccurrences(state, hubToken, false), "the token appears outside a secret value")
		assert.Contains(t, string(deployment.Deployment), hubToken, "it is in the state, as a secret (decrypted by this export)")
		// The state as stored by the backend holds it encrypted only.
		envVars := stack.Workspace().GetEnvVars()
		backend := strings.TrimPrefix(envVars["PULUMI_BACKEND_URL"], "file://")
		found := 0
		require.NoError(t, filepath.WalkDir(backend, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			found++
			assert.NotContains(t, string(data), hubToken, path)
			return nil
		}))
		assert.Positive(t, found, "the backend holds the stack's state files")
	})

	step(t, "a second preview shows no changes", func(t *testing.T) { noChanges(t, stack) })

	step(t, "scanning filters and replication sources update in place", func(t *testing.T) {
		spec.scanFilters = []string{"team/*"}
		spec.replicationFrom = []string{"111111111111", "222222222222"}
		_, ops := apply(t)
		slices.Sort(ops)
		assert.Equal(t, []string{
			"update aws:ecr/registryPolicy:RegistryPolicy 123456789012",
			"update aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration 123456789012",
		}, ops)
		r := home(t)
		assert.Equal(t, "team/*", r.RegistryScanningConfiguration.Rules[0].RepositoryFilters[0].Filter)
		assert.Contains(t, r.RegistryPolicy.Policy, "arn:aws:iam::222222222222:root")
		noChanges(t, stack)
	})

	step(t, "a Registry of another stack cannot take the scanning configuration over", func(t *testing.T) {
		mark := len(aws.journal(t))
		enhanced := ecrrepos.ScanTypeEnhanced
		other := newGoStack(t, env, aws, "ecrrepos-e2e-wide-other", func(ctx *pulumi.Context) error {
			_, err := ecrrepos.NewRegistry(ctx, "other", &ecrrepos.RegistryArgs{
				Scanning: &ecrrepos.ScanningArgs{Type: &enhanced, Rules: []ecrrepos.ScanningRuleArgs{
					{Frequency: ecrrepos.ScanFrequencyContinuousScan, Filters: []string{"*"}},
				}},
			})
			return err
		})
		_, err := other.Up(ctx)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "/ecrrepos/owner/us-east-1/scanning")
		assert.Contains(t, err.Error(), "ParameterAlreadyExists")
		assert.Empty(t, aws.since(t, mark), "nothing was written: the first owner's configuration is intact")
		assert.Equal(t, "BASIC", home(t).RegistryScanningConfiguration.ScanType)
		_, err = other.Destroy(ctx)
		require.NoError(t, err)
		assert.NotNil(t, home(t).Parameters["/ecrrepos/owner/us-east-1/scanning"], "the owner's lock is untouched")
	})

	step(t, "two Registries in two Regions each own their Region's settings", func(t *testing.T) {
		regions := newGoStack(t, env, aws, "ecrrepos-e2e-wide-regions", func(ctx *pulumi.Context) error {
			for _, name := range []string{"us-west-2", "eu-central-1"} {
				provider, err := awsprovider.NewProvider(ctx, name, &awsprovider.ProviderArgs{Region: pulumi.String(name)})
				if err != nil {
					return err
				}
				reg, err := ecrrepos.NewRegistry(ctx, name, &ecrrepos.RegistryArgs{
					Repositories: map[string]ecrrepos.RepositoryArgs{"app": {}},
					Scanning: &ecrrepos.ScanningArgs{Rules: []ecrrepos.ScanningRuleArgs{
						{Frequency: ecrrepos.ScanFrequencyScanOnPush, Filters: []string{"app"}},
					}},
					RegistryPolicy: &ecrrepos.RegistryPolicyArgs{AllowReplicationFrom: pulumi.ToStringArray([]string{"111111111111"})},
				}, pulumi.Providers(provider))
				if err != nil {
					return err
				}
				ctx.Export(name, reg.OwnershipLocks)
			}
			return nil
		})
		up, err := regions.Up(ctx)
		require.NoError(t, err)
		w := aws.load(t)
		for _, name := range []string{"us-west-2", "eu-central-1"} {
			r := w.Region(name)
			assert.Contains(t, r.Repositories, "app", name)
			require.NotNil(t, r.RegistryScanningConfiguration, name)
			assert.Equal(t, "app", r.RegistryScanningConfiguration.Rules[0].RepositoryFilters[0].Filter)
			require.NotNil(t, r.RegistryPolicy, name)
			assert.Contains(t, r.RegistryPolicy.Policy, "arn:aws:ecr:"+name+":123456789012:repository/*")
			assert.Contains(t, r.Parameters, "/ecrrepos/owner/"+name+"/scanning")
			assert.Equal(t, "/ecrrepos/owner/"+name+"/registry-policy", up.Outputs[name].Value.(map[string]any)["registryPolicy"])
		}
		assert.Equal(t, "team/*", w.Region(region).RegistryScanningConfiguration.Rules[0].RepositoryFilters[0].Filter, "us-east-1 keeps its own owner's settings")
		_, err = regions.Destroy(ctx)
		require.NoError(t, err)
		w = aws.load(t)
		assert.Empty(t, w.Region("us-west-2").Parameters)
		assert.Nil(t, w.Region("eu-central-1").RegistryPolicy)
	})

	step(t, "destroy resets the singletons and removes the rules, templates, secret and locks", func(t *testing.T) {
		_, err := stack.Destroy(ctx)
		require.NoError(t, err)
		r := home(t)
		assert.Empty(t, r.ReplicationConfiguration.ReplicationConfiguration.Rules, "replication stops: an empty rule list")
		assert.Equal(t, "BASIC", r.RegistryScanningConfiguration.ScanType, "scanning resets to BASIC")
		assert.Empty(t, r.RegistryScanningConfiguration.Rules, "with no rules: every repository is MANUAL")
		assert.Nil(t, r.RegistryPolicy)
		assert.Empty(t, r.PullThroughCacheRules)
		assert.Empty(t, r.RepositoryCreationTemplates)
		assert.Empty(t, r.Parameters, "the locks are released")
		for _, s := range r.Secrets {
			assert.NotEmpty(t, s.DeletedDate, "the secret is scheduled for deletion: %s", s.Name)
		}
	})
}

// secretSig marks a secret value in a Pulumi deployment.
const secretSig = "4dabf18193072939515e22adb298388d"

// plainOccurrences returns the JSON paths where text occurs in v outside a
// value marked secret.
func plainOccurrences(v any, text string, inSecret bool) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		secret := inSecret || t[secretSig] != nil
		for k, e := range t {
			for _, p := range plainOccurrences(e, text, secret) {
				out = append(out, k+"."+p)
			}
			if strings.Contains(k, text) && !secret {
				out = append(out, k)
			}
		}
	case []any:
		for i, e := range t {
			for _, p := range plainOccurrences(e, text, inSecret) {
				out = append(out, fmt.Sprintf("[%d].%s", i, p))
			}
		}
	case string:
		if strings.Contains(t, text) && !inSecret {
			out = append(out, "")
		}
	}
	return out
}
