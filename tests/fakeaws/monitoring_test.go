package main

import (
	"fmt"
	"regexp"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

func logsPolicy(sid string) string {
	return mustJSON(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Sid": sid, "Effect": "Allow",
		"Principal": map[string]any{"Service": []any{"events.amazonaws.com", "delivery.logs.amazonaws.com"}},
		"Action":    []any{"logs:CreateLogStream", "logs:PutLogEvents"}, "Resource": "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/*"}}})
}

func TestLogGroupAndResourcePolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	group, _ := h.mustCreate(tokLogGroup, "g", map[string]any{"name": "/aws/events/ecr"})
	assert.Equal(t, "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/ecr", group.Properties.Get("arn").AsString())
	assert.Equal(t, "STANDARD", h.region().LogGroups["/aws/events/ecr"].LogGroupClass)
	assert.Contains(t, h.createErr(tokLogGroup, "dup", map[string]any{"name": "/aws/events/ecr"}),
		"ResourceAlreadyExistsException: The specified log group already exists")
	assert.Equal(t, []string{"retentionInDays"}, h.failed(tokLogGroup, map[string]any{"name": "x", "retentionInDays": 2.0}))
	kept, _ := h.mustCreate(tokLogGroup, "kept", map[string]any{"name": "kept", "skipDestroy": true})
	h.delete(tokLogGroup, "kept", kept.ID, kept.Properties)
	assert.Contains(t, h.region().LogGroups, "kept", "skipDestroy leaves the group in AWS")

	for i := range 10 {
		h.mustCreate(tokLogResourcePolicy, "p", map[string]any{"policyName": fmt.Sprintf("p%d", i), "policyDocument": logsPolicy("a")})
	}
	h.mustCreate(tokLogResourcePolicy, "p", map[string]any{"policyName": "p0", "policyDocument": parseJSON(t, logsPolicy("b"))})
	assert.Contains(t, h.region().LogResourcePolicies["p0"].PolicyDocument, `"Sid":"b"`, "the same name is overwritten silently")
	assert.Contains(t, h.createErr(tokLogResourcePolicy, "p", map[string]any{"policyName": "p10", "policyDocument": logsPolicy("a")}),
		"LimitExceededException: Resource limit exceeded.", "10 per region")
	assert.Contains(t, h.createErr(tokLogResourcePolicy, "p", map[string]any{"policyName": "p0",
		"policyDocument": logsPolicy(fmt.Sprintf("%05120d", 0))}), "Member must have length less than or equal to 5120")
}

func TestEventRuleAndTarget(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	pattern := `{"source":["aws.ecr"],"detail-type":["ECR Image Action"]}`
	assert.Equal(t, []string{"eventPattern"}, h.failed(tokEventRule, map[string]any{"name": "r"}))
	assert.Contains(t, h.createErr(tokEventTarget, "t", map[string]any{"rule": "ecr-push", "arn": "arn:aws:sns:eu-west-1:123456789012:t"}),
		"ResourceNotFoundException: Rule ecr-push does not exist on EventBus default.")

	rule, _ := h.mustCreate(tokEventRule, "r", map[string]any{"name": "ecr-push", "eventPattern": pattern})
	assert.Equal(t, "ecr-push", rule.ID)
	assert.Equal(t, "arn:aws:events:eu-west-1:123456789012:rule/ecr-push", rule.Properties.Get("arn").AsString())
	assert.Equal(t, "ENABLED", h.region().EventRules["ecr-push"].State)
	legacy, legacyIn := h.mustCreate(tokEventRule, "l", map[string]any{"name": "legacy", "eventPattern": pattern, "isEnabled": true})
	_, err := h.update(tokEventRule, "l", legacy, legacyIn, map[string]any{"name": "legacy", "eventPattern": pattern, "isEnabled": false})
	require.NoError(t, err)
	assert.Equal(t, "DISABLED", h.region().EventRules["legacy"].State, "the deprecated isEnabled sets the state")
	onBus, _ := h.mustCreate(tokEventRule, "b", map[string]any{"name": "ecr-push", "eventBusName": "ops", "eventPattern": pattern})
	assert.Equal(t, "ops/ecr-push", onBus.ID)
	assert.Equal(t, "arn:aws:events:eu-west-1:123456789012:rule/ops/ecr-push", onBus.Properties.Get("arn").AsString())

	target, _ := h.mustCreate(tokEventTarget, "t", map[string]any{"rule": "ecr-push", "arn": "arn:aws:sns:eu-west-1:123456789012:t",
		"inputTransformer": map[string]any{"inputPaths": map[string]any{"repo": "$.detail.repository-name"}, "inputTemplate": `"<repo>"`}})
	assert.Regexp(t, regexp.MustCompile(`^ecr-push-terraform-[0-9]{18}[0-9a-f]{8}$`), target.ID, "an omitted targetId is generated")
	assert.Equal(t, "$.detail.repository-name", h.region().EventTargets[target.ID].InputTransformer["inputPaths"].(map[string]any)["repo"])
	assert.ElementsMatch(t, []string{"input", "inputTransformer.inputPaths"}, h.failed(tokEventTarget, map[string]any{"rule": "r", "arn": "a",
		"input": "{}", "inputTransformer": map[string]any{"inputPaths": map[string]any{"AWSAccount": "$.account"}, "inputTemplate": "x"}}))

	err = h.s.Delete(p.DeleteRequest{ID: "ecr-push", Urn: urnOf(tokEventRule, "r")})
	assert.ErrorContains(t, err, "ValidationException: Rule can't be deleted since it has targets.")
	h.delete(tokEventTarget, "t", target.ID, property.Map{})
	h.delete(tokEventRule, "r", "ecr-push", property.Map{})
	assert.Equal(t, []string{"legacy", "ops/ecr-push"}, world.Sorted(h.region().EventRules))
}

