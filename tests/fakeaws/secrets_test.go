package main

import (
	"regexp"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSecretAndVersions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	secret, secretIn := h.mustCreate(tokSecret, "token", map[string]any{"name": "ecr-pullthroughcache/docker-hub"})
	assert.Regexp(t, regexp.MustCompile(`^arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-[0-9a-f]{6}$`), secret.ID)
	assert.Equal(t, 30.0, secretIn.Get("recoveryWindowInDays").AsNumber(), "Check applies the TF default")

	first, _ := h.mustCreate(tokSecretVersion, "v1", map[string]any{"secretId": secret.ID, "secretString": `{"username":"u","accessToken":"t1"}`})
	assert.Regexp(t, regexp.MustCompile(`^`+regexp.QuoteMeta(secret.ID)+`\|[0-9a-f-]{36}$`), first.ID)
	assert.True(t, first.Properties.Get("secretString").Secret(), "the secret string is a secret output")
	second, _ := h.mustCreate(tokSecretVersion, "v2", map[string]any{"secretId": secret.ID, "secretString": `{"username":"u","accessToken":"t2"}`})
	stored := h.region().Secret(secret.ID)
	assert.Equal(t, `{"username":"u","accessToken":"t2"}`, stored.Current().SecretString, "the secret string arrived")
	firstID := first.Properties.Get("versionId").AsString()
	assert.Equal(t, []string{"AWSPREVIOUS"}, stored.Versions[firstID].VersionStages)
	assert.Contains(t, h.createErr(tokSecretVersion, "v", map[string]any{"secretId": "ghost", "secretString": "x"}),
		"ResourceNotFoundException: Secrets Manager can't find the specified secret.")
	h.delete(tokSecretVersion, "v2", second.ID, second.Properties)
	assert.NotNil(t, h.region().Secret(secret.ID).Current(), "AWSCURRENT cannot be removed")

	// Names are unique, even while a deleted secret waits out its recovery window.
	assert.Contains(t, h.createErr(tokSecret, "dup", map[string]any{"name": "ecr-pullthroughcache/docker-hub"}),
		"ResourceExistsException: The operation failed because the secret ecr-pullthroughcache/docker-hub already exists.")
	h.delete(tokSecret, "token", secret.ID, secret.Properties)
	assert.Empty(t, h.read(tokSecret, secret.ID).ID, "a secret scheduled for deletion is gone")
	assert.Contains(t, h.createErr(tokSecret, "again", map[string]any{"name": "ecr-pullthroughcache/docker-hub"}),
		"InvalidRequestException: You can't create this secret because a secret with this name is already scheduled for deletion.")
	quick, _ := h.mustCreate(tokSecret, "quick", map[string]any{"name": "quick", "recoveryWindowInDays": 0.0})
	h.delete(tokSecret, "quick", quick.ID, quick.Properties)
	h.mustCreate(tokSecret, "quick", map[string]any{"name": "quick"}) // deleted without recovery: the name is free
	assert.Equal(t, []string{"recoveryWindowInDays"}, h.failed(tokSecret, map[string]any{"name": "x", "recoveryWindowInDays": 3.0}))
}

