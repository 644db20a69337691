package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func watchedArgs(m MonitoringArgs) RegistryArgs {
	return RegistryArgs{
		Tags:         pulumi.StringMap{"owner": pulumi.String("platform")},
		Repositories: map[string]RepositoryArgs{"team/api": {}, "team/web": {}},
		Monitoring:   &m,
	}
}

func everything() MonitoringArgs {
	return MonitoringArgs{
		Alerts:       &AlertsArgs{Emails: pulumi.StringArray{pulumi.String("platform@example.com"), pulumi.ToSecret(pulumi.String("oncall@example.com")).(pulumi.StringOutput)}},
		EventLog:     &EventLogArgs{},
		ScanFindings: &ScanFindingsArgs{},
		Alarms: map[string]AlarmArgs{
			"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(7), Repositories: []string{"team/api"}},
			"quota":  {MetricName: "CallCount", ApiAction: ptr("GetAuthorizationToken")},
		},
		Dashboard: &DashboardArgs{},
	}
}

// Every part with its defaults: what is registered, with which inputs and
// options, and the outputs.
func TestMonitoringRegistersEveryPart(t *testing.T) {
	t.Parallel()
	r := run(t, watchedArgs(everything())).ok(t)

	group := r.one(t, logGroupType, "main/event-log")
	assert.Equal(t, "/aws/events/ecr/project/stack/main", group.input("name").AsString())
	assert.Equal(t, 90.0, group.input("retentionInDays").AsNumber())
	assert.Equal(t, "platform", group.input("tags", "owner").AsString())
	assert.False(t, hasInput(group, "kmsKeyId"))

	policy := r.one(t, logPolicyType, "main/event-log")
	assert.Equal(t, "ecr-project-stack-main-events-to-logs", policy.input("policyName").AsString())
	assert.Contains(t, policy.input("policyDocument").AsString(), `"aws:SourceArn":["arn:aws:events:eu-west-1:123456789012:rule/ecr-project-stack-main-event-log-1","arn:aws:events:eu-west-1:123456789012:rule/ecr-project-stack-main-event-log-2"]`)

	assert.ElementsMatch(t, []string{"main/event-log-1", "main/event-log-2", "main/scan-findings-1", "main/inspector-scan-1"}, r.ofType(eventRuleType))
	log1 := r.one(t, eventRuleType, "main/event-log-1")
	assert.Equal(t, "ecr-project-stack-main-event-log-1", log1.input("name").AsString())
	assert.Equal(t, `{"detail":{"repository-name":["team/api","team/web"]},"detail-type":["ECR Image Action","ECR Image Scan","ECR Pull Through Cache Action","ECR Replication Action"],"source":["aws.ecr"]}`,
		log1.input("eventPattern").AsString())
	logTarget := r.one(t, eventTargetType, "main/event-log-1")
	assert.Equal(t, "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/ecr/project/stack/main", logTarget.input("arn").AsString())
	assert.Equal(t, "ecr-project-stack-main-event-log-1", logTarget.input("rule").AsString())
	assert.Contains(t, logTarget.Dependencies, "urn:pulumi:stack::project::"+RegistryToken+"$"+logPolicyType+"::main/event-log", "writes once the policy lets it")

	scan := r.one(t, eventRuleType, "main/scan-findings-1")
	assert.Contains(t, scan.input("eventPattern").AsString(), `"finding-severity-counts":{"$or":[{"CRITICAL":[{"numeric":[">",0]}]},{"HIGH":[{"numeric":[">",0]}]}]}`)
	scanTarget := r.one(t, eventTargetType, "main/scan-findings-1")
	assert.Equal(t, "arn:aws:sns:eu-west-1:123456789012:ecr-project-stack-main-alerts", scanTarget.input("arn").AsString())
	assert.Equal(t, "$.detail.image-tags[0]", scanTarget.input("inputTransformer", "inputPaths", "tag").AsString())
	assert.Contains(t, scanTarget.input("inputTransformer", "inputTemplate").AsString(), `"Findings: CRITICAL <critical>, HIGH <high>"`)
	assert.Contains(t, r.one(t, eventRuleType, "main/inspector-scan-1").input("eventPattern").AsString(),
		`"repository-name":["arn:aws:ecr:eu-west-1:123456789012:repository/team/api","arn:aws:ecr:eu-west-1:123456789012:repository/team/web"]`)

	topic := r.one(t, topicType, "main/alerts")
	assert.Equal(t, "ecr-project-stack-main-alerts", topic.input("name").AsString())
	topicPolicy := r.one(t, topicPolicyType, "main/alerts").input("policy").AsString()
	assert.Contains(t, topicPolicy, `"Principal":{"Service":"events.amazonaws.com"}`)
	assert.Contains(t, topicPolicy, `"aws:SourceArn":["arn:aws:events:eu-west-1:123456789012:rule/ecr-project-stack-main-inspector-scan-1","arn:aws:events:eu-west-1:123456789012:rule/ecr-project-stack-main-scan-findings-1"]`)
	assert.Contains(t, topicPolicy, `"Principal":{"Service":"cloudwatch.amazonaws.com"}`)
	assert.ElementsMatch(t, []string{"main/alerts-email-0", "main/alerts-email-1"}, r.ofType(subscriptionType))
	sub := r.one(t, subscriptionType, "main/alerts-email-1")
	assert.Equal(t, "email", sub.input("protocol").AsString())
	assert.True(t, sub.input("endpoint").Secret(), "a secret address stays secret")

	unused := r.one(t, metricAlarmType, "main/alarm/unused/team/api")
	assert.Equal(t, "ecr/project/stack/main/unused/team/api", unused.input("name").AsString())
	assert.Equal(t, "AWS/ECR", unused.input("namespace").AsString())
	assert.Equal(t, "RepositoryPullCount", unused.input("metricName").AsString())
	assert.Equal(t, "team/api", unused.input("dimensions", "RepositoryName").AsString())
	assert.Equal(t, 86400.0, unused.input("period").AsNumber())
	assert.Equal(t, 7.0, unused.input("evaluationPeriods").AsNumber())
	assert.Equal(t, "breaching", unused.input("treatMissingData").AsString())
	assert.Equal(t, "arn:aws:sns:eu-west-1:123456789012:ecr-project-stack-main-alerts", unused.input("alarmActions", "0").AsString())
	assert.Equal(t, "arn:aws:sns:eu-west-1:123456789012:ecr-project-stack-main-alerts", unused.input("okActions", "0").AsString())
	assert.Equal(t, "platform", unused.input("tags", "owner").AsString())
	quota := r.one(t, metricAlarmType, "main/alarm/quota")
	assert.Equal(t, "m1/60/SERVICE_QUOTA(m1)*100", quota.input("metricQueries", "1", "expression").AsString())
	assert.Equal(t, "GetAuthorizationToken", quota.input("metricQueries", "0", "metric", "dimensions", "Resource").AsString())
	assert.Equal(t, 80.0, quota.input("threshold").AsNumber())
	assert.False(t, hasInput(quota, "metricName"), "a metric-math alarm names its metric in the query")

	dashboard := r.one(t, dashboardType, "main/dashboard")
	assert.Equal(t, "ecr-project-stack-main", dashboard.input("dashboardName").AsString())
	body := dashboard.input("dashboardBody").AsString()
	assert.Contains(t, body, `["AWS/ECR","RepositoryPullCount","RepositoryName","team/web"]`)
	assert.Contains(t, body, "SOURCE '/aws/events/ecr/project/stack/main'")
	assert.Contains(t, body, `"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ecr/project/stack/main/quota"`)

	for _, res := range r.resources {
		if res.Type != registryType {
			assert.Equal(t, componentURN, res.Parent, "%s %s is a child of the component", res.Type, res.Name)
		}
	}

	assert.Equal(t, "/aws/events/ecr/project/stack/main", r.outputs["eventLogGroupName"])
	assert.Equal(t, "arn:aws:sns:eu-west-1:123456789012:ecr-project-stack-main-alerts", r.outputs["alertTopicArn"])
	assert.Equal(t, "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=ecr-project-stack-main", r.outputs["dashboardUrl"])
	assert.Equal(t, map[string]string{
		"unused/team/api": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ecr/project/stack/main/unused/team/api",
		"quota":           "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ecr/project/stack/main/quota",
	}, r.stringMap("alarmArns"))
}

