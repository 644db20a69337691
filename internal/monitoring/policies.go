package monitoring

import (
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
)

// MaxLogResourcePolicyLength is the largest CloudWatch Logs resource policy,
// in characters (PutResourcePolicy, policyDocument "Maximum length of 5120").
const MaxLogResourcePolicyLength = 5120

// Statement IDs of the generated policies.
const (
	SidEventBridgeCreatesLogStreams = "EventBridgeCreatesLogStreams"
	SidEventBridgeWritesLogEvents   = "EventBridgeWritesLogEvents"
	SidAccountManagesTopic          = "AccountManagesTopic"
	SidEventBridgePublishes         = "EventBridgePublishesScanFindings"
	SidCloudWatchPublishes          = "CloudWatchPublishesAlarms"
)

// LogGroupArn is the ARN of a log group (the children's ARNs are derived the way
// the services derive them, so they are known before the children exist).
func LogGroupArn(partition, region, account, name string) string {
	return "arn:" + partition + ":logs:" + region + ":" + account + ":log-group:" + name
}

// RuleArn is the ARN of a rule on the default event bus.
func RuleArn(partition, region, account, name string) string {
	return "arn:" + partition + ":events:" + region + ":" + account + ":rule/" + name
}

// AlarmArn is the ARN of a metric alarm.
func AlarmArn(partition, region, account, name string) string {
	return "arn:" + partition + ":cloudwatch:" + region + ":" + account + ":alarm:" + name
}

// TopicArn is the ARN of an SNS topic.
func TopicArn(partition, region, account, name string) string {
	return "arn:" + partition + ":sns:" + region + ":" + account + ":" + name
}

// LogResourcePolicy lets EventBridge write the events of the given rules
// into the given log groups, as the pulumi-aws v6.83.2 EventTarget example
// for CloudWatch Logs does: events.amazonaws.com and
// delivery.logs.amazonaws.com may create log streams in the groups and put
// log events into them, the latter only for the rules (aws:SourceArn).
// There is one such policy per Registry, covering all of its groups: an
// account has at most 10 of them per region, shared with every other
// service and tool.
func LogResourcePolicy(partition string, groupArns, ruleArns []string) string {
	services := map[string]any{"Service": strs([]string{"delivery.logs.amazonaws.com", "events.amazonaws.com"})}
	streams := make([]string, len(groupArns))
	events := make([]string, len(groupArns))
	for i, g := range groupArns {
		streams[i] = g + ":*"
		events[i] = g + ":*:*"
	}
	doc := map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": SidEventBridgeCreatesLogStreams, "Effect": "Allow", "Principal": services,
			"Action": "logs:CreateLogStream", "Resource": strs(streams)},
		map[string]any{"Sid": SidEventBridgeWritesLogEvents, "Effect": "Allow", "Principal": services,
			"Action": "logs:PutLogEvents", "Resource": strs(events),
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": strs(ruleArns)}}},
	}}
	text, _ := policy.CanonicalizeForPartition(encode(doc), partition) // a generated document always parses
	return text
}

// TopicPolicy is the access policy of the alert topic the Registry creates:
// the account keeps managing it (what SNS's default policy allows the
// owner), EventBridge may publish for the scan-finding rules only
// (aws:SourceArn, AWS Knowledge Center "Why aren't my Amazon SNS topics
// receiving EventBridge notifications?"), and CloudWatch may publish for the
// Registry's alarms (aws:SourceArn under the alarm prefix, aws:SourceAccount).
func TopicPolicy(partition, account, topicArn string, ruleArns []string, alarmArnPrefix string) string {
	root := "arn:" + partition + ":iam::" + account + ":root"
	stmts := []any{
		map[string]any{"Sid": SidAccountManagesTopic, "Effect": "Allow", "Principal": map[string]any{"AWS": root},
			"Action": strs([]string{"sns:AddPermission", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic",
				"sns:Publish", "sns:RemovePermission", "sns:SetTopicAttributes", "sns:Subscribe"}),
			"Resource": topicArn},
	}
	if len(ruleArns) > 0 {
		stmts = append(stmts, map[string]any{"Sid": SidEventBridgePublishes, "Effect": "Allow",
			"Principal": map[string]any{"Service": "events.amazonaws.com"}, "Action": "sns:Publish", "Resource": topicArn,
			"Condition": map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": strs(ruleArns)}}})
	}
	if alarmArnPrefix != "" {
		stmts = append(stmts, map[string]any{"Sid": SidCloudWatchPublishes, "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Resource": topicArn,
			"Condition": map[string]any{
				"ArnLike":      map[string]any{"aws:SourceArn": alarmArnPrefix + "*"},
				"StringEquals": map[string]any{"aws:SourceAccount": account},
			}})
	}
	text, _ := policy.CanonicalizeForPartition(encode(map[string]any{"Version": "2012-10-17", "Statement": stmts}), partition)
	return text
}
