package monitoring

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var n = Names{Project: "shop", Stack: "prod", Registry: "main"}

func TestLogResourcePolicy(t *testing.T) {
	t.Parallel()
	group := LogGroupArn("aws", "eu-west-1", "123456789012", n.LogGroupName())
	rules := []string{RuleArn("aws", "eu-west-1", "123456789012", n.RuleName("event-log-1")), RuleArn("aws", "eu-west-1", "123456789012", n.RuleName("event-log-2"))}
	doc := LogResourcePolicy("aws", []string{group}, rules)
	assert.Equal(t, `{"Version":"2012-10-17","Statement":[`+
		`{"Sid":"EventBridgeCreatesLogStreams","Effect":"Allow","Principal":{"Service":["delivery.logs.amazonaws.com","events.amazonaws.com"]},"Action":"logs:CreateLogStream","Resource":"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/ecr/shop/prod/main:*"},`+
		`{"Sid":"EventBridgeWritesLogEvents","Effect":"Allow","Principal":{"Service":["delivery.logs.amazonaws.com","events.amazonaws.com"]},"Action":"logs:PutLogEvents","Resource":"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/ecr/shop/prod/main:*:*",`+
		`"Condition":{"ArnEquals":{"aws:SourceArn":["arn:aws:events:eu-west-1:123456789012:rule/ecr-shop-prod-main-event-log-1","arn:aws:events:eu-west-1:123456789012:rule/ecr-shop-prod-main-event-log-2"]}}}]}`, doc)
	assert.LessOrEqual(t, len(doc), MaxLogResourcePolicyLength)
}

func TestTopicPolicy(t *testing.T) {
	t.Parallel()
	topic := TopicArn("aws", "eu-west-1", "123456789012", n.TopicName())
	rule := RuleArn("aws", "eu-west-1", "123456789012", n.RuleName("scan-findings"))
	doc := TopicPolicy("aws", "123456789012", topic, []string{rule}, AlarmArn("aws", "eu-west-1", "123456789012", n.AlarmPrefix()))
	var parsed struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(doc), &parsed))
	require.Len(t, parsed.Statement, 3)
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::123456789012:root"}, parsed.Statement[0]["Principal"])
	assert.Equal(t, map[string]any{"Service": "events.amazonaws.com"}, parsed.Statement[1]["Principal"])
	assert.Equal(t, map[string]any{"ArnEquals": map[string]any{"aws:SourceArn": rule}}, parsed.Statement[1]["Condition"], "only this Registry's rules may publish")
	assert.Equal(t, map[string]any{"Service": "cloudwatch.amazonaws.com"}, parsed.Statement[2]["Principal"])
	assert.Equal(t, map[string]any{
		"ArnLike":      map[string]any{"aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ecr/shop/prod/main/*"},
		"StringEquals": map[string]any{"aws:SourceAccount": "123456789012"},
	}, parsed.Statement[2]["Condition"])
	for _, s := range parsed.Statement {
		assert.Equal(t, topic, s["Resource"])
	}
	onlyOwner := TopicPolicy("aws", "123456789012", topic, nil, "")
	assert.Equal(t, 1, strings.Count(onlyOwner, `"Sid"`))
}

func TestNames(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "ecr-shop-prod-main-event-log", n.RuleName("event-log"))
	assert.Equal(t, "/aws/events/ecr/shop/prod/main", n.LogGroupName())
	assert.Equal(t, "ecr-shop-prod-main-alerts", n.TopicName())
	assert.Equal(t, "ecr-shop-prod-main", n.DashboardName())
	assert.Equal(t, "alias/ecr/shop/prod/main", n.DefaultAlias())
	assert.Equal(t, "ecr/shop/prod/main/unused/team/api", n.AlarmName("unused/team/api"))

	odd := Names{Project: "my.project", Stack: "feature branch#1", Registry: "reg@x"}
	assert.Equal(t, "ecr-my.project-feature-branch-1-reg-x-scan", odd.RuleName("scan"))
	assert.Equal(t, "alias/ecr/my-project/feature-branch-1/reg-x", odd.DefaultAlias())

	long := Names{Project: strings.Repeat("p", 40), Stack: strings.Repeat("s", 40), Registry: "main"}
	assert.Len(t, long.RuleName("event-log-1"), 64)
	assert.NotEqual(t, long.RuleName("event-log-1"), long.RuleName("event-log-2"), "a cut name keeps a hash of the whole")
}

