package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// AlarmArgs is one entry of monitoring.alarms (schema type Alarm): CloudWatch
// alarms on a metric AWS documents for ECR.
type AlarmArgs struct {
	MetricName        string   `pulumi:"metricName"`
	Repositories      []string `pulumi:"repositories,optional"`
	NoPullsInDays     *int     `pulumi:"noPullsInDays,optional"`
	PullsAbove        *float64 `pulumi:"pullsAbove,optional"`
	PeriodMinutes     *int     `pulumi:"periodMinutes,optional"`
	EvaluationPeriods *int     `pulumi:"evaluationPeriods,optional"`
	ApiAction         *string  `pulumi:"apiAction,optional"`
	PercentOfQuota    *float64 `pulumi:"percentOfQuota,optional"`
	Minutes           *int     `pulumi:"minutes,optional"`
}

var _ infer.Annotated = (*AlarmArgs)(nil)

// Annotate documents an alarm.
func (al *AlarmArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Alarm")
	a.Describe(al, "CloudWatch alarms on a metric AWS publishes for ECR, notifying `alerts` when they fire and when they recover. "+
		"`RepositoryPullCount` gives one alarm per repository, named in `alarmArns` as `<key>/<repository>`; `CallCount` gives one, named `<key>`.")
	a.Describe(&al.MetricName, "`RepositoryPullCount` (AWS/ECR, pulls of one repository) or `CallCount` (AWS/Usage, calls of one ECR API action). "+
		"Any other name is refused: AWS publishes no other ECR metric, and an alarm on it would never receive data.")
	a.Describe(&al.Repositories, "RepositoryPullCount: the repositories (keys of `repositories`) to watch. Default: all of them.")
	a.Describe(&al.NoPullsInDays, "RepositoryPullCount: fire when a repository has not been pulled for this many days, 1 to 7 "+
		"(an unused repository; CloudWatch evaluates at most 7 days). No pulls means no data, which counts as breaching.")
	a.Describe(&al.PullsAbove, "RepositoryPullCount: fire when a repository is pulled more than this many times in `periodMinutes` (a runaway client).")
	a.Describe(&al.PeriodMinutes, "RepositoryPullCount with `pullsAbove`: the period pulls are summed over, in minutes (default 5).")
	a.Describe(&al.EvaluationPeriods, "RepositoryPullCount with `pullsAbove`: how many periods in a row must breach (default 1). "+
		"At most 1 day in all with periods under an hour, 7 days otherwise.")
	a.Describe(&al.ApiAction, "CallCount: the ECR API action, one of BatchCheckLayerAvailability, BatchGetImage, CompleteLayerUpload, "+
		"GetAuthorizationToken, GetDownloadUrlForLayer, InitiateLayerUpload, PutImage, UploadLayerPart (those AWS/Usage reports).")
	a.Describe(&al.PercentOfQuota, "CallCount: fire above this percentage of the account's quota for the action (default 80), "+
		"computed as AWS documents: `m1/60/SERVICE_QUOTA(m1)*100` over 1-minute sums.")
	a.Describe(&al.Minutes, "CallCount: how many minutes in a row must be above the percentage (default 5, at most 1440).")
}

func (al AlarmArgs) toConfig() config.Alarm {
	return config.Alarm{
		MetricName: al.MetricName, Repositories: al.Repositories, NoPullsInDays: al.NoPullsInDays, PullsAbove: al.PullsAbove,
		PeriodMinutes: al.PeriodMinutes, EvaluationPeriods: al.EvaluationPeriods, ApiAction: al.ApiAction,
		PercentOfQuota: al.PercentOfQuota, Minutes: al.Minutes,
	}
}

// registerAlarms registers the planned CloudWatch alarms, each notifying the
// alert topic.
func (r *registration) registerAlarms(m *config.MonitoringPlan, alerts *alertTopic) error {
	arns := pulumi.StringMap{}
	for _, a := range m.Alarms {
		args := &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String(a.Name),
			AlarmDescription:   pulumi.String(truncate(a.Description, 1024)),
			ComparisonOperator: pulumi.String(a.ComparisonOperator),
			EvaluationPeriods:  pulumi.Int(a.EvaluationPeriods),
			DatapointsToAlarm:  pulumi.Int(a.DatapointsToAlarm),
			Threshold:          pulumi.Float64(a.Threshold),
			TreatMissingData:   pulumi.String(a.TreatMissingData),
			Tags:               r.wideChildTags(),
		}
		if len(a.Queries) == 0 {
			args.Namespace = pulumi.String(a.Namespace)
			args.MetricName = pulumi.String(a.MetricName)
			args.Dimensions = pulumi.ToStringMap(a.Dimensions)
			args.Statistic = pulumi.String(a.Statistic)
			args.Period = pulumi.Int(a.Period)
		}
		var queries cloudwatch.MetricAlarmMetricQueryArray
		for _, q := range a.Queries {
			query := cloudwatch.MetricAlarmMetricQueryArgs{Id: pulumi.String(q.ID), ReturnData: pulumi.Bool(q.ReturnData)}
			if q.Expression != "" {
				query.Expression = pulumi.String(q.Expression)
			}
			if q.Label != "" {
				query.Label = pulumi.String(q.Label)
			}
			if q.Metric != nil {
				query.Metric = &cloudwatch.MetricAlarmMetricQueryMetricArgs{
					Namespace: pulumi.String(q.Metric.Namespace), MetricName: pulumi.String(q.Metric.MetricName),
					Dimensions: pulumi.ToStringMap(q.Metric.Dimensions), Period: pulumi.Int(q.Metric.Period), Stat: pulumi.String(q.Metric.Stat),
				}
			}
			queries = append(queries, query)
		}
		if len(queries) > 0 {
			args.MetricQueries = queries
		}
		var opts []pulumi.ResourceOption
		if alerts != nil {
			args.AlarmActions = pulumi.Array{alerts.arn}
			args.OkActions = pulumi.Array{alerts.arn}
			opts = append(opts, pulumi.DependsOn(alerts.waitFor))
		}
		alarm, err := cloudwatch.NewMetricAlarm(r.ctx, r.childName("alarm/"+a.Key), args, r.wideChildOptions(opts...)...)
		if err != nil {
			return err
		}
		arns[a.Key] = alarm.Arn
	}
	r.comp.AlarmArns = arns.ToStringMapOutput()
	return nil
}