// hasInput reports whether a registered resource has an input.
func hasInput(res registered, key string) bool {
	_, ok := res.Inputs.GetOk(key)
	return ok
}

func TestNoMonitoringMeansEmptyOutputs(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("team/api", RepositoryArgs{})}).ok(t)
	for _, o := range []string{"eventLogGroupName", "alertTopicArn", "dashboardUrl"} {
		assert.Equal(t, "", r.outputs[o], o)
	}
	assert.Empty(t, r.stringMap("alarmArns"))
	assert.Len(t, r.resources, 3, "the component, the repository and its lifecycle policy")
}

// An existing topic: nothing is created for it, its ARN is the target and
// the output, and it is checked when it arrives as an output.
func TestExistingAlertTopic(t *testing.T) {
	t.Parallel()
	topic := "arn:aws:sns:eu-west-1:123456789012:platform-alerts"
	r := run(t, watchedArgs(MonitoringArgs{
		Alerts: &AlertsArgs{TopicArn: later(topic)}, ScanFindings: &ScanFindingsArgs{Severities: []FindingSeverity{"CRITICAL"}, InspectorFindings: ptr(true)},
	})).ok(t)
	assert.Empty(t, r.ofType(topicType))
	assert.Empty(t, r.ofType(topicPolicyType))
	assert.Empty(t, r.ofType(subscriptionType))
	assert.ElementsMatch(t, []string{"main/scan-findings-1", "main/inspector-scan-1", "main/inspector-finding-1"}, r.ofType(eventRuleType))
	assert.Equal(t, topic, r.one(t, eventTargetType, "main/inspector-finding-1").input("arn").AsString())
	assert.Equal(t, `{"detail":{"resources":{"details":{"awsEcrContainerImage":{"repositoryName":["team/api","team/web"]}}},"severity":["CRITICAL"],"status":["ACTIVE"]},"detail-type":["Inspector2 Finding"],"source":["aws.inspector2"]}`,
		r.one(t, eventRuleType, "main/inspector-finding-1").input("eventPattern").AsString())
	assert.Equal(t, topic, r.outputs["alertTopicArn"])

	bad := run(t, watchedArgs(MonitoringArgs{Alerts: &AlertsArgs{TopicArn: later("arn:aws:sns:us-east-1:123456789012:x")}, ScanFindings: &ScanFindingsArgs{}}))
	require.Error(t, bad.err)
	assert.Contains(t, bad.err.Error(), `monitoring.alerts.topicArn: must be a topic in the registry's region eu-west-1`)
	assert.Equal(t, []string{registryType + "::main"}, bad.names(), "the gate holds every AWS child back")
}

