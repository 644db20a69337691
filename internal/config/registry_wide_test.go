package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// The registry-wide settings (replication, pull through cache, scanning,
// registry policy, creation templates): every invalid input is refused at
// the path it was written at, with the rule.

const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf"

func withRepos(r Registry, names ...string) Registry {
	r.Repositories = map[string]Repository{}
	for _, n := range names {
		r.Repositories[n] = Repository{}
	}
	return r
}

func dest(region string, registry ...string) ReplicationDestination {
	d := ReplicationDestination{Region: region}
	if len(registry) > 0 {
		id := Known(registry[0])
		d.RegistryID = &id
	}
	return d
}

func ptc(rules map[string]PullThroughCacheRule) Registry {
	return Registry{PullThroughCache: &PullThroughCache{Rules: rules}}
}

func secretText(ref Ref) *Text { t := Deferred(ref); return &t }

func templates(ts map[string]CreationTemplate) Registry {
	return Registry{CreationTemplates: &CreationTemplates{Templates: ts}}
}

func regPolicy(p RegistryPolicy) Registry { return Registry{RegistryPolicy: &p} }

type rejection struct {
	name string
	reg  Registry
	path string // the path the problem is reported at
	rule string // a part of the message that states the rule
}

func TestRegistryWideRejections(t *testing.T) {
	t.Parallel()
	cases := []rejection{
		// replication
		{"replication with nothing", Registry{Replication: &Replication{}}, "replication", "sets neither regions nor rules"},
		{"unknown region", withRepos(Registry{Replication: &Replication{Regions: []string{"us-east-7"}}}, "api"), "replication.regions[0]", "is not an AWS Region known to ecrrepos"},
		{"misspelt region", withRepos(Registry{Replication: &Replication{Regions: []string{"us-est-1"}}}, "api"), "replication.regions[0]", "did you mean us-east-1?"},
		{"not a region", withRepos(Registry{Replication: &Replication{Regions: []string{"Frankfurt"}}}, "api"), "replication.regions[0]", "must be an AWS Region name such as us-east-1"},
		{"shorthand to its own region", withRepos(Registry{Replication: &Replication{Regions: []string{"eu-west-1"}}}, "api"), "replication.regions[0]", "a registry cannot replicate to itself"},
		{"shorthand twice the same region", withRepos(Registry{Replication: &Replication{Regions: []string{"us-east-1", "us-east-1"}}}, "api"), "replication.regions[1]", "lists us-east-1 twice"},
		{"shorthand without repositories", Registry{Replication: &Replication{Regions: []string{"us-east-1"}}}, "replication.regions", "it declares none"},
		{"shorthand across partitions", withRepos(Registry{Replication: &Replication{Regions: []string{"cn-north-1"}}}, "api"), "replication.regions[0]", "ECR does not replicate across partitions"},
		{"rule without destinations", Registry{Replication: &Replication{Rules: []ReplicationRule{{}}}}, "replication.rules[0].destinations", "at least one destination"},
		{"destination is the registry itself", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{dest("eu-west-1", "123456789012")}}}}},
			"replication.rules[0].destinations[0]", "a registry cannot replicate to itself"},
		{"destination defaulting to the registry itself", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{dest("eu-west-1")}}}}},
			"replication.rules[0].destinations[0]", "is this registry itself (account 123456789012, Region eu-west-1)"},
		{"short registry id", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{dest("us-east-1", "1234")}}}}},
			"replication.rules[0].destinations[0].registryId", "must be a 12-digit AWS account ID"},
		{"repeated destination", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{dest("us-east-1"), dest("us-east-1", "123456789012")}}}}},
			"replication.rules[0].destinations[1]", "repeats destinations[0]"},
		{"too many rules", Registry{Replication: &Replication{Rules: manyReplicationRules(11)}}, "replication.rules", "at most 10 replication rules"},
		{"too many unique destinations", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: manyAccounts(26)}}}},
			"replication.rules[0].destinations", "at most 25 destinations per replication rule"},
		{"too many destinations across rules", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: manyAccounts(20)}, {Destinations: manyAccounts(26)[20:]}, {Destinations: manyAccounts(26)[10:]}}}},
			"replication", "at most 25 unique destinations across all replication rules"},
		{"empty prefix list", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{dest("us-east-1")}, RepositoryPrefixes: []string{}}}}},
			"replication.rules[0].repositoryPrefixes", "leave it out to replicate every repository"},
		{"upper-case prefix", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{dest("us-east-1")}, RepositoryPrefixes: []string{"Team/"}}}}},
			"replication.rules[0].repositoryPrefixes[0]", "must be the beginning of a repository name"},
		{"one-character prefix", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{dest("us-east-1")}, RepositoryPrefixes: []string{"t"}}}}},
			"replication.rules[0].repositoryPrefixes[0]", "2 to 256 characters"},
		{"too many prefixes", Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{dest("us-east-1")}, RepositoryPrefixes: manyNames("p", 101)}}}},
			"replication.rules[0].repositoryPrefixes", "at most 100 filters per replication rule"},
		{"shorthand over 100 repositories", withRepos(Registry{Replication: &Replication{Regions: []string{"us-east-1"}}}, manyNames("repo-", 101)...),
			"replication.regions", "at most 100 filters per rule"},

		// pull through cache
		{"no rules", ptc(map[string]PullThroughCacheRule{}), "pullThroughCache.rules", "nothing to cache"},
		{"prefix with trailing slash", ptc(map[string]PullThroughCacheRule{"hub/": {Upstream: "quay"}}), `pullThroughCache.rules["hub/"]`, "without the trailing"},
		{"prefix too long", ptc(map[string]PullThroughCacheRule{strings.Repeat("a", 31): {Upstream: "quay"}}), `pullThroughCache.rules["` + strings.Repeat("a", 31) + `"]`, "2 to 30 characters"},
		{"upper-case prefix", ptc(map[string]PullThroughCacheRule{"Hub": {Upstream: "quay"}}), `pullThroughCache.rules["Hub"]`, "must be ROOT or the beginning of repository names"},
		{"unknown preset", ptc(map[string]PullThroughCacheRule{"hub": {Upstream: "dockerhub"}}), `pullThroughCache.rules["hub"].upstream`, "must be one of ecr-public, k8s, quay, docker-hub"},
		{"missing upstream", ptc(map[string]PullThroughCacheRule{"hub": {}}), `pullThroughCache.rules["hub"].upstream`, "is required"},
		{"upstream with a scheme", ptc(map[string]PullThroughCacheRule{"q": {Upstream: "https://quay.io"}}), `pullThroughCache.rules["q"].upstream`, `without a scheme, such as "quay.io"`},
		{"upstream with a path", ptc(map[string]PullThroughCacheRule{"q": {Upstream: "quay.io/org"}}), `pullThroughCache.rules["q"].upstream`, "without a path"},
		{"docker.io is not ECR's Docker Hub URL", ptc(map[string]PullThroughCacheRule{"hub": {Upstream: "docker.io", CredentialArn: ptr(Known(secretArn))}}),
			`pullThroughCache.rules["hub"].upstream`, "registry-1.docker.io"},
		{"docker hub without credentials", ptc(map[string]PullThroughCacheRule{"hub": {Upstream: "docker-hub"}}), `pullThroughCache.rules["hub"]`, "Docker Hub requires authentication"},
		{"github by host without credentials", ptc(map[string]PullThroughCacheRule{"gh": {Upstream: "ghcr.io"}}), `pullThroughCache.rules["gh"]`, "GitHub Container Registry requires authentication"},
		{"credentials for a public upstream", ptc(map[string]PullThroughCacheRule{"q": {Upstream: "quay", CredentialArn: ptr(Known(secretArn))}}),
			`pullThroughCache.rules["q"].credentialArn`, "Quay needs no authentication"},
		{"both kinds of credentials", ptc(map[string]PullThroughCacheRule{"hub": {Upstream: "docker-hub", CredentialArn: ptr(Known(secretArn)), Username: ptr(Known("me")), AccessToken: secretText(1)}}),
			`pullThroughCache.rules["hub"].credentialArn`, "not both"},
		{"username without token", ptc(map[string]PullThroughCacheRule{"hub": {Upstream: "docker-hub", Username: ptr(Known("me"))}}),
			`pullThroughCache.rules["hub"].accessToken`, "is required with username"},
		{"plain-text token", ptc(map[string]PullThroughCacheRule{"hub": {Upstream: "docker-hub", Username: ptr(Known("me")), AccessToken: ptr(Known("dckr_pat_x")), AccessTokenPlain: true}}),
			`pullThroughCache.rules["hub"].accessToken`, "must be a secret"},
		{"secret not named ecr-pullthroughcache/", ptc(map[string]PullThroughCacheRule{"hub": {Upstream: "docker-hub", CredentialArn: ptr(Known("arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-AbCdEf"))}}),
			`pullThroughCache.rules["hub"].credentialArn`, "whose name starts with ecr-pullthroughcache/"},
		{"secret in another region", ptc(map[string]PullThroughCacheRule{"hub": {Upstream: "docker-hub", CredentialArn: ptr(Known(strings.Replace(secretArn, "eu-west-1", "us-east-1", 1)))}}),
			`pullThroughCache.rules["hub"].credentialArn`, "must be a secret in this registry's Region eu-west-1"},
		{"azure without a name", ptc(map[string]PullThroughCacheRule{"az": {Upstream: "azure", CredentialArn: ptr(Known(secretArn))}}),
			`pullThroughCache.rules["az"].azureRegistryName`, "is required with upstream: azure"},
		{"azure name for another upstream", ptc(map[string]PullThroughCacheRule{"q": {Upstream: "quay", AzureRegistryName: ptr("myregistry")}}),
			`pullThroughCache.rules["q"].azureRegistryName`, "only for upstream: azure"},
		{"ecr upstream is the registry itself", ptc(map[string]PullThroughCacheRule{"self": {Upstream: "ecr"}}),
			`pullThroughCache.rules["self"].upstream`, "names this registry itself"},
		{"cross-account ecr upstream without role", ptc(map[string]PullThroughCacheRule{"up": {Upstream: "ecr", UpstreamRegistryID: ptr("210987654321")}}),
			`pullThroughCache.rules["up"].customRoleArn`, "is required: the upstream registry is in account 210987654321"},
		{"role for a non-ECR upstream", ptc(map[string]PullThroughCacheRule{"q": {Upstream: "quay", CustomRoleArn: ptr(Known("arn:aws:iam::123456789012:role/ptc"))}}),
			`pullThroughCache.rules["q"].customRoleArn`, "only for an Amazon ECR upstream"},
		{"role of another account", ptc(map[string]PullThroughCacheRule{"up": {Upstream: "ecr", UpstreamRegistryID: ptr("210987654321"), CustomRoleArn: ptr(Known("arn:aws:iam::210987654321:role/ptc"))}}),
			`pullThroughCache.rules["up"].customRoleArn`, "must be a role of this registry's account 123456789012"},
		{"upstream prefix with ROOT", ptc(map[string]PullThroughCacheRule{"ROOT": {Upstream: "ecr", UpstreamRegion: ptr("us-east-1"), UpstreamRepositoryPrefix: ptr("team")}}),
			`pullThroughCache.rules["ROOT"].upstreamRepositoryPrefix`, "cannot be combined with the ROOT prefix"},
		{"upstream prefix for a non-ECR upstream", ptc(map[string]PullThroughCacheRule{"q": {Upstream: "quay", UpstreamRepositoryPrefix: ptr("team")}}),
			`pullThroughCache.rules["q"].upstreamRepositoryPrefix`, "only for an Amazon ECR upstream"},
		{"upstream region for a preset that is not ecr", ptc(map[string]PullThroughCacheRule{"q": {Upstream: "quay", UpstreamRegion: ptr("us-east-1")}}),
			`pullThroughCache.rules["q"].upstreamRegion`, "only for upstream: ecr"},
		{"too many rules", ptc(manyPullThroughCacheRules(51)), "pullThroughCache.rules", "at most 50 pull through cache rules"},

		// scanning
		{"unknown scan type", Registry{Scanning: &Scanning{Type: ptr("ADVANCED")}}, "scanning.type", `must be BASIC or ENHANCED, got "ADVANCED"`},
		{"three rules", Registry{Scanning: &Scanning{Type: ptr("ENHANCED"), Rules: []ScanningRule{{"SCAN_ON_PUSH", []string{"a"}}, {"CONTINUOUS_SCAN", []string{"b"}}, {"SCAN_ON_PUSH", []string{"c"}}}}},
			"scanning.rules", "at most 2 scanning rules"},
		{"continuous with basic", Registry{Scanning: &Scanning{Rules: []ScanningRule{{"CONTINUOUS_SCAN", []string{"*"}}}}}, "scanning.rules[0].frequency", "CONTINUOUS_SCAN needs type ENHANCED"},
		{"manual rule", Registry{Scanning: &Scanning{Rules: []ScanningRule{{"MANUAL", []string{"*"}}}}}, "scanning.rules[0].frequency", "MANUAL is what ECR gives repositories that match no rule"},
		{"unknown frequency", Registry{Scanning: &Scanning{Rules: []ScanningRule{{"DAILY", []string{"*"}}}}}, "scanning.rules[0].frequency", `must be SCAN_ON_PUSH or CONTINUOUS_SCAN, got "DAILY"`},
		{"repeated frequency", Registry{Scanning: &Scanning{Type: ptr("ENHANCED"), Rules: []ScanningRule{{"SCAN_ON_PUSH", []string{"a"}}, {"SCAN_ON_PUSH", []string{"b"}}}}},
			"scanning.rules[1].frequency", "repeats the frequency of rules[0]"},
		{"rule without filters", Registry{Scanning: &Scanning{Rules: []ScanningRule{{"SCAN_ON_PUSH", nil}}}}, "scanning.rules[0].filters", "at least one filter"},
		{"upper-case filter", Registry{Scanning: &Scanning{Rules: []ScanningRule{{"SCAN_ON_PUSH", []string{"Prod*"}}}}}, "scanning.rules[0].filters[0]", "must be lowercase letters"},
		{"filter too long", Registry{Scanning: &Scanning{Rules: []ScanningRule{{"SCAN_ON_PUSH", []string{strings.Repeat("a", 256)}}}}}, "scanning.rules[0].filters[0]", "1 to 255 characters"},
		{"too many filters", Registry{Scanning: &Scanning{Rules: []ScanningRule{{"SCAN_ON_PUSH", manyNames("f", 101)}}}}, "scanning.rules[0].filters", "at most 100 filters per scanning rule"},

		// registry policy
		{"empty registry policy", regPolicy(RegistryPolicy{}), "registryPolicy", "sets nothing"},
		{"unknown scope", regPolicy(RegistryPolicy{Scope: ptr("V3"), AllowReplicationFrom: KnownList("111111111111")}), "registryPolicy.scope", `must be V1 or V2, got "V3"`},
		{"replication source not an account", regPolicy(RegistryPolicy{AllowReplicationFrom: KnownList("11111111111x")}), "registryPolicy.allowReplicationFrom[0]", "12-digit AWS account ID"},
		{"replication from itself", regPolicy(RegistryPolicy{AllowReplicationFrom: KnownList("123456789012")}), "registryPolicy.allowReplicationFrom[0]", "this registry's own account"},
		{"pull-through principal session ARN", regPolicy(RegistryPolicy{AllowPullThroughCacheFor: KnownList("arn:aws:sts::111111111111:assumed-role/ci/s")}),
			"registryPolicy.allowPullThroughCacheFor[0]", "STS assumed-role session ARN"},
		{"V1 scope with a push action", regPolicy(RegistryPolicy{Scope: ptr("V1"), Statements: KnownList(
			`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:PutImage","Resource":"*"}`)}),
			"registryPolicy.statements[0]", `"ecr:PutImage" is refused under the V1 registry policy scope`},
		{"V1 scope with a wildcard", regPolicy(RegistryPolicy{Scope: ptr("V1"), Statements: KnownList(
			`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:*","Resource":"*"}`)}),
			"registryPolicy.statements[0]", "which the V1 registry policy scope refuses"},
		{"non-ECR action", regPolicy(RegistryPolicy{Statements: KnownList(
			`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"s3:GetObject","Resource":"*"}`)}),
			"registryPolicy.statements[0]", "a registry policy governs ECR only"},
		{"statement without Resource", regPolicy(RegistryPolicy{Statements: KnownList(
			`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage"}`)}),
			"registryPolicy.statements[0]", `must have "Resource"`},
		{"resource of another registry", regPolicy(RegistryPolicy{Statements: KnownList(
			`{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"arn:aws:ecr:eu-west-1:999999999999:repository/*"}`)}),
			"registryPolicy.statements[0]", "a registry policy governs only its own registry's repositories"},
		{"everyone without a condition", regPolicy(RegistryPolicy{Statements: KnownList(
			`{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*"}`)}),
			"registryPolicy.statements[0]", `allows Principal "*"`},
		{"reused generated Sid", regPolicy(RegistryPolicy{AllowReplicationFrom: KnownList("111111111111"), Statements: KnownList(
			`{"Sid":"AllowReplicationFrom","Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"ecr:ReplicateImage","Resource":"*"}`)}),
			"registryPolicy.statements[0]", "already used by a generated statement"},
		{"policy combined with generated grants", regPolicy(RegistryPolicy{AllowReplicationFrom: KnownList("111111111111"), Policy: ptr(Known(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"ecr:ReplicateImage","Resource":"*"}]}`))}),
			"registryPolicy.policy", "cannot be combined with registryPolicy.allowReplicationFrom"},
		{"policy with an empty statement list", regPolicy(RegistryPolicy{Policy: ptr(Known(`{"Version":"2012-10-17","Statement":[]}`))}),
			"registryPolicy.policy", "Statement must not be empty"},

		// creation templates
		{"no templates", templates(map[string]CreationTemplate{}), "creationTemplates.templates", "is empty"},
		{"template prefix not anchored", templates(map[string]CreationTemplate{"prod/*": {AppliedFor: []string{"REPLICATION"}}}), `creationTemplates.templates["prod/*"]`, "must be ROOT or the beginning of repository names"},
		{"template without appliedFor", templates(map[string]CreationTemplate{"prod": {}}), `creationTemplates.templates["prod"].appliedFor`, "is required"},
		{"create on push", templates(map[string]CreationTemplate{"prod": {AppliedFor: []string{"CREATE_ON_PUSH"}}}), `creationTemplates.templates["prod"].appliedFor[0]`, "not supported by pulumi-aws v6.83.2"},
		{"repeated appliedFor", templates(map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION", "REPLICATION"}}}), `creationTemplates.templates["prod"].appliedFor[1]`, "lists REPLICATION twice"},
		{"template description too long", templates(map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION"}, Description: ptr(strings.Repeat("d", 257))}}),
			`creationTemplates.templates["prod"].description`, "at most 256 characters"},
		{"template tags without role", templates(map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION"}, Settings: Repository{Tags: KnownMap(map[string]string{"team": "a"})}}}),
			`creationTemplates.templates["prod"].customRoleArn`, "is required: the template sets resource tags (from its tags)"},
		{"inherited registry tags without role", Registry{Tags: KnownMap(map[string]string{"owner": "platform"}), CreationTemplates: &CreationTemplates{Templates: map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION"}}}}},
			`creationTemplates.templates["prod"].customRoleArn`, "resource tags (inherited from tags)"},
		{"inherited KMS without role", Registry{Defaults: &Repository{EncryptionType: ptr("KMS")}, CreationTemplates: &CreationTemplates{Templates: map[string]CreationTemplate{"ROOT": {AppliedFor: []string{"PULL_THROUGH_CACHE"}}}}},
			`creationTemplates.templates["ROOT"].customRoleArn`, "KMS encryption (inherited from defaults.encryptionType)"},
		{"template key in upper case", templates(map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION"}, CustomRoleArn: ptr(Known("arn:aws:iam::123456789012:role/rct")),
			Settings: Repository{EncryptionType: ptr("KMS"), KmsKeyArn: ptr(Known("arn:aws:kms:eu-west-1:123456789012:key/ABCD-1234"))}}}),
			`creationTemplates.templates["prod"].kmsKeyArn`, "a creation template takes a full key ARN"},
		{"template role that is not a role", templates(map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION"}, CustomRoleArn: ptr(Known("arn:aws:iam::123456789012:user/me"))}}),
			`creationTemplates.templates["prod"].customRoleArn`, "must be an IAM role ARN"},
		{"template settings checked like a repository's", templates(map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION"}, Settings: Repository{ImageTagMutability: ptr("immutable")}}}),
			`creationTemplates.templates["prod"].imageTagMutability`, `must be MUTABLE or IMMUTABLE, got "immutable"`},
		{"template access checked like a repository's", templates(map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION"}, Settings: Repository{Access: &Access{PullAccountIds: KnownList("12")}}}}),
			`creationTemplates.templates["prod"].access.pullAccountIds[0]`, "12-digit AWS account ID"},
	}
	require.GreaterOrEqual(t, len(cases), 40)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, ps := Resolve(tc.reg, env)
			_, found := ps.Errors().Find(tc.path, tc.rule)
			assert.True(t, found, "want an error at %s containing %q, got:\n%v", tc.path, tc.rule, ps)
			assert.Error(t, ps.Err("arguments"))
		})
	}
}

func manyNames(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}

func manyAccounts(n int) []ReplicationDestination {
	out := make([]ReplicationDestination, n)
	for i := range out {
		out[i] = dest("us-east-1", fmt.Sprintf("1000000000%02d", i))
	}
	return out
}

func manyReplicationRules(n int) []ReplicationRule {
	out := make([]ReplicationRule, n)
	for i := range out {
		out[i] = ReplicationRule{Destinations: []ReplicationDestination{dest("us-east-1")}}
	}
	return out
}

func manyPullThroughCacheRules(n int) map[string]PullThroughCacheRule {
	out := map[string]PullThroughCacheRule{}
	for i := range n {
		out[fmt.Sprintf("cache%02d", i)] = PullThroughCacheRule{Upstream: "quay"}
	}
	return out
}

// At construct time the environment is not known yet: nothing that needs it
// is refused, and everything else is.
func TestRegistryWideBeforeTheEnvironmentIsKnown(t *testing.T) {
	t.Parallel()
	r := withRepos(Registry{
		Replication:      &Replication{Regions: []string{"eu-west-1"}},
		PullThroughCache: &PullThroughCache{Rules: map[string]PullThroughCacheRule{"self": {Upstream: "ecr"}, "bad": {Upstream: "nope"}}},
		RegistryPolicy:   &RegistryPolicy{AllowReplicationFrom: KnownList("123456789012")},
	}, "api")
	_, ps := Resolve(r, EnvNotYetKnown())
	assert.Len(t, ps.Errors(), 1, "%v", ps)
	_, found := ps.Find(`pullThroughCache.rules["bad"].upstream`, "must be one of")
	assert.True(t, found)

	_, ps = Resolve(r, env)
	for _, want := range []string{"replication.regions[0]", `pullThroughCache.rules["self"].upstream`, "registryPolicy.allowReplicationFrom[0]"} {
		assert.Contains(t, fmt.Sprint(ps.Errors()), want)
	}
}

func TestReplicationPlan(t *testing.T) {
	t.Parallel()
	registry := Known("210987654321")
	r := withRepos(Registry{Replication: &Replication{
		Regions:        []string{"us-east-1", "eu-central-1"},
		Rules:          []ReplicationRule{{Destinations: []ReplicationDestination{{Region: "us-west-2", RegistryID: &registry}}, RepositoryPrefixes: []string{"prod-"}}},
		RetainOnDelete: ptr(true),
	}}, "team/api", "team/api-v2", "team/web", "tools/ci")
	plan, ps := Resolve(r, env)
	require.Empty(t, ps.Errors())
	p := plan.Replication
	require.NotNil(t, p)
	assert.True(t, p.RetainOnDelete)
	require.Len(t, p.Rules, 2)
	assert.Equal(t, []string{"team/api", "team/web", "tools/ci"}, p.Rules[0].Filters, "team/api-v2 is covered by the PREFIX_MATCH filter team/api")
	assert.Equal(t, []ReplicationDestinationPlan{{Region: "us-east-1", RegistryID: Known("123456789012")}, {Region: "eu-central-1", RegistryID: Known("123456789012")}}, p.Rules[0].Destinations)
	assert.Equal(t, []ReplicationDestinationPlan{{Region: "us-west-2", RegistryID: registry}}, p.Rules[1].Destinations)
	assert.Equal(t, []string{"prod-"}, p.Rules[1].Filters)
}

func TestReplicationWaitsForAnOutputRegistryID(t *testing.T) {
	t.Parallel()
	id := Deferred(7)
	r := Registry{Replication: &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{{Region: "us-east-1", RegistryID: &id}}}}}}
	plan, ps := Resolve(r, env)
	require.Empty(t, ps.Errors())
	assert.Equal(t, []Ref{7}, plan.Refs)

	_, ps = Resolve(r.Fill(Values{7: "not-an-account"}), env)
	_, found := ps.Find("replication.rules[0].destinations[0].registryId", "12-digit")
	assert.True(t, found, "checked when it resolves: %v", ps)
}

func TestPullThroughCachePlan(t *testing.T) {
	t.Parallel()
	r := withRepos(ptc(map[string]PullThroughCacheRule{
		"ecr-public": {Upstream: "ecr-public"},
		"hub":        {Upstream: "docker-hub", Username: ptr(Known("me")), AccessToken: secretText(3)},
		"gh":         {Upstream: "ghcr.io", CredentialArn: ptr(Known(secretArn))},
		"az":         {Upstream: "azure", AzureRegistryName: ptr("MyRegistry"), CredentialArn: ptr(Known(secretArn))},
		"up":         {Upstream: "ecr", UpstreamRegistryID: ptr("210987654321"), UpstreamRegion: ptr("us-east-1"), CustomRoleArn: ptr(Known("arn:aws:iam::123456789012:role/ptc")), UpstreamRepositoryPrefix: ptr("team")},
		"mirror":     {Upstream: "210987654321.dkr.ecr.us-west-2.amazonaws.com", CustomRoleArn: ptr(Known("arn:aws:iam::123456789012:role/ptc"))},
		"west":       {Upstream: "ecr", UpstreamRegion: ptr("us-west-2")},
		"chain":      {Upstream: "cgr.dev"},
	}), "hub/library/nginx")
	plan, ps := Resolve(r, env)
	require.Empty(t, ps.Errors(), "%v", ps)
	rules := map[string]*PullThroughCacheRulePlan{}
	for _, p := range plan.PullThroughCache.Rules {
		rules[p.Prefix] = p
	}
	assert.Equal(t, "public.ecr.aws", rules["ecr-public"].URL)
	assert.True(t, rules["ecr-public"].CredentialLess())
	assert.Equal(t, "registry-1.docker.io", rules["hub"].URL)
	assert.Equal(t, Deferred(3), *rules["hub"].AccessToken)
	assert.False(t, rules["hub"].CredentialLess())
	assert.Equal(t, "ghcr.io", rules["gh"].URL)
	assert.Equal(t, "github", rules["gh"].Preset)
	assert.Equal(t, "myregistry.azurecr.io", rules["az"].URL)
	assert.Equal(t, &ECRUpstream{AccountID: Known("210987654321"), Region: Known("us-east-1")}, rules["up"].ECR)
	assert.Equal(t, "team", rules["up"].UpstreamRepositoryPrefix)
	assert.Equal(t, &ECRUpstream{AccountID: Known("210987654321"), Region: Known("us-west-2")}, rules["mirror"].ECR)
	assert.Equal(t, &ECRUpstream{AccountID: Known("123456789012"), Region: Known("us-west-2")}, rules["west"].ECR, "an ECR upstream defaults to this account")
	assert.Equal(t, []Ref{3}, plan.Refs)

	warnings := ps.Warnings()
	_, found := warnings.Find(`pullThroughCache.rules["chain"].upstream`, "not an upstream registry ecrrepos knows")
	assert.True(t, found, "%v", warnings)
	_, found = warnings.Find(`repositories["hub/library/nginx"]`, "tags are IMMUTABLE")
	assert.True(t, found, "%v", warnings)
}

func TestScanningPlanAndScanOnPushWarnings(t *testing.T) {
	t.Parallel()
	r := Registry{
		Defaults: &Repository{ScanOnPush: ptr(true)},
		Repositories: map[string]Repository{
			"prod/api":   {},
			"dev/api":    {},
			"prod/batch": {ScanOnPush: ptr(false)},
			"tools/ci":   {ScanOnPush: ptr(false)},
		},
		Scanning: &Scanning{Type: ptr("ENHANCED"), Rules: []ScanningRule{
			{Frequency: "CONTINUOUS_SCAN", Filters: []string{"prod/*"}},
			{Frequency: "SCAN_ON_PUSH", Filters: []string{"api"}},
		}},
	}
	plan, ps := Resolve(r, env)
	require.Empty(t, ps.Errors())
	assert.Equal(t, "ENHANCED", plan.Scanning.Type)
	assert.Equal(t, "CONTINUOUS_SCAN", plan.Scanning.Frequency("prod/api"), "continuous wins over scan on push")
	assert.Equal(t, "SCAN_ON_PUSH", plan.Scanning.Frequency("dev/api"))
	assert.Equal(t, "MANUAL", plan.Scanning.Frequency("tools/ci"))

	warnings := ps.Warnings()
	assert.Len(t, warnings, 1, "%v", warnings)
	_, found := warnings.Find(`repositories["prod/batch"].scanOnPush`, "says false for prod/batch, but the registry scanning configuration decides")
	assert.True(t, found, "%v", warnings)

	// A scanOnPush nobody set is not compared; defaults are reported at defaults.
	r.Scanning = &Scanning{Rules: []ScanningRule{{Frequency: "SCAN_ON_PUSH", Filters: []string{"prod"}}}}
	_, ps = Resolve(r, env)
	_, found = ps.Warnings().Find("defaults.scanOnPush", "says true for dev/api")
	assert.True(t, found, "%v", ps.Warnings())

	r.Scanning = &Scanning{}
	plan, ps = Resolve(Registry{Scanning: &Scanning{}}, env)
	assert.Equal(t, "BASIC", plan.Scanning.Type, "BASIC by default")
	_, found = ps.Warnings().Find("scanning.rules", "every repository is set to MANUAL")
	assert.True(t, found)
}

// ECR's own table of examples (image-scanning-filters.html).
func TestScanFilterMatches(t *testing.T) {
	t.Parallel()
	names := []string{"prod", "repo-prod", "prod-repo", "repo-prod-repo", "prodrepo"}
	table := map[string][]bool{
		"prod":      {true, true, true, true, true},
		"*prod":     {true, true, false, false, false},
		"prod*":     {true, false, true, false, true},
		"*prod*":    {true, true, true, true, true},
		"prod*repo": {false, false, true, false, true},
	}
	for filter, want := range table {
		for i, name := range names {
			assert.Equal(t, want[i], ScanFilterMatches(filter, name), "%s vs %s", filter, name)
		}
	}
	assert.True(t, ScanFilterMatches("*", "anything"))
}

func TestRegistryPolicyPlan(t *testing.T) {
	t.Parallel()
	r := Registry{
		PullThroughCache: &PullThroughCache{Rules: map[string]PullThroughCacheRule{"ecr-public": {Upstream: "ecr-public"}, "quay": {Upstream: "quay"}}},
		RegistryPolicy: &RegistryPolicy{
			AllowReplicationFrom:     KnownList("111111111111"),
			AllowPullThroughCacheFor: KnownList("222222222222", "arn:aws:iam::123456789012:role/ci"),
			RetainOnDelete:           ptr(true),
		},
	}
	plan, ps := Resolve(r, env)
	require.Empty(t, ps.Errors(), "%v", ps)
	require.NotNil(t, plan.RegistryPolicy)
	assert.True(t, plan.RegistryPolicy.RetainOnDelete)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[`+
		`{"Sid":"AllowReplicationFrom","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:eu-west-1:123456789012:repository/*"},`+
		`{"Sid":"AllowPullThroughCache","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:role/ci","arn:aws:iam::222222222222:root"]},"Action":["ecr:BatchImportUpstreamImage","ecr:CreateRepository"],"Resource":["arn:aws:ecr:eu-west-1:123456789012:repository/ecr-public/*","arn:aws:ecr:eu-west-1:123456789012:repository/quay/*"]}]}`,
		plan.RegistryPolicy.Document.JSON)

	// Before the environment is known the document waits for it; the
	// values known now are still checked.
	plan, ps = Resolve(r, EnvNotYetKnown())
	require.Empty(t, ps.Errors())
	assert.NotEmpty(t, plan.RegistryPolicy.Document.Refs)
	assert.Empty(t, plan.RegistryPolicy.Document.JSON)
}

