package provider

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func token(s string) pulumi.StringInput {
	return pulumi.ToSecret(pulumi.String(s)).(pulumi.StringOutput)
}

func TestPullThroughCacheRules(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{PullThroughCache: &PullThroughCacheArgs{Rules: map[string]PullThroughCacheRuleArgs{
		"ecr-public": {Upstream: "ecr-public"},
		"hub":        {Upstream: "docker-hub", Username: pulumi.String("me"), AccessToken: token("dckr_pat_secret")},
		"gh":         {Upstream: "ghcr.io", CredentialArn: pulumi.String("arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/gh-AbCdEf")},
		"mirror": {Upstream: "ecr", UpstreamRegistryId: ptr("210987654321"), UpstreamRegion: ptr("us-east-1"), UpstreamRepositoryPrefix: ptr("team"),
			CustomRoleArn: pulumi.String("arn:aws:iam::123456789012:role/ptc")},
		"ROOT": {Upstream: "quay"},
	}}}).ok(t)

	public := r.one(t, ptcRuleType, "main/ecr-public")
	assert.Equal(t, "ecr-public", public.input("ecrRepositoryPrefix").AsString())
	assert.Equal(t, "public.ecr.aws", public.input("upstreamRegistryUrl").AsString())
	assert.False(t, has(public.input(), "credentialArn"))
	assert.True(t, public.DeleteBeforeReplace, "the prefix is the rule's identity: delete first")
	assert.Equal(t, []string{"*"}, r.request(t, ptcRuleType, "main/ecr-public").GetReplaceOnChanges(),
		"a rule without credential or role cannot be updated (pulumi/pulumi-aws#5714)")
	assert.Contains(t, r.request(t, ptcRuleType, "main/ecr-public").GetParent(), "ecrrepos:index:Registry::main")

	// The credentials given as username and token become the secret ECR reads.
	secret := r.one(t, secretType, "main/hub")
	assert.Equal(t, "ecr-pullthroughcache/hub-", secret.input("namePrefix").AsString())
	version := r.one(t, secretVerType, "main/hub")
	value := version.input("secretString")
	require.True(t, value.Secret(), "the token is never in plain text in the state")
	var stored map[string]string
	require.NoError(t, json.Unmarshal([]byte(value.WithSecret(false).AsString()), &stored))
	assert.Equal(t, map[string]string{"username": "me", "accessToken": "dckr_pat_secret"}, stored, "the JSON shape ECR reads")
	hub := r.one(t, ptcRuleType, "main/hub")
	assert.Equal(t, "registry-1.docker.io", hub.input("upstreamRegistryUrl").AsString())
	assert.Contains(t, hub.input("credentialArn").AsString(), ":secret:ecr-pullthroughcache/hub-")
	assert.True(t, dependsOn(hub, secretVerType, "main/hub"), "the rule waits for the secret's value: %v", hub.Dependencies)
	assert.Empty(t, r.request(t, ptcRuleType, "main/hub").GetReplaceOnChanges(), "a rule with a credential updates in place")
	assert.Contains(t, r.wideMap("pullThroughCacheSecretArns")["hub"], ":secret:ecr-pullthroughcache/hub-")
	assert.Len(t, r.wideMap("pullThroughCacheSecretArns"), 1, "only secrets the component created")

	gh := r.one(t, ptcRuleType, "main/gh")
	assert.Equal(t, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/gh-AbCdEf", gh.input("credentialArn").AsString())
	assert.Empty(t, r.ofType(secretType)[1:], "no secret for a rule given a credentialArn")

	mirror := r.one(t, ptcRuleType, "main/mirror")
	assert.Equal(t, "210987654321.dkr.ecr.us-east-1.amazonaws.com", mirror.input("upstreamRegistryUrl").AsString())
	assert.Equal(t, "team", mirror.input("upstreamRepositoryPrefix").AsString())
	assert.Equal(t, "arn:aws:iam::123456789012:role/ptc", mirror.input("customRoleArn").AsString())

	assert.Equal(t, map[string]string{
		"ROOT":       "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
		"ecr-public": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public",
		"gh":         "123456789012.dkr.ecr.eu-west-1.amazonaws.com/gh",
		"hub":        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/hub",
		"mirror":     "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror",
	}, r.wideMap("pullThroughCacheUrls"))
	assert.Empty(t, r.ofType(parameterType), "pull through cache rules are not singletons: ECR refuses a second rule with one prefix")
}

func TestPullThroughCacheRetainOnDelete(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{PullThroughCache: &PullThroughCacheArgs{RetainOnDelete: ptr(true), Rules: map[string]PullThroughCacheRuleArgs{
		"hub": {Upstream: "docker-hub", Username: pulumi.String("me"), AccessToken: token("t")},
	}}}).ok(t)
	for _, typ := range []string{ptcRuleType, secretType, secretVerType} {
		assert.True(t, r.one(t, typ, "main/hub").RetainOnDelete, typ)
	}
}

func TestPullThroughCacheRefusals(t *testing.T) {
	t.Parallel()
	runWide(t, RegistryArgs{PullThroughCache: &PullThroughCacheArgs{Rules: map[string]PullThroughCacheRuleArgs{
		"hub": {Upstream: "docker-hub"},
	}}}).rejected(t, `pullThroughCache.rules["hub"]: Docker Hub requires authentication`)
	r := runWide(t, RegistryArgs{PullThroughCache: &PullThroughCacheArgs{Rules: map[string]PullThroughCacheRuleArgs{
		"hub": {Upstream: "docker-hub", Username: pulumi.String("me"), AccessToken: pulumi.String("dckr_pat_plain")},
	}}})
	r.rejected(t, `pullThroughCache.rules["hub"].accessToken: must be a secret`)
	assert.NotContains(t, r.err.Error(), "dckr_pat_plain", "a token is never repeated in a message")
}

// A secret token that resolves empty is refused when it resolves, before
// the secret or the rule exist; the message does not show the value.
func TestPullThroughCacheTokenCheckedWhenItResolves(t *testing.T) {
	t.Parallel()
	r := runWide(t, RegistryArgs{PullThroughCache: &PullThroughCacheArgs{Rules: map[string]PullThroughCacheRuleArgs{
		"hub": {Upstream: "docker-hub", Username: pulumi.String("me"), AccessToken: token("")},
	}}})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `pullThroughCache.rules["hub"].accessToken: must not be empty`)
	assert.Empty(t, r.ofType(secretType))
	assert.Empty(t, r.ofType(ptcRuleType))
}