func TestMetricAlarmAndDashboard(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	alarm := samples[tokMetricAlarm].inputs(h)
	created, _ := h.mustCreate(tokMetricAlarm, "a", alarm)
	assert.Equal(t, "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:unused", created.Properties.Get("arn").AsString())
	assert.True(t, created.Properties.Get("actionsEnabled").AsBool(), "TF default")
	assert.Equal(t, []string{"statistic"}, h.failed(tokMetricAlarm, with(alarm, "statistic", nil)))
	h.mustCreate(tokMetricAlarm, "b", with(alarm, "threshold", 5.0))
	assert.Equal(t, 5.0, h.region().MetricAlarms["unused"].Threshold, "PutMetricAlarm overwrites an alarm of the same name")

	board, _ := h.mustCreate(tokDashboard, "d", map[string]any{"dashboardName": "ecr", "dashboardBody": `{"widgets":[]}`})
	assert.Equal(t, "arn:aws:cloudwatch::123456789012:dashboard/ecr", board.Properties.Get("dashboardArn").AsString(), "dashboards are global")
	assert.Contains(t, h.world().Dashboards, "ecr")
	assert.Contains(t, h.createErr(tokDashboard, "d", map[string]any{"dashboardName": "bad", "dashboardBody": `{}`}),
		"InvalidParameterInput: The dashboard body is invalid")
}

func TestTopicPolicyAndSubscriptions(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	topic, topicIn := h.mustCreate(tokTopic, "t", map[string]any{"name": "ecr-alerts", "displayName": "ECR"})
	assert.Equal(t, "arn:aws:sns:eu-west-1:123456789012:ecr-alerts", topic.ID)
	assert.Equal(t, world.DefaultTopicPolicy(topic.ID), topic.Properties.Get("policy").AsString())
	again, _ := h.mustCreate(tokTopic, "t2", map[string]any{"name": "ecr-alerts", "displayName": "ECR"})
	assert.Equal(t, topic.ID, again.ID, "CreateTopic is idempotent for the same attributes")
	assert.Contains(t, h.createErr(tokTopic, "t3", map[string]any{"name": "ecr-alerts", "displayName": "other"}),
		"Topic already exists with different attributes")
	assert.Equal(t, []string{"name"}, h.failed(tokTopic, map[string]any{"name": "plain", "fifoTopic": true}))
	assert.Equal(t, p.UpdateReplace,
		kinds(h.diff(tokTopic, "t", topic.Properties, topicIn, map[string]any{"name": "ecr-alerts.fifo", "displayName": "ECR", "fifoTopic": true}))["fifoTopic"])

	pol, _ := h.mustCreate(tokTopicPolicy, "p", map[string]any{"arn": topic.ID, "policy": policyWith("*")})
	assert.Contains(t, h.region().Topics["ecr-alerts"].Policy, "ecr:BatchGetImage")
	h.delete(tokTopicPolicy, "p", pol.ID, pol.Properties)
	assert.Equal(t, world.DefaultTopicPolicy(topic.ID), h.region().Topics["ecr-alerts"].Policy, "a topic policy cannot be removed: the default comes back")
	assert.Contains(t, h.createErr(tokTopicPolicy, "p", map[string]any{"arn": topic.ID + "x", "policy": policyWith("*")}), "NotFoundException")

	email, _ := h.mustCreate(tokSubscription, "e", map[string]any{"topic": topic.ID, "protocol": "email", "endpoint": "ops@example.com"})
	assert.True(t, email.Properties.Get("pendingConfirmation").AsBool())
	sqs, _ := h.mustCreate(tokSubscription, "q", map[string]any{"topic": topic.ID, "protocol": "sqs", "endpoint": "arn:aws:sqs:eu-west-1:123456789012:q"})
	assert.False(t, sqs.Properties.Get("pendingConfirmation").AsBool())
	assert.Regexp(t, regexp.MustCompile(`^`+regexp.QuoteMeta(topic.ID)+`:[0-9a-f-]{36}$`), sqs.ID)
	h.delete(tokSubscription, "e", email.ID, property.Map{})
	assert.Contains(t, h.region().Subscriptions, email.ID, "a pending subscription cannot be unsubscribed")
	assert.Contains(t, h.createErr(tokSubscription, "x", map[string]any{"topic": topic.ID + "x", "protocol": "sqs", "endpoint": "e"}),
		"NotFoundException: Topic does not exist")
	h.delete(tokTopic, "t", topic.ID, property.Map{})
	require.Empty(t, h.region().Topics)
	assert.Empty(t, h.region().Subscriptions, "deleting a topic deletes its subscriptions")
}