func TestCreationTemplatePlanCarriesTheRegistryDefaults(t *testing.T) {
	t.Parallel()
	role := Known("arn:aws:iam::123456789012:role/ecr-templates")
	r := Registry{
		Tags: KnownMap(map[string]string{"owner": "platform"}),
		Defaults: &Repository{
			ImageTagMutability: ptr("IMMUTABLE"),
			Access:             &Access{PullAccountIds: KnownList("111111111111")},
		},
		CreationTemplates: &CreationTemplates{RetainOnDelete: ptr(true), Templates: map[string]CreationTemplate{
			"ROOT":       {AppliedFor: []string{"REPLICATION"}, CustomRoleArn: &role, Description: ptr("replicas")},
			"ecr-public": {AppliedFor: []string{"PULL_THROUGH_CACHE", "REPLICATION"}, CustomRoleArn: &role},
			"bare":       {AppliedFor: []string{"REPLICATION"}, InheritDefaults: ptr(false)},
		}},
	}
	plan, ps := Resolve(r, env)
	require.Empty(t, ps.Errors(), "%v", ps)
	byPrefix := map[string]*CreationTemplatePlan{}
	for _, tp := range plan.CreationTemplates {
		byPrefix[tp.Prefix] = tp
	}
	root := byPrefix["ROOT"]
	assert.Equal(t, []string{"REPLICATION"}, root.AppliedFor)
	assert.True(t, root.RetainOnDelete)
	assert.Equal(t, "IMMUTABLE", root.Settings.ImageTagMutability, "from defaults")
	assert.Equal(t, map[string]Text{"owner": Known("platform")}, root.Settings.Tags.Items, "from the registry tags")
	require.NotNil(t, root.Settings.Policy)
	assert.Contains(t, root.Settings.Policy.JSON, "arn:aws:iam::111111111111:root", "the repository policy of defaults.access")
	require.NotNil(t, root.Settings.Lifecycle, "the built-in lifecycle default")

	cache := byPrefix["ecr-public"]
	assert.Equal(t, []string{"PULL_THROUGH_CACHE", "REPLICATION"}, cache.AppliedFor)
	assert.Equal(t, "MUTABLE", cache.Settings.ImageTagMutability, "pull through cache templates are MUTABLE unless they say otherwise")

	bare := byPrefix["bare"]
	assert.Empty(t, bare.Settings.Tags.Items)
	assert.Nil(t, bare.Settings.Policy)
	assert.Equal(t, "IMMUTABLE", bare.Settings.ImageTagMutability, "the built-in default")
}