func TestParameterIsAnOwnerLock(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	lock := map[string]any{"name": "/ecrrepos/registry-owner/eu-west-1", "type": "String", "value": "stack-a"}
	created, oldInputs := h.mustCreate(tokParameter, "lock", lock)
	assert.Equal(t, "/ecrrepos/registry-owner/eu-west-1", created.ID)
	assert.Equal(t, "arn:aws:ssm:eu-west-1:123456789012:parameter/ecrrepos/registry-owner/eu-west-1", created.Properties.Get("arn").AsString())
	assert.Equal(t, 1.0, created.Properties.Get("version").AsNumber())

	assert.Equal(t, "creating SSM Parameter (/ecrrepos/registry-owner/eu-west-1): operation error SSM: PutParameter, https response "+
		"error StatusCode: 400, RequestID: 00000000-0000-0000-0000-fakeaws00000, ParameterAlreadyExists: The parameter already "+
		"exists. To overwrite this value, set the overwrite option in the request to true.",
		h.createErr(tokParameter, "lock-b", with(lock, "value", "stack-b")), "another stack cannot take the lock")
	assert.Equal(t, "stack-a", h.region().Parameters[created.ID].Value)
	taken, _ := h.mustCreate(tokParameter, "lock-b", with(with(lock, "value", "stack-b"), "overwrite", true))
	assert.Equal(t, 2.0, taken.Properties.Get("version").AsNumber(), "overwrite: true takes it")

	resp, err := h.update(tokParameter, "lock", created, oldInputs, with(lock, "tags", map[string]any{"k": "v"}))
	require.NoError(t, err)
	assert.Equal(t, 2.0, resp.Properties.Get("version").AsNumber(), "tags alone make no new version")
	resp, err = h.update(tokParameter, "lock", created, oldInputs, with(lock, "value", "stack-c"))
	require.NoError(t, err)
	assert.Equal(t, 3.0, resp.Properties.Get("version").AsNumber())
	assert.True(t, resp.Properties.Get("value").Secret())
	assert.Equal(t, map[string]p.DiffKind{"name": p.UpdateReplace},
		kinds(h.diff(tokParameter, "lock", created.Properties, oldInputs, with(lock, "name", "/other"))))
	assert.Equal(t, []string{"value"}, h.failed(tokParameter, with(lock, "insecureValue", "x")))
	h.delete(tokParameter, "lock", created.ID, property.Map{})
	assert.Empty(t, h.region().Parameters)
}

func TestKeyAndAlias(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	key, keyIn := h.mustCreate(tokKey, "key", map[string]any{"description": "repositories"})
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`), key.ID)
	assert.Equal(t, "arn:aws:kms:eu-west-1:123456789012:key/"+key.ID, key.Properties.Get("arn").AsString())
	assert.Contains(t, key.Properties.Get("policy").AsString(), `"arn:aws:iam::123456789012:root"`, "KMS's default key policy")
	assert.Equal(t, map[string]p.DiffKind{"keyUsage": p.UpdateReplace},
		kinds(h.diff(tokKey, "key", key.Properties, keyIn, map[string]any{"description": "repositories", "keyUsage": "SIGN_VERIFY"})))
	assert.Contains(t, h.createErr(tokKey, "bad", map[string]any{"policy": policyFor("arn:aws:iam::123456789012:role/ghost")}),
		"MalformedPolicyDocumentException: Policy contains a statement with one or more invalid principals.")
	assert.Equal(t, []string{"rotationPeriodInDays"}, h.failed(tokKey, map[string]any{"rotationPeriodInDays": 90.0}))

	assert.ElementsMatch(t, []string{"name"}, h.failed(tokAlias, map[string]any{"name": "ecr", "targetKeyId": key.ID}))
	assert.ElementsMatch(t, []string{"name"}, h.failed(tokAlias, map[string]any{"name": "alias/aws/ecr", "targetKeyId": key.ID}))
	assert.Contains(t, h.createErr(tokAlias, "a", map[string]any{"name": "alias/ecr", "targetKeyId": "ghost"}), "NotFoundException")
	alias, aliasIn := h.mustCreate(tokAlias, "a", map[string]any{"name": "alias/ecr", "targetKeyId": key.ID})
	assert.Equal(t, "arn:aws:kms:eu-west-1:123456789012:alias/ecr", alias.Properties.Get("arn").AsString())
	assert.Equal(t, key.Properties.Get("arn"), alias.Properties.Get("targetKeyArn"))
	assert.Contains(t, h.createErr(tokAlias, "b", map[string]any{"name": "alias/ecr", "targetKeyId": key.ID}),
		"AlreadyExistsException: An alias with the name arn:aws:kms:eu-west-1:123456789012:alias/ecr already exists")

	other := h.key()
	_, err := h.update(tokAlias, "a", alias, aliasIn, map[string]any{"name": "alias/ecr", "targetKeyId": other})
	require.NoError(t, err, "retargeting updates in place")
	assert.Equal(t, other, h.region().Aliases["alias/ecr"].TargetKeyID)

	h.delete(tokKey, "key", key.ID, key.Properties)
	assert.Equal(t, "PendingDeletion", h.region().Keys[key.ID].KeyState)
	assert.Empty(t, h.read(tokKey, key.ID).ID, "a key pending deletion is gone")
	assert.Contains(t, h.createErr(tokAlias, "c", map[string]any{"name": "alias/c", "targetKeyId": key.ID}), "KMSInvalidStateException")
}
