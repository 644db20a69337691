package monitoring

import (
	"fmt"
	"slices"
)

// The metrics an alarm may watch: the ones AWS documents for ECR. Any other
// name (lgallard's RepositorySizeInBytes, ImagePushCount, …) would give an
// alarm that never receives data.
const (
	MetricRepositoryPullCount = "RepositoryPullCount" // AWS/ECR, per repository
	MetricCallCount           = "CallCount"           // AWS/Usage, ECR API calls against their quota

	NamespaceECR   = "AWS/ECR"
	NamespaceUsage = "AWS/Usage"
)

// Metrics lists the metric names alarms accept.
var Metrics = []string{MetricCallCount, MetricRepositoryPullCount}

// UsageActions are the ECR API actions AWS/Usage CallCount is published for
// (Amazon ECR User Guide, "Amazon ECR usage metrics").
var UsageActions = []string{
	"BatchCheckLayerAvailability", "BatchGetImage", "CompleteLayerUpload", "GetAuthorizationToken",
	"GetDownloadUrlForLayer", "InitiateLayerUpload", "PutImage", "UploadLayerPart",
}

// Limits of an alarm's evaluation (CloudWatch PutMetricAlarm).
const (
	MaxNoPullDays             = 7    // Period × EvaluationPeriods ≤ 604,800 s
	MaxShortEvaluationMinutes = 1440 // periods under an hour: at most one day in all
	DefaultPullPeriod         = 5    // minutes
	DefaultQuotaPercent       = 80
	DefaultQuotaMinutes       = 5
)

// Alarm is one CloudWatch metric alarm, as plain data.
type Alarm struct {
	Key                string // its key in the alarmArns output
	Name               string
	Description        string
	Namespace          string
	MetricName         string
	Dimensions         map[string]string
	Statistic          string
	Period             int // seconds
	EvaluationPeriods  int
	DatapointsToAlarm  int
	Threshold          float64
	ComparisonOperator string
	TreatMissingData   string
	// Queries replace Namespace/MetricName/Dimensions/Statistic/Period for a
	// metric-math alarm.
	Queries []Query
}

// Query is one metric or expression of a metric-math alarm.
type Query struct {
	ID, Expression, Label string
	ReturnData            bool
	Metric                *QueryMetric
}

// QueryMetric is the metric a Query reads.
type QueryMetric struct {
	Namespace, MetricName string
	Dimensions            map[string]string
	Period                int
	Stat                  string
}

// NoPullsAlarm fires when repository has not been pulled for days days: the
// daily sum of RepositoryPullCount stays below one for days days in a row.
// No pulls means no datapoints, so missing data counts as breaching.
func NoPullsAlarm(key, name, repository string, days int) Alarm {
	return Alarm{
		Key: key, Name: name,
		Description: fmt.Sprintf("No pulls from the ECR repository %s for %d day(s): the repository may be unused.", repository, days),
		Namespace:   NamespaceECR, MetricName: MetricRepositoryPullCount,
		Dimensions: map[string]string{"RepositoryName": repository}, Statistic: "Sum",
		Period: 86400, EvaluationPeriods: days, DatapointsToAlarm: days,
		Threshold: 1, ComparisonOperator: "LessThanThreshold", TreatMissingData: "breaching",
	}
}

// PullsAboveAlarm fires when repository is pulled more than threshold times
// in periodMinutes minutes, evaluations periods in a row: a runaway client.
func PullsAboveAlarm(key, name, repository string, threshold float64, periodMinutes, evaluations int) Alarm {
	return Alarm{
		Key: key, Name: name,
		Description: fmt.Sprintf("More than %g pulls from the ECR repository %s in %d minute(s): a runaway client?", threshold, repository, periodMinutes),
		Namespace:   NamespaceECR, MetricName: MetricRepositoryPullCount,
		Dimensions: map[string]string{"RepositoryName": repository}, Statistic: "Sum",
		Period: periodMinutes * 60, EvaluationPeriods: evaluations, DatapointsToAlarm: evaluations,
		Threshold: threshold, ComparisonOperator: "GreaterThanThreshold", TreatMissingData: "notBreaching",
	}
}

// QuotaAlarm fires when the calls of one ECR API action stay above percent of
// their quota for minutes minutes: m1 is CallCount summed per minute,
// m1/60/SERVICE_QUOTA(m1)*100 the per-second rate as a percentage of the
// per-second quota (Amazon ECR User Guide, "Visualizing your service quotas
// and setting alarms").
func QuotaAlarm(key, name, action string, percent float64, minutes int) Alarm {
	return Alarm{
		Key: key, Name: name,
		Description:       fmt.Sprintf("Calls of the ECR API %s above %g%% of the account's quota for %d minute(s): requests will be throttled.", action, percent, minutes),
		EvaluationPeriods: minutes, DatapointsToAlarm: minutes,
		Threshold: percent, ComparisonOperator: "GreaterThanThreshold", TreatMissingData: "notBreaching",
		Queries: []Query{
			{ID: "m1", Metric: &QueryMetric{Namespace: NamespaceUsage, MetricName: MetricCallCount, Period: 60, Stat: "Sum",
				Dimensions: map[string]string{"Service": "ECR", "Type": "API", "Resource": action, "Class": "None"}}},
			{ID: "usage", Expression: "m1/60/SERVICE_QUOTA(m1)*100", Label: action + " calls, % of quota", ReturnData: true},
		},
	}
}

// KnownMetric reports whether name is an alarm metric AWS documents.
func KnownMetric(name string) bool { return slices.Contains(Metrics, name) }
