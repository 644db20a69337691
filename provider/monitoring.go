package provider

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// MonitoringArgs is RegistryArgs.monitoring (schema type Monitoring): what a
// platform team watches of its registry. Each part is off until it is set.
// The parts live in their own files: event_log.go, scan_findings.go,
// alarms.go, dashboard.go; the alert topic is here.
type MonitoringArgs struct {
	Alerts       *AlertsArgs          `pulumi:"alerts,optional"`
	EventLog     *EventLogArgs        `pulumi:"eventLog,optional"`
	ScanFindings *ScanFindingsArgs    `pulumi:"scanFindings,optional"`
	Alarms       map[string]AlarmArgs `pulumi:"alarms,optional"`
	Dashboard    *DashboardArgs       `pulumi:"dashboard,optional"`
}

var _ infer.Annotated = (*MonitoringArgs)(nil)

// Annotate documents monitoring.
func (m *MonitoringArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Monitoring")
	a.Describe(m, "CloudWatch and EventBridge monitoring of the registry's repositories, each part off until set. "+
		"Physical names derive from the project, the stack and the Registry's name, so two stacks in one account never share them.")
	a.Describe(&m.Alerts, "Where scan findings and alarms are sent: an SNS topic. Required with `scanFindings` or `alarms`.")
	a.Describe(&m.EventLog, "Record the ECR events of the registry's repositories (pushes, deletes, scans, replications, pull-through cache syncs) "+
		"in a CloudWatch log group.")
	a.Describe(&m.ScanFindings, "Alert when an image scan of one of the registry's repositories finds vulnerabilities at or above the chosen severities.")
	a.Describe(&m.Alarms, "CloudWatch alarms, keyed by a name of your choice (letters, digits, `. _ -`), on the metrics AWS documents for ECR only: "+
		"`RepositoryPullCount` (per repository: `noPullsInDays` or `pullsAbove`) and `CallCount` (an ECR API action's use of its quota). "+
		"Each alarm notifies `alerts` when it fires and when it recovers.")
	a.Describe(&m.Dashboard, "A CloudWatch dashboard of the registry: pulls per repository, pushes and deletes and scan findings from the event log, the alarms.")
}

// AlertsArgs is monitoring.alerts (schema type Alerts).
type AlertsArgs struct {
	TopicArn pulumi.StringInput      `pulumi:"topicArn,optional"`
	Emails   pulumi.StringArrayInput `pulumi:"emails,optional"`
}

var _ infer.Annotated = (*AlertsArgs)(nil)

// Annotate documents the alert topic.
func (al *AlertsArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Alerts")
	a.Describe(al, "The SNS topic alerts go to: an existing one (`topicArn`), or one the component creates and subscribes `emails` to.")
	a.Describe(&al.TopicArn, "ARN of an existing standard SNS topic in the registry's region. Its access policy must let `events.amazonaws.com` "+
		"(scan findings) and `cloudwatch.amazonaws.com` (alarms) publish; the component does not change a topic it does not own. May be an output.")
	a.Describe(&al.Emails, "Email addresses to subscribe to a topic the component creates, with an access policy that lets only this registry's "+
		"rules and alarms publish. Each address must confirm its subscription (AWS sends a message). The list's length must be known when the program runs; "+
		"its items may be outputs (secrets stay secret).")
}

func (m *MonitoringArgs) toConfig(in *arguments) *config.Monitoring {
	if m == nil {
		return nil
	}
	out := &config.Monitoring{}
	if m.Alerts != nil {
		out.Alerts = &config.Alerts{TopicArn: in.text(m.Alerts.TopicArn), Emails: in.list(m.Alerts.Emails)}
	}
	out.EventLog = m.EventLog.toConfig(in)
	out.ScanFindings = m.ScanFindings.toConfig()
	if m.Alarms != nil {
		out.Alarms = make(map[string]config.Alarm, len(m.Alarms))
		for k, a := range m.Alarms {
			out.Alarms[k] = a.toConfig()
		}
	}
	if m.Dashboard != nil {
		out.Dashboard = &config.Dashboard{Name: m.Dashboard.Name}
	}
	return out
}

func init() { afterRepositories = append(afterRepositories, registerMonitoring) }

// registerMonitoring registers the alert topic, then the event log, the
// scan-finding rules, the alarms and the dashboard.
func registerMonitoring(r *registration, plan *config.Plan, _ []*repository) error {
	m := plan.Monitoring
	if m == nil {
		return nil
	}
	alerts, err := r.registerAlerts(m)
	if err != nil {
		return err
	}
	if err := r.registerEventLog(m); err != nil {
		return err
	}
	if err := r.registerScanFindings(m, alerts); err != nil {
		return err
	}
	if err := r.registerAlarms(m, alerts); err != nil {
		return err
	}
	return r.registerDashboard(m)
}

// alertTopic is where alerts go, and what a target publishing to it waits for.
type alertTopic struct {
	arn     pulumi.StringInput
	waitFor []pulumi.Resource // the topic policy of a created topic
}

// registerAlerts registers the alert topic when the component creates one:
// the topic, its access policy and the email subscriptions.
func (r *registration) registerAlerts(m *config.MonitoringPlan) (*alertTopic, error) {
	a := m.Alerts
	if a == nil {
		return nil, nil
	}
	if a.TopicArn != nil {
		arn := r.in.input(*a.TopicArn)
		r.comp.AlertTopicArn = arn.ToStringOutput()
		return &alertTopic{arn: arn}, nil
	}
	topic, err := sns.NewTopic(r.ctx, r.childName("alerts"), &sns.TopicArgs{
		Name: pulumi.String(a.TopicName),
		Tags: r.wideChildTags(),
	}, r.wideChildOptions()...)
	if err != nil {
		return nil, err
	}
	policy, err := sns.NewTopicPolicy(r.ctx, r.childName("alerts"), &sns.TopicPolicyArgs{
		Arn:    topic.Arn,
		Policy: r.document(a.TopicPolicy, func(p *config.Plan) config.Document { return p.Monitoring.Alerts.TopicPolicy }),
	}, r.wideChildOptions()...)
	if err != nil {
		return nil, err
	}
	// Subscriptions are named by position: an address may be a secret,
	// and a name is never secret.
	for i, email := range a.Emails {
		if _, err := sns.NewTopicSubscription(r.ctx, r.childName(fmt.Sprintf("alerts-email-%d", i)), &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: r.in.input(email),
		}, r.wideChildOptions()...); err != nil {
			return nil, err
		}
	}
	r.comp.AlertTopicArn = topic.Arn
	return &alertTopic{arn: topic.Arn, waitFor: []pulumi.Resource{policy}}, nil
}
