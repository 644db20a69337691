package main

import (
	"maps"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sample is a resource of one emulated type.
type sample struct {
	inputs  func(h *harness) map[string]any // creates what the resource needs first
	update  map[string]any                  // a change that updates it in place
	replace map[string]any                  // a change that replaces it (nil: every input updates in place)
}

func static(in map[string]any) func(*harness) map[string]any {
	return func(*harness) map[string]any { return in }
}

// samples has one sample per emulated resource type.
var samples = map[string]sample{
	tokRepository: {inputs: static(map[string]any{"name": "team/app", "imageTagMutability": "IMMUTABLE",
		"imageScanningConfiguration": map[string]any{"scanOnPush": true}, "tags": map[string]any{"team": "app"}}),
		update: map[string]any{"imageTagMutability": "MUTABLE"}, replace: map[string]any{"name": "team/app2"}},
	tokRepositoryPolicy: {inputs: withRepo(map[string]any{"repository": "repo", "policy": repoPolicy}),
		update: map[string]any{"policy": policyFor("*")}, replace: map[string]any{"repository": "other"}},
	tokLifecyclePolicy: {inputs: withRepo(map[string]any{"repository": "repo", "policy": lifecyclePolicy}),
		replace: map[string]any{"policy": lifecyclePolicyKeeping(5)}},
	tokRole: {inputs: static(map[string]any{"name": "ci", "path": "/ci/", "assumeRolePolicy": trustPolicy, "description": "CI"}),
		update: map[string]any{"description": "CD"}, replace: map[string]any{"path": "/cd/"}},

	tokReplication: {inputs: static(replication("us-west-2", "team")), update: replication("eu-central-1", "team")},
	tokRegistryPolicy: {inputs: static(map[string]any{"policy": registryPolicy("ecr:ReplicateImage")}),
		update: map[string]any{"policy": registryPolicy("ecr:CreateRepository")}},
	tokRegistryScanning: {inputs: static(scanning("ENHANCED", "CONTINUOUS_SCAN", "*")),
		update: scanning("BASIC", "SCAN_ON_PUSH", "team*")},
	tokPullThroughCache: {inputs: static(map[string]any{"ecrRepositoryPrefix": "ecr-public", "upstreamRegistryUrl": "public.ecr.aws"}),
		replace: map[string]any{"upstreamRegistryUrl": "quay.io"}},
	tokCreationTemplate: {inputs: static(map[string]any{"prefix": "cache", "appliedFors": []any{"PULL_THROUGH_CACHE"},
		"imageTagMutability": "IMMUTABLE", "lifecyclePolicy": lifecyclePolicy, "description": "cached images"}),
		update: map[string]any{"appliedFors": []any{"PULL_THROUGH_CACHE", "REPLICATION"}}, replace: map[string]any{"prefix": "mirror"}},
	tokSecret: {inputs: static(map[string]any{"name": "app/token", "description": "token"}),
		update: map[string]any{"description": "the token"}, replace: map[string]any{"name": "app/other"}},
	tokSecretVersion: {inputs: func(h *harness) map[string]any {
		return map[string]any{"secretId": h.secret("app/token"), "secretString": "s3cr3t"}
	}, update: map[string]any{"versionStages": []any{"AWSCURRENT", "v1"}}, replace: map[string]any{"secretString": "other"}},
	tokParameter: {inputs: static(map[string]any{"name": "/ecrrepos/owner", "type": "String", "value": "stack-a"}),
		update: map[string]any{"value": "stack-b"}, replace: map[string]any{"name": "/ecrrepos/other"}},
	tokKey: {inputs: static(map[string]any{"description": "repositories", "enableKeyRotation": true}),
		update: map[string]any{"description": "ECR"}, replace: map[string]any{"multiRegion": true}},
	tokAlias: {inputs: func(h *harness) map[string]any {
		return map[string]any{"name": "alias/ecr", "targetKeyId": h.key()}
	}, replace: map[string]any{"name": "alias/ecr2"}},
	tokLogGroup: {inputs: static(map[string]any{"name": "/aws/events/ecr", "retentionInDays": 14.0}),
		update: map[string]any{"retentionInDays": 30.0}, replace: map[string]any{"logGroupClass": "INFREQUENT_ACCESS"}},
	tokLogResourcePolicy: {inputs: static(map[string]any{"policyName": "events", "policyDocument": logsPolicy("a")}),
		update: map[string]any{"policyDocument": logsPolicy("b")}, replace: map[string]any{"policyName": "events2"}},
	tokEventRule: {inputs: static(map[string]any{"name": "ecr-push", "eventPattern": `{"source": ["aws.ecr"]}`}),
		update: map[string]any{"state": "DISABLED"}, replace: map[string]any{"eventBusName": "other"}},
	tokEventTarget: {inputs: func(h *harness) map[string]any {
		h.mustCreate(tokEventRule, "rule", map[string]any{"name": "ecr-push", "eventPattern": `{"source":["aws.ecr"]}`})
		return map[string]any{"rule": "ecr-push", "targetId": "logs", "arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/ecr"}
	}, update: map[string]any{"inputPath": "$.detail"}, replace: map[string]any{"targetId": "logs2"}},
	tokMetricAlarm: {inputs: static(map[string]any{"name": "unused", "comparisonOperator": "LessThanThreshold",
		"evaluationPeriods": 1.0, "namespace": "AWS/ECR", "metricName": "RepositoryPullCount", "period": 86400.0,
		"statistic": "Sum", "threshold": 1.0, "dimensions": map[string]any{"RepositoryName": "team/api"}, "treatMissingData": "breaching"}),
		update: map[string]any{"threshold": 2.0}, replace: map[string]any{"name": "unused2"}},
	tokDashboard: {inputs: static(map[string]any{"dashboardName": "ecr", "dashboardBody": `{"widgets": []}`}),
		update: map[string]any{"dashboardBody": `{"widgets":[{"type":"text"}]}`}, replace: map[string]any{"dashboardName": "ecr2"}},
	tokTopic: {inputs: static(map[string]any{"name": "ecr-alerts", "displayName": "ECR"}),
		update: map[string]any{"displayName": "ECR alerts"}, replace: map[string]any{"name": "ecr-alerts2"}},
	tokTopicPolicy: {inputs: func(h *harness) map[string]any {
		return map[string]any{"arn": h.topic("ecr-alerts"), "policy": policyWith("*")}
	}, update: map[string]any{"policy": policyFor("arn:aws:iam::210987654321:root")}, replace: map[string]any{"arn": "arn:aws:sns:eu-west-1:123456789012:other"}},
	tokSubscription: {inputs: func(h *harness) map[string]any {
		return map[string]any{"topic": h.topic("ecr-alerts"), "protocol": "sqs", "endpoint": "arn:aws:sqs:eu-west-1:123456789012:q"}
	}, update: map[string]any{"rawMessageDelivery": true}, replace: map[string]any{"endpoint": "arn:aws:sqs:eu-west-1:123456789012:q2"}},
}

func withRepo(in map[string]any) func(*harness) map[string]any {
	return func(h *harness) map[string]any {
		h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
		return in
	}
}

// staysAfterDelete are the types whose delete leaves something a Read finds,
// as upstream: scanning resets to BASIC, a topic policy to SNS's default, and
// the current version of a secret cannot be removed.
var staysAfterDelete = map[string]bool{tokRegistryScanning: true, tokTopicPolicy: true, tokSecretVersion: true}

// TestEveryTypeCanBeImported creates a resource of every emulated type, then
// reads it by ID with no state, as `pulumi import` and the import resource
// option do: the state and inputs read back must reproduce it, so a program
// with the same inputs adopts it without a change.
func TestEveryTypeCanBeImported(t *testing.T) {
	t.Parallel()
	for tok := range resourceTypes {
		t.Run(tok, func(t *testing.T) {
			t.Parallel()
			s, ok := samples[tok]
			require.True(t, ok, "add a sample for %s", tok)
			h := newHarness(t, "")
			inputs := s.inputs(h)
			created, _ := h.mustCreate(tok, "original", inputs)
			imported := h.read(tok, created.ID)
			require.Equal(t, created.ID, imported.ID)
			assert.Equal(t, mapToGo(created.Properties), mapToGo(imported.Properties))
			d := h.diff(tok, "imported", imported.Properties, imported.Inputs, inputs)
			assert.False(t, d.HasChanges, "%v", kinds(d))

			h.delete(tok, "original", created.ID, created.Properties)
			if !staysAfterDelete[tok] {
				assert.Empty(t, h.read(tok, created.ID).ID, "gone after delete")
			}
		})
	}
}

// TestEveryTypeUpdatesOrReplaces checks each type's sample change that
// pulumi-aws applies in place (an Update the world sees) and one that
// replaces it (ForceNew upstream).
func TestEveryTypeUpdatesOrReplaces(t *testing.T) {
	t.Parallel()
	for tok, s := range samples {
		t.Run(tok, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, "")
			inputs := s.inputs(h)
			created, oldInputs := h.mustCreate(tok, "res", inputs)
			patched := func(patch map[string]any) map[string]any {
				out := with(inputs, "", nil)
				maps.Copy(out, patch)
				return out
			}
			if s.update != nil {
				d := h.diff(tok, "res", created.Properties, oldInputs, patched(s.update))
				require.True(t, d.HasChanges)
				for k, v := range d.DetailedDiff {
					assert.NotContains(t, v.Kind, "replace", k)
				}
				before := len(h.journal())
				_, err := h.update(tok, "res", created, oldInputs, patched(s.update))
				require.NoError(t, err)
				assert.Equal(t, []string{"update " + tok + " " + created.ID}, h.ops(before))
			}
			if s.replace != nil {
				d := h.diff(tok, "res", created.Properties, oldInputs, patched(s.replace))
				replaced := false
				for _, v := range d.DetailedDiff {
					replaced = replaced || v.Kind == p.UpdateReplace || v.Kind == p.AddReplace || v.Kind == p.DeleteReplace
				}
				assert.True(t, replaced, "%v", kinds(d))
			}
		})
	}
}
