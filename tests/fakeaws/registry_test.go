package main

import (
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

func replication(region, prefix string) map[string]any {
	return map[string]any{"replicationConfiguration": map[string]any{"rules": []any{map[string]any{
		"destinations":      []any{map[string]any{"region": region, "registryId": "123456789012"}},
		"repositoryFilters": []any{map[string]any{"filter": prefix, "filterType": "PREFIX_MATCH"}},
	}}}}
}

func scanning(scanType, frequency, filter string) map[string]any {
	return map[string]any{"scanType": scanType, "rules": []any{map[string]any{"scanFrequency": frequency,
		"repositoryFilters": []any{map[string]any{"filter": filter, "filterType": "WILDCARD"}}}}}
}

func registryPolicy(actions ...any) string {
	return mustJSON(map[string]any{
		"Version": "2012-10-17", "Statement": []any{map[string]any{"Sid": "replicate", "Effect": "Allow",
			"Principal": map[string]any{"AWS": "arn:aws:iam::210987654321:root"}, "Action": actions,
			"Resource": "arn:aws:ecr:eu-west-1:123456789012:repository/*"}}})
}

// TestRegistrySettingsAreSingletons: the three registry-wide settings have
// the registry ID as ID, a second create (another stack) silently overwrites
// the first, and delete does what AWS does with the setting.
func TestRegistrySettingsAreSingletons(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")

	first, _ := h.mustCreate(tokReplication, "stack-a", replication("us-west-2", "team"))
	assert.Equal(t, "123456789012", first.ID)
	assert.Equal(t, "123456789012", first.Properties.Get("registryId").AsString())
	second, _ := h.mustCreate(tokReplication, "stack-b", replication("eu-central-1", "other"))
	assert.Equal(t, first.ID, second.ID, "no error: the last writer wins")
	rules := h.region().ReplicationConfiguration.ReplicationConfiguration.Rules
	require.Len(t, rules, 1)
	assert.Equal(t, "eu-central-1", rules[0].Destinations[0].Region)
	h.delete(tokReplication, "stack-a", first.ID, first.Properties)
	assert.Empty(t, h.region().ReplicationConfiguration.ReplicationConfiguration.Rules, "delete puts an empty rule list, for both stacks")
	assert.Empty(t, h.read(tokReplication, first.ID).ID, "no rules reads as not found")

	pol, _ := h.mustCreate(tokRegistryPolicy, "stack-a", map[string]any{"policy": registryPolicy("ecr:ReplicateImage")})
	h.mustCreate(tokRegistryPolicy, "stack-b", map[string]any{"policy": registryPolicy("ecr:CreateRepository")})
	assert.Contains(t, h.region().RegistryPolicy.Policy, "ecr:CreateRepository")
	h.delete(tokRegistryPolicy, "stack-a", pol.ID, pol.Properties)
	assert.Nil(t, h.region().RegistryPolicy)

	assert.Equal(t, "BASIC", h.read(tokRegistryScanning, "123456789012").Properties.Get("scanType").AsString(),
		"a registry that was never configured scans BASIC")
	scan, _ := h.mustCreate(tokRegistryScanning, "stack-a", scanning("ENHANCED", "CONTINUOUS_SCAN", "*"))
	assert.Equal(t, "ENHANCED", h.region().RegistryScanningConfiguration.ScanType)
	h.delete(tokRegistryScanning, "stack-a", scan.ID, scan.Properties)
	assert.Equal(t, &world.RegistryScanningConfiguration{RegistryID: "123456789012", ScanType: "BASIC", Rules: []world.ScanningRule{}},
		h.region().RegistryScanningConfiguration, "it cannot be deleted: it reverts to BASIC without rules")
}

func TestRegistryPolicyAndScanningErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	const invalid = "putting ECR Registry Policy (123456789012): operation error ECR: PutRegistryPolicy, https response error " +
		"StatusCode: 400, RequestID: 00000000-0000-0000-0000-fakeaws00000, InvalidParameterException: Invalid parameter at " +
		"'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'"
	assert.Equal(t, invalid, h.createErr(tokRegistryPolicy, "p", map[string]any{"policy": registryPolicy("s3:GetObject")}))
	assert.Equal(t, invalid, h.createErr(tokRegistryPolicy, "p", map[string]any{"policy": policyFor("arn:aws:iam::123456789012:role/ghost")}))
	assert.Nil(t, h.region().RegistryPolicy)

	three := scanning("ENHANCED", "CONTINUOUS_SCAN", "a*")
	three["rules"] = append(three["rules"].([]any), scanning("ENHANCED", "SCAN_ON_PUSH", "b*")["rules"].([]any)[0],
		scanning("ENHANCED", "SCAN_ON_PUSH", "c*")["rules"].([]any)[0])
	assert.Contains(t, h.createErr(tokRegistryScanning, "s", three), "'Member must have length less than or equal to 2'")
	assert.ElementsMatch(t, []string{"scanType", "rules[0].repositoryFilters[0].filterType"},
		h.failed(tokRegistryScanning, map[string]any{"scanType": "DEEP", "rules": []any{map[string]any{"scanFrequency": "MANUAL",
			"repositoryFilters": []any{map[string]any{"filter": "*", "filterType": "PREFIX_MATCH"}}}}}))
	assert.Equal(t, []string{"replicationConfiguration.rules[0].destinations[0].registryId"},
		h.failed(tokReplication, map[string]any{"replicationConfiguration": map[string]any{"rules": []any{map[string]any{
			"destinations": []any{map[string]any{"region": "us-west-2", "registryId": "12345"}}}}}}))
}

