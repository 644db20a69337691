package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/monitoring"
)

var names = monitoring.Names{Project: "shop", Stack: "prod", Registry: "main"}

// withKey is a registry of two repositories with encryption.kms k.
func withKey(k KmsKey) Registry {
	return Registry{Names: names, Encryption: &Encryption{Kms: &k},
		Repositories: map[string]Repository{"team/api": {EncryptionType: ptr("KMS")}, "team/web": {}}}
}

// watched is a registry of two repositories with monitoring m.
func watched(m Monitoring) Registry {
	return Registry{Names: names, Monitoring: &m, Repositories: map[string]Repository{"team/api": {}, "team/web": {}}}
}

var emails = &Alerts{Emails: KnownList("platform@example.com")}

// Every invalid setting of encryption.kms and monitoring is refused at its
// field path, with the rule.
func TestResolveRefusesInvalidKeyAndMonitoring(t *testing.T) {
	t.Parallel()
	badArn := "arn:aws:iam::123456789012:role/a"
	cases := []struct {
		name string
		reg  Registry
		want []string
	}{
		// encryption.kms
		{"alias without prefix", withKey(KmsKey{Create: ptr(true), Alias: ptr("ecr/main")}),
			[]string{`encryption.kms.alias: must start with "alias/" (for example alias/ecr/platform), got "ecr/main"`}},
		{"reserved alias", withKey(KmsKey{Create: ptr(true), Alias: ptr("alias/aws/ecr")}),
			[]string{`encryption.kms.alias: must not start with "alias/aws": KMS reserves it for AWS managed keys`}},
		{"alias/awsome is reserved too", withKey(KmsKey{Create: ptr(true), Alias: ptr("alias/awsome")}), []string{`encryption.kms.alias: must not start with "alias/aws"`}},
		{"alias with a space", withKey(KmsKey{Create: ptr(true), Alias: ptr("alias/ecr main")}),
			[]string{`encryption.kms.alias: may contain only letters, digits and / _ - : after "alias/"`}},
		{"alias with a dot", withKey(KmsKey{Create: ptr(true), Alias: ptr("alias/ecr.main")}), []string{`encryption.kms.alias: may contain only`}},
		{"alias too long", withKey(KmsKey{Create: ptr(true), Alias: ptr("alias/" + strings.Repeat("a", 251))}),
			[]string{`encryption.kms.alias: must be at most 256 characters, got 257`}},
		{"empty alias name", withKey(KmsKey{Create: ptr(true), Alias: ptr("alias/")}), []string{`encryption.kms.alias: may contain only`}},
		{"window too short", withKey(KmsKey{Create: ptr(true), DeletionWindowInDays: ptr(6)}),
			[]string{`encryption.kms.deletionWindowInDays: must be 7 to 30 days (KMS waits that long before deleting a key scheduled for deletion), got 6`}},
		{"window too long", withKey(KmsKey{Create: ptr(true), DeletionWindowInDays: ptr(31)}), []string{`encryption.kms.deletionWindowInDays: must be 7 to 30 days`, `got 31`}},
		{"zero window", withKey(KmsKey{Create: ptr(true), DeletionWindowInDays: ptr(0)}), []string{`encryption.kms.deletionWindowInDays: must be 7 to 30 days`}},
		{"rotation period too short", withKey(KmsKey{Create: ptr(true), RotationPeriodInDays: ptr(89)}),
			[]string{`encryption.kms.rotationPeriodInDays: must be 90 to 2560 days, got 89`}},
		{"rotation period too long", withKey(KmsKey{Create: ptr(true), RotationPeriodInDays: ptr(2561)}), []string{`encryption.kms.rotationPeriodInDays: must be 90 to 2560 days, got 2561`}},
		{"rotation period without rotation", withKey(KmsKey{Create: ptr(true), EnableKeyRotation: ptr(false), RotationPeriodInDays: ptr(365)}),
			[]string{`encryption.kms.rotationPeriodInDays: only with enableKeyRotation: true`}},
		{"settings without create", withKey(KmsKey{Alias: ptr("alias/x"), DeletionWindowInDays: ptr(7)}),
			[]string{`encryption.kms.alias: only with create: true`, `encryption.kms.deletionWindowInDays: only with create: true`}},
		{"description too long", withKey(KmsKey{Create: ptr(true), Description: ptr(strings.Repeat("d", 8193))}),
			[]string{`encryption.kms.description: must be at most 8192 characters, got 8193`}},
		{"administrator is a session", withKey(KmsKey{Create: ptr(true), AdministratorArns: KnownList("arn:aws:sts::123456789012:assumed-role/admin/me")}),
			[]string{`encryption.kms.administratorArns[0]: is an STS assumed-role session ARN`}},
		{"administrator wildcard", withKey(KmsKey{Create: ptr(true), AdministratorArns: KnownList("arn:aws:iam::123456789012:role/*")}),
			[]string{`encryption.kms.administratorArns[0]: must be a principal ARN without wildcards`}},
		{"user not an ARN", withKey(KmsKey{Create: ptr(true), UserArns: KnownList("ci-role")}), []string{`encryption.kms.userArns[0]: must be an IAM principal ARN`}},
		{"user in another partition", withKey(KmsKey{Create: ptr(true), UserArns: KnownList("arn:aws-cn:iam::123456789012:role/ci")}),
			[]string{`encryption.kms.userArns[0]: must be in the repository's partition "aws"`}},
		{"user repeated", withKey(KmsKey{Create: ptr(true), UserArns: KnownList(badArn, badArn)}), []string{`encryption.kms.userArns[1]: repeats encryption.kms.userArns[0]`}},

		// monitoring.eventLog
		{"retention not allowed", watched(Monitoring{EventLog: &EventLog{RetentionInDays: ptr(45)}}),
			[]string{`monitoring.eventLog.retentionInDays: must be one of the retention periods CloudWatch Logs accepts (0, 1, 3, 5, 7, 14, 30, 60, 90,`, `got 45`}},
		{"negative retention", watched(Monitoring{EventLog: &EventLog{RetentionInDays: ptr(-1)}}), []string{`monitoring.eventLog.retentionInDays: must be one of`, `got -1`}},
		{"retention of 10 years and a day", watched(Monitoring{EventLog: &EventLog{RetentionInDays: ptr(3654)}}), []string{`monitoring.eventLog.retentionInDays: must be one of`}},
		{"log group name with a space", watched(Monitoring{EventLog: &EventLog{LogGroupName: ptr("/aws/events/ecr main")}}),
			[]string{`monitoring.eventLog.logGroupName: may contain only letters, digits and . - _ / #`}},
		{"empty log group name", watched(Monitoring{EventLog: &EventLog{LogGroupName: ptr("")}}), []string{`monitoring.eventLog.logGroupName: must be 1 to 512 characters, got 0`}},
		{"created key without a key", watched(Monitoring{EventLog: &EventLog{UseCreatedKey: ptr(true)}}),
			[]string{`monitoring.eventLog.useCreatedKey: needs encryption.kms.create: true`}},
		{"both keys", watched(Monitoring{EventLog: &EventLog{UseCreatedKey: ptr(true), KmsKeyArn: ptr(Known(keyArn))}}),
			[]string{`monitoring.eventLog.kmsKeyArn: set either kmsKeyArn (an existing key) or useCreatedKey: true`}},
		{"log key alias", watched(Monitoring{EventLog: &EventLog{KmsKeyArn: ptr(Known("alias/logs"))}}), []string{`monitoring.eventLog.kmsKeyArn: must be a KMS key ARN`, `not an alias`}},
		{"log key in another region", watched(Monitoring{EventLog: &EventLog{KmsKeyArn: ptr(Known(strings.Replace(keyArn, "eu-west-1", "us-east-1", 1)))}}),
			[]string{`monitoring.eventLog.kmsKeyArn: must be a key in the registry's region eu-west-1`}},

		// monitoring.scanFindings and monitoring.alerts
		{"unknown severity", watched(Monitoring{Alerts: emails, ScanFindings: &ScanFindings{Severities: []string{"CRITICAL", "SEVERE"}}}),
			[]string{`monitoring.scanFindings.severities[1]: must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, got "SEVERE"`}},
		{"lower-case severity", watched(Monitoring{Alerts: emails, ScanFindings: &ScanFindings{Severities: []string{"critical"}}}),
			[]string{`monitoring.scanFindings.severities[0]: must be one of`, `got "critical"`}},
		{"UNDEFINED is not a level", watched(Monitoring{Alerts: emails, ScanFindings: &ScanFindings{Severities: []string{"CRITICAL", "UNDEFINED"}}}),
			[]string{`monitoring.scanFindings.severities[1]: must be one of`}},
		{"a gap above the lowest severity", watched(Monitoring{Alerts: emails, ScanFindings: &ScanFindings{Severities: []string{"HIGH"}}}),
			[]string{`monitoring.scanFindings.severities: alerts are for findings at or above a level: with HIGH, CRITICAL must be listed too`}},
		{"no severity", watched(Monitoring{Alerts: emails, ScanFindings: &ScanFindings{Severities: []string{}}}),
			[]string{`monitoring.scanFindings.severities: must name at least one severity`}},
		{"repeated severity", watched(Monitoring{Alerts: emails, ScanFindings: &ScanFindings{Severities: []string{"CRITICAL", "CRITICAL"}}}),
			[]string{`monitoring.scanFindings.severities[1]: repeats "CRITICAL"`}},
		{"scan findings with nowhere to go", watched(Monitoring{ScanFindings: &ScanFindings{}}),
			[]string{`monitoring.alerts: scanFindings and alarms send their alerts to an SNS topic: set alerts.topicArn`}},
		{"bad email", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{Emails: KnownList("platform.example.com")}}),
			[]string{`monitoring.alerts.emails[0]: must be an email address such as platform@example.com, got "platform.example.com"`}},
		{"email with a space", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{Emails: KnownList("ops team@example.com")}}),
			[]string{`monitoring.alerts.emails[0]: must be an email address`}},
		{"repeated email", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{Emails: KnownList("a@example.com", "A@example.com")}}),
			[]string{`monitoring.alerts.emails[1]: repeats emails[0]`}},
		{"no email", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{Emails: KnownList()}}),
			[]string{`monitoring.alerts.emails: must name at least one address`}},
		{"emails as one output", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{Emails: &List{Ref: 7}}}),
			[]string{`monitoring.alerts.emails: must be a list whose length is known when the program runs`}},
		{"topic and emails", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{Emails: KnownList("a@example.com"),
			TopicArn: ptr(Known("arn:aws:sns:eu-west-1:123456789012:alerts"))}}),
			[]string{`monitoring.alerts.emails: only without topicArn`}},
		{"topic ARN of a queue", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{TopicArn: ptr(Known("arn:aws:sqs:eu-west-1:123456789012:alerts"))}}),
			[]string{`monitoring.alerts.topicArn: must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), got "arn:aws:sqs:eu-west-1:123456789012:alerts"`}},
		{"topic in another region", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{TopicArn: ptr(Known("arn:aws:sns:us-east-1:123456789012:alerts"))}}),
			[]string{`monitoring.alerts.topicArn: must be a topic in the registry's region eu-west-1: EventBridge rules and alarms deliver only to targets of their own region`}},
		{"FIFO topic", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{TopicArn: ptr(Known("arn:aws:sns:eu-west-1:123456789012:alerts.fifo"))}}),
			[]string{`monitoring.alerts.topicArn: must be a standard topic`}},
		{"topic ARN with a short account", watched(Monitoring{ScanFindings: &ScanFindings{}, Alerts: &Alerts{TopicArn: ptr(Known("arn:aws:sns:eu-west-1:1234:alerts"))}}),
			[]string{`monitoring.alerts.topicArn: must be an SNS topic ARN`}},

		// monitoring.alarms
		{"metric AWS does not publish", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"size": {MetricName: "RepositorySizeInBytes"}}}),
			[]string{`monitoring.alarms["size"].metricName: must be one of CallCount or RepositoryPullCount: the metrics AWS documents for ECR`, `got "RepositorySizeInBytes"`}},
		{"lgallard's pull count", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"pulls": {MetricName: "ImagePullCount", PullsAbove: ptr(10.0)}}}),
			[]string{`monitoring.alarms["pulls"].metricName: must be one of CallCount or RepositoryPullCount`, `got "ImagePullCount"`}},
		{"no metric", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"x": {}}}), []string{`monitoring.alarms["x"].metricName: must be one of`, `got ""`}},
		{"no condition", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"x": {MetricName: "RepositoryPullCount"}}}),
			[]string{`monitoring.alarms["x"]: a RepositoryPullCount alarm needs exactly one of noPullsInDays (an unused repository) or pullsAbove (a runaway client)`}},
		{"both conditions", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"x": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(3), PullsAbove: ptr(5.0)}}}),
			[]string{`monitoring.alarms["x"]: a RepositoryPullCount alarm needs exactly one of`}},
		{"eight days without pulls", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(8)}}}),
			[]string{`monitoring.alarms["unused"].noPullsInDays: must be 1 to 7: a CloudWatch alarm evaluates at most 7 days`}},
		{"zero days", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(0)}}}),
			[]string{`monitoring.alarms["unused"].noPullsInDays: must be 1 to 7`}},
		{"unknown repository", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(7), Repositories: []string{"team/db"}}}}),
			[]string{`monitoring.alarms["unused"].repositories[0]: must be a repository of this Registry (a key of repositories), got "team/db"`}},
		{"empty repository list", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(7), Repositories: []string{}}}}),
			[]string{`monitoring.alarms["unused"].repositories: names no repository`}},
		{"a day of 1-minute periods and more", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"spike": {MetricName: "RepositoryPullCount", PullsAbove: ptr(100.0), PeriodMinutes: ptr(1), EvaluationPeriods: ptr(1441)}}}),
			[]string{`monitoring.alarms["spike"].evaluationPeriods: periodMinutes × evaluationPeriods must be at most 1,440 minutes (1 day) with a period under an hour`}},
		{"more than a week", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"spike": {MetricName: "RepositoryPullCount", PullsAbove: ptr(100.0), PeriodMinutes: ptr(1440), EvaluationPeriods: ptr(8)}}}),
			[]string{`monitoring.alarms["spike"].evaluationPeriods: periodMinutes × evaluationPeriods must be at most 10,080 minutes (7 days`}},
		{"negative pulls", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"spike": {MetricName: "RepositoryPullCount", PullsAbove: ptr(-1.0)}}}),
			[]string{`monitoring.alarms["spike"].pullsAbove: must be zero or more pulls, got -1`}},
		{"quota alarm without an action", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"quota": {MetricName: "CallCount"}}}),
			[]string{`monitoring.alarms["quota"].apiAction: is required with CallCount: one of BatchCheckLayerAvailability, BatchGetImage,`}},
		{"quota alarm on an action AWS/Usage does not report", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"quota": {MetricName: "CallCount", ApiAction: ptr("DescribeImages")}}}),
			[]string{`monitoring.alarms["quota"].apiAction: must be one of`, `got "DescribeImages"`}},
		{"quota over 100 percent", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"quota": {MetricName: "CallCount", ApiAction: ptr("BatchGetImage"), PercentOfQuota: ptr(120.0)}}}),
			[]string{`monitoring.alarms["quota"].percentOfQuota: must be more than 0 and at most 100`}},
		{"pull fields on a quota alarm", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"quota": {MetricName: "CallCount", ApiAction: ptr("PutImage"), NoPullsInDays: ptr(3)}}}),
			[]string{`monitoring.alarms["quota"].noPullsInDays: only with metricName RepositoryPullCount`}},
		{"quota fields on a pull alarm", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(3), ApiAction: ptr("PutImage")}}}),
			[]string{`monitoring.alarms["unused"].apiAction: only with metricName CallCount`}},
		{"alarm key with a slash", watched(Monitoring{Alerts: emails, Alarms: map[string]Alarm{"team/unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(3)}}}),
			[]string{`monitoring.alarms["team/unused"]: alarm keys must be 1 to 64 letters, digits, . _ or -`}},
		{"alarms with nowhere to go", watched(Monitoring{Alarms: map[string]Alarm{"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(3)}}}),
			[]string{`monitoring.alerts: scanFindings and alarms send their alerts to an SNS topic`}},

		// monitoring.dashboard
		{"dashboard name with a slash", watched(Monitoring{Dashboard: &Dashboard{Name: ptr("team/ecr")}}),
			[]string{`monitoring.dashboard.name: must be 1 to 255 letters, digits, - or _ (CloudWatch dashboard names), got "team/ecr"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := resolveErr(t, tc.reg, env)
			require.NotEmpty(t, got, "must be refused")
			for _, w := range tc.want {
				assert.Contains(t, got, w)
			}
		})
	}
	require.GreaterOrEqual(t, len(cases), 30)
}

// The key's defaults, its policy, and the repositories that use it.
func TestResolveKeyDefaultsAndUse(t *testing.T) {
	t.Parallel()
	reg := withKey(KmsKey{Create: ptr(true)})
	reg.Defaults = &Repository{}
	reg.Repositories["own-key"] = Repository{EncryptionType: ptr("KMS"), KmsKeyArn: ptr(Known(keyArn))}
	plan, ps := Resolve(reg, env)
	require.Empty(t, ps.Errors())
	k := plan.Kms
	require.NotNil(t, k)
	assert.Equal(t, "alias/ecr/shop/prod/main", k.Alias)
	assert.True(t, k.EnableKeyRotation)
	assert.Equal(t, 30, k.DeletionWindowInDays)
	assert.True(t, k.Protect, "protected unless the user opts out")
	assert.False(t, k.MultiRegion)
	assert.Contains(t, k.Description, "ecrrepos Registry main (shop/prod)")
	assert.Contains(t, k.Policy.JSON, `"kms:ViaService":"ecr.eu-west-1.amazonaws.com"`)
	assert.Empty(t, k.Policy.Refs)

	used := map[string]bool{}
	for _, p := range plan.Repositories {
		used[p.Key] = p.CreatedKey
	}
	assert.Equal(t, map[string]bool{"team/api": true, "team/web": false, "own-key": false}, used,
		"only KMS repositories without a key of their own use the created key")

	// Deferred principals wait; filled, they are checked like known ones.
	reg = withKey(KmsKey{Create: ptr(true), AdministratorArns: &List{Ref: 3}})
	plan, ps = Resolve(reg, env)
	require.Empty(t, ps.Errors())
	assert.Equal(t, []Ref{3}, plan.Kms.Policy.Refs)
	_, ps = Resolve(reg.Fill(Values{3: []string{"not-an-arn"}}), env)
	assert.Contains(t, ps.Err("x").Error(), `encryption.kms.administratorArns[0]: must be an IAM principal ARN`)
	plan, ps = Resolve(reg.Fill(Values{3: []string{"arn:aws:iam::123456789012:role/admin"}}), env)
	require.Empty(t, ps.Errors())
	assert.Contains(t, plan.Kms.Policy.JSON, `"Sid":"KeyAdministrators"`)

	// The event log encrypted with the created key adds CloudWatch Logs to the policy.
	reg = withKey(KmsKey{Create: ptr(true)})
	reg.Monitoring = &Monitoring{EventLog: &EventLog{UseCreatedKey: ptr(true)}}
	plan, ps = Resolve(reg, env)
	require.Empty(t, ps.Errors())
	assert.Contains(t, plan.Kms.Policy.JSON, `"kms:EncryptionContext:aws:logs:arn":"arn:aws:logs:eu-west-1:123456789012:log-group:/aws/events/ecr/shop/prod/main"`)

	// Before the environment is known the policy waits for it.
	plan, ps = Resolve(withKey(KmsKey{Create: ptr(true)}), EnvNotYetKnown())
	require.Empty(t, ps.Errors())
	assert.NotEmpty(t, plan.Kms.Policy.Refs)
}

// The monitoring plan with defaults: rules, names, documents, alarms.
func TestResolveMonitoringPlan(t *testing.T) {
	t.Parallel()
	reg := watched(Monitoring{
		Alerts:       &Alerts{Emails: KnownList("platform@example.com")},
		EventLog:     &EventLog{},
		ScanFindings: &ScanFindings{InspectorFindings: ptr(true)},
		Alarms: map[string]Alarm{
			"unused": {MetricName: "RepositoryPullCount", NoPullsInDays: ptr(7), Repositories: []string{"team/api"}},
			"spike":  {MetricName: "RepositoryPullCount", PullsAbove: ptr(1000.0)},
			"quota":  {MetricName: "CallCount", ApiAction: ptr("BatchGetImage")},
		},
		Dashboard: &Dashboard{},
	})
	plan, ps := Resolve(reg, env)
	require.Empty(t, ps.Errors(), "%v", ps)
	m := plan.Monitoring
	require.NotNil(t, m)

	require.NotNil(t, m.EventLog)
	assert.Equal(t, "/aws/events/ecr/shop/prod/main", m.EventLog.LogGroupName)
	assert.Equal(t, 90, m.EventLog.RetentionInDays)
	require.Len(t, m.EventLog.Rules, 2, "ECR events by name, Inspector scans by ARN")
	assert.Equal(t, "ecr-shop-prod-main-event-log-1", m.EventLog.Rules[0].Name)
	assert.Contains(t, m.EventLog.Rules[1].Pattern.JSON, `"arn:aws:ecr:eu-west-1:123456789012:repository/team/api"`)
	assert.Contains(t, m.EventLog.ResourcePolicy.JSON, `"arn:aws:events:eu-west-1:123456789012:rule/ecr-shop-prod-main-event-log-2"`)
	assert.Equal(t, "ecr-shop-prod-main-events-to-logs", m.EventLog.ResourcePolicyName)

	var rules []string
	for _, r := range m.ScanFindings {
		rules = append(rules, r.Name)
		require.NotNil(t, r.Transformer)
	}
	assert.Equal(t, []string{"ecr-shop-prod-main-scan-findings-1", "ecr-shop-prod-main-inspector-scan-1", "ecr-shop-prod-main-inspector-finding-1"}, rules)
	assert.Contains(t, m.ScanFindings[0].Pattern.JSON, `{"$or":[{"CRITICAL":[{"numeric":[">",0]}]},{"HIGH":[{"numeric":[">",0]}]}]}`, "CRITICAL and HIGH by default")

	var alarms []string
	for _, a := range m.Alarms {
		alarms = append(alarms, a.Key+" = "+a.Name)
	}
	assert.Equal(t, []string{
		"quota = ecr/shop/prod/main/quota",
		"spike/team/api = ecr/shop/prod/main/spike/team/api",
		"spike/team/web = ecr/shop/prod/main/spike/team/web",
		"unused/team/api = ecr/shop/prod/main/unused/team/api",
	}, alarms)

	require.NotNil(t, m.Alerts)
	assert.Nil(t, m.Alerts.TopicArn, "created")
	assert.Equal(t, "ecr-shop-prod-main-alerts", m.Alerts.TopicName)
	assert.Contains(t, m.Alerts.TopicPolicy.JSON, `"arn:aws:events:eu-west-1:123456789012:rule/ecr-shop-prod-main-scan-findings-1"`)
	assert.Contains(t, m.Alerts.TopicPolicy.JSON, `"aws:SourceArn":"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ecr/shop/prod/main/*"`)

	require.NotNil(t, m.Dashboard)
	assert.Equal(t, "ecr-shop-prod-main", m.Dashboard.Name)
	assert.Equal(t, "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=ecr-shop-prod-main", m.Dashboard.URL.JSON)
	assert.Contains(t, m.Dashboard.Body.JSON, `"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ecr/shop/prod/main/quota"`)

	// An existing topic: no topic policy, no subscription.
	reg.Monitoring.Alerts = &Alerts{TopicArn: &Text{Ref: 9}}
	plan, ps = Resolve(reg, env)
	require.Empty(t, ps.Errors())
	assert.Equal(t, &Text{Ref: 9}, plan.Monitoring.Alerts.TopicArn)
	assert.Contains(t, resolveErr(t, reg.Fill(Values{9: "arn:aws:sns:us-east-1:123456789012:x"}), env), `monitoring.alerts.topicArn: must be a topic in the registry's region`)

	// A log group name outside /aws/events/ works, with a warning.
	reg = watched(Monitoring{EventLog: &EventLog{LogGroupName: ptr("/ecr/events")}})
	_, ps = Resolve(reg, env)
	require.Empty(t, ps.Errors())
	_, found := ps.Find("monitoring.eventLog.logGroupName", "the EventBridge console lists only log groups under that prefix")
	assert.True(t, found)
}