func TestAlarms(t *testing.T) {
	t.Parallel()
	unused := NoPullsAlarm("unused/team/api", "a", "team/api", 7)
	assert.Equal(t, 86400*7, unused.Period*unused.EvaluationPeriods, "at most 7 days of evaluation")
	assert.Equal(t, "breaching", unused.TreatMissingData, "no pulls means no datapoints")
	assert.Equal(t, map[string]string{"RepositoryName": "team/api"}, unused.Dimensions)
	assert.Equal(t, "AWS/ECR", unused.Namespace)

	spike := PullsAboveAlarm("k", "a", "team/api", 1000, 5, 1)
	assert.Equal(t, 300, spike.Period)
	assert.Equal(t, "GreaterThanThreshold", spike.ComparisonOperator)

	quota := QuotaAlarm("k", "a", "BatchGetImage", 80, 5)
	require.Len(t, quota.Queries, 2)
	assert.Equal(t, "m1/60/SERVICE_QUOTA(m1)*100", quota.Queries[1].Expression)
	assert.Equal(t, map[string]string{"Service": "ECR", "Type": "API", "Resource": "BatchGetImage", "Class": "None"}, quota.Queries[0].Metric.Dimensions)
	assert.Equal(t, 60, quota.Queries[0].Metric.Period, "the /60 turns a per-minute sum into a per-second rate")
	assert.True(t, KnownMetric("RepositoryPullCount"))
	assert.False(t, KnownMetric("ImagePullCount"))
}

func TestDashboardBody(t *testing.T) {
	t.Parallel()
	d := Dashboard{Registry: "main", Region: "eu-west-1", Repositories: []string{"team/web", "team/api"},
		LogGroup: "/aws/events/ecr/shop/prod/main", AlarmArns: []string{"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x"}}
	var body struct {
		Widgets []struct {
			Type                string
			X, Y, Width, Height int
			Properties          map[string]any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(d.Body()), &body))
	var types []string
	for _, w := range body.Widgets {
		types = append(types, w.Type)
		assert.LessOrEqual(t, w.X+w.Width, 24, "a dashboard is 24 columns wide")
	}
	assert.Equal(t, []string{"text", "metric", "log", "log", "log", "alarm"}, types)
	assert.Equal(t, []any{
		[]any{"AWS/ECR", "RepositoryPullCount", "RepositoryName", "team/api"},
		[]any{"AWS/ECR", "RepositoryPullCount", "RepositoryName", "team/web"},
	}, body.Widgets[1].Properties["metrics"])
	assert.Contains(t, body.Widgets[2].Properties["query"], "SOURCE '/aws/events/ecr/shop/prod/main' | filter `detail-type` = 'ECR Image Action'")
	assert.Equal(t, body.Widgets[2].Y, body.Widgets[3].Y, "the two push/delete tables side by side")
	assert.Contains(t, body.Widgets[4].Properties["query"], "'ECR Image Scan', 'Inspector2 Scan'")
	assert.Equal(t, d.Body(), d.Body(), "deterministic")

	noLog := Dashboard{Registry: "main", Region: "eu-west-1", Repositories: []string{"a1"}}.Body()
	assert.Contains(t, noLog, "monitoring.eventLog")
	assert.NotContains(t, noLog, `"type":"log"`)

	assert.Equal(t, "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=ecr-shop-prod-main",
		DashboardURL("aws", "eu-west-1", "ecr-shop-prod-main"))
	assert.Equal(t, "https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#dashboards:name=d", DashboardURL("aws-cn", "cn-north-1", "d"))
}