func TestPullThroughCacheRule(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	docker := map[string]any{"ecrRepositoryPrefix": "docker-hub", "upstreamRegistryUrl": "registry-1.docker.io"}
	const op = "creating ECR Pull Through Cache Rule (docker-hub): operation error ECR: CreatePullThroughCacheRule"

	assert.Contains(t, h.createErr(tokPullThroughCache, "r", with(docker, "credentialArn",
		"arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-AbCdEf")),
		op+", https response error StatusCode: 400, RequestID: 00000000-0000-0000-0000-fakeaws00000, InvalidParameterException: "+
			"Invalid parameter at 'credentialArn' failed to satisfy constraint")
	assert.Contains(t, h.createErr(tokPullThroughCache, "r", with(docker, "credentialArn",
		"arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/ghost-AbCdEf")), "SecretNotFoundException")
	assert.Empty(t, h.region().PullThroughCacheRules)

	secret := h.secret("ecr-pullthroughcache/docker-hub")
	created, oldInputs := h.mustCreate(tokPullThroughCache, "r", with(docker, "credentialArn", secret))
	assert.Equal(t, "docker-hub", created.ID)
	assert.Equal(t, secret, h.region().PullThroughCacheRules["docker-hub"].CredentialARN)
	assert.Contains(t, h.createErr(tokPullThroughCache, "again", docker),
		"PullThroughCacheRuleAlreadyExistsException", "a replacement created before the delete collides too")

	for name, tt := range map[string]struct {
		patch map[string]any
		want  map[string]p.DiffKind
	}{
		"credential updates in place": {with(docker, "credentialArn", h.secret("ecr-pullthroughcache/other")), map[string]p.DiffKind{"credentialArn": p.Update}},
		"upstream URL replaces":       {with(with(docker, "credentialArn", secret), "upstreamRegistryUrl", "ghcr.io"), map[string]p.DiffKind{"upstreamRegistryUrl": p.UpdateReplace}},
		"prefix replaces":             {with(with(docker, "credentialArn", secret), "ecrRepositoryPrefix", "docker"), map[string]p.DiffKind{"ecrRepositoryPrefix": p.UpdateReplace}},
	} {
		assert.Equal(t, tt.want, kinds(h.diff(tokPullThroughCache, "r", created.Properties, oldInputs, tt.patch)), name)
	}
	_, err := h.update(tokPullThroughCache, "r", created, oldInputs, docker)
	assert.ErrorContains(t, err, "updating ECR Pull Through Cache Rule (docker-hub): operation error ECR: UpdatePullThroughCacheRule, "+
		"https response error StatusCode: 400, RequestID: 00000000-0000-0000-0000-fakeaws00000, InvalidParameterException: "+
		"Invalid input: Please set either credential arn or role arn to update the credentials")
	assert.Equal(t, secret, h.region().PullThroughCacheRules["docker-hub"].CredentialARN, "a failed update changes nothing")

	assert.Equal(t, []string{"ecrRepositoryPrefix"}, h.failed(tokPullThroughCache,
		map[string]any{"ecrRepositoryPrefix": "Docker_Hub", "upstreamRegistryUrl": "registry-1.docker.io"}))
	h.delete(tokPullThroughCache, "r", created.ID, property.Map{})
	assert.Empty(t, h.region().PullThroughCacheRules)
}

func TestRepositoryCreationTemplate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	base := map[string]any{"prefix": "cache", "appliedFors": []any{"PULL_THROUGH_CACHE"}}
	created, _ := h.mustCreate(tokCreationTemplate, "t", base)
	assert.Equal(t, "cache", created.ID)
	tmpl := h.region().RepositoryCreationTemplates["cache"]
	assert.Equal(t, "MUTABLE", tmpl.ImageTagMutability)
	assert.Equal(t, []world.EncryptionSetting{{EncryptionType: "AES256"}}, tmpl.EncryptionConfigurations)
	assert.Contains(t, h.createErr(tokCreationTemplate, "again", base), "TemplateAlreadyExistsException")

	kms := []any{map[string]any{"encryptionType": "KMS", "kmsKey": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab"}}
	assert.Contains(t, h.createErr(tokCreationTemplate, "kms", with(with(base, "prefix", "kms"), "encryptionConfigurations", kms)),
		"A custom role is required")
	assert.Contains(t, h.createErr(tokCreationTemplate, "tags", with(with(base, "prefix", "tags"), "resourceTags", map[string]any{"a": "b"})),
		"A custom role is required")
	alias := []any{map[string]any{"encryptionType": "KMS", "kmsKey": "alias/ecr"}}
	assert.Contains(t, h.createErr(tokCreationTemplate, "alias", with(with(with(base, "prefix", "alias"), "encryptionConfigurations", alias),
		"customRoleArn", "arn:aws:iam::123456789012:role/ecr")), "Invalid parameter at 'encryptionConfiguration.kmsKey'")
	h.mustCreate(tokCreationTemplate, "ok", with(with(with(base, "prefix", "ok"), "encryptionConfigurations", kms),
		"customRoleArn", "arn:aws:iam::123456789012:role/ecr"))
	assert.Contains(t, h.createErr(tokCreationTemplate, "bad", with(base, "prefix", "Bad_Prefix")), "Invalid parameter at 'prefix'")
	assert.Equal(t, []string{"appliedFors[0]"}, h.failed(tokCreationTemplate, with(base, "appliedFors", []any{"CREATE_ON_PUSH"})),
		"CREATE_ON_PUSH is newer than pulumi-aws v6.83.2")
}