// The event log encrypted with the created key: the log group uses it and the
// key policy lets CloudWatch Logs use it for that group only.
func TestEventLogWithTheCreatedKey(t *testing.T) {
	t.Parallel()
	args := watchedArgs(MonitoringArgs{EventLog: &EventLogArgs{UseCreatedKey: ptr(true), RetentionInDays: ptr(365), LogGroupName: ptr("/aws/events/platform/ecr")}})
	args.Encryption = &RegistryEncryptionArgs{Kms: &KmsKeyArgs{Create: ptr(true)}}
	r := run(t, args).ok(t)
	group := r.one(t, logGroupType, "main/event-log")
	assert.Equal(t, createdKeyArn, group.input("kmsKeyId").AsString())
	assert.Equal(t, 365.0, group.input("retentionInDays").AsNumber())
	assert.Contains(t, r.one(t, kmsKeyType, "main/kms").input("policy").AsString(),
		`"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/platform/ecr"`)

	args = watchedArgs(MonitoringArgs{EventLog: &EventLogArgs{KmsKeyArn: pulumi.String(keyArn)}})
	assert.Equal(t, keyArn, run(t, args).ok(t).one(t, logGroupType, "main/event-log").input("kmsKeyId").AsString())
}

func TestInvalidMonitoringRegistersNothing(t *testing.T) {
	t.Parallel()
	run(t, watchedArgs(MonitoringArgs{
		EventLog:     &EventLogArgs{RetentionInDays: ptr(45)},
		ScanFindings: &ScanFindingsArgs{Severities: []FindingSeverity{"HIGH"}},
		Alarms:       map[string]AlarmArgs{"size": {MetricName: "RepositorySizeInBytes"}},
		Dashboard:    &DashboardArgs{Name: ptr("a/b")},
	})).rejected(t,
		`monitoring.eventLog.retentionInDays: must be one of the retention periods CloudWatch Logs accepts`,
		`monitoring.scanFindings.severities: alerts are for findings at or above a level`,
		`monitoring.alarms["size"].metricName: must be one of CallCount or RepositoryPullCount`,
		`monitoring.alerts: scanFindings and alarms send their alerts to an SNS topic`,
		`monitoring.dashboard.name: must be 1 to 255 letters`)
}

// Many repositories are split over several rules, each pattern within the quota.
func TestManyRepositoriesSplitOverRules(t *testing.T) {
	t.Parallel()
	repositories := map[string]RepositoryArgs{}
	for i := range 120 {
		repositories[fmt.Sprintf("team-%s/service-%03d", strings.Repeat("x", 20), i)] = RepositoryArgs{}
	}
	args := RegistryArgs{Repositories: repositories, Monitoring: &MonitoringArgs{EventLog: &EventLogArgs{}}}
	r := run(t, args).ok(t)
	rules := r.ofType(eventRuleType)
	require.Greater(t, len(rules), 4)
	for _, name := range rules {
		assert.LessOrEqual(t, len(r.one(t, eventRuleType, name).input("eventPattern").AsString()), 2048)
	}
	assert.Len(t, r.ofType(eventTargetType), len(rules))
}