func TestRegistryWideFillKeepsEverythingElse(t *testing.T) {
	t.Parallel()
	role, token, id := Deferred(1), Deferred(2), Deferred(3)
	r := Registry{
		Replication:       &Replication{Rules: []ReplicationRule{{Destinations: []ReplicationDestination{{Region: "us-east-1", RegistryID: &id}}}}},
		PullThroughCache:  &PullThroughCache{Rules: map[string]PullThroughCacheRule{"hub": {Upstream: "docker-hub", Username: ptr(Known("me")), AccessToken: &token}}},
		RegistryPolicy:    &RegistryPolicy{AllowReplicationFrom: &List{Ref: 4}},
		CreationTemplates: &CreationTemplates{Templates: map[string]CreationTemplate{"prod": {AppliedFor: []string{"REPLICATION"}, CustomRoleArn: &role}}},
		Scanning:          &Scanning{Type: ptr("ENHANCED")},
	}
	plan, ps := Resolve(r, env)
	require.Empty(t, ps.Errors())
	assert.Equal(t, []Ref{1, 2, 3, 4}, plan.Refs)

	filled := r.Fill(Values{1: "arn:aws:iam::123456789012:role/x", 2: "tok", 3: "210987654321", 4: []string{"111111111111"}})
	assert.Equal(t, Known("210987654321"), *filled.Replication.Rules[0].Destinations[0].RegistryID)
	assert.Equal(t, Known("tok"), *filled.PullThroughCache.Rules["hub"].AccessToken)
	assert.Equal(t, Known("arn:aws:iam::123456789012:role/x"), *filled.CreationTemplates.Templates["prod"].CustomRoleArn)
	assert.Equal(t, "ENHANCED", *filled.Scanning.Type)
	_, ps = Resolve(filled, env)
	assert.Empty(t, ps.Errors(), "a token that arrived as a secret output passes when it resolves")
	_, ps = Resolve(r.Fill(Values{1: "arn:aws:iam::123456789012:role/x", 2: "", 3: "210987654321", 4: []string{"111111111111"}}), env)
	_, found := ps.Find(`pullThroughCache.rules["hub"].accessToken`, "must not be empty")
	assert.True(t, found, "%v", errorsAt(ps))
}

// errorsAt lists the paths of the errors, for failure messages.
func errorsAt(ps validate.Problems) []string {
	var out []string
	for _, p := range ps.Errors() {
		out = append(out, p.Path)
	}
	return out
}
