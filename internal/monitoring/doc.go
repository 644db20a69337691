// Package monitoring builds what a Registry's monitoring is made of, as
// plain data with no Pulumi dependency: the EventBridge event patterns for
// the event log and the scan-finding alerts, the input transformers that turn
// a finding into readable text, the CloudWatch Logs resource policy and the
// SNS topic policy that let EventBridge and CloudWatch deliver, the metric
// alarms (only on metrics AWS documents) and the CloudWatch dashboard body.
//
// Everything is deterministic: the same repositories and settings always
// give the same bytes, so a second preview shows no change.
//
// # Facts relied on
//
//   - ECR sends "ECR Image Action" (push, delete, archive), "ECR Image Scan"
//     (basic scanning), "ECR Replication Action" and "ECR Pull Through Cache
//     Action" events with the repository's name in detail.repository-name,
//     on a best-effort basis (Amazon ECR User Guide, "Amazon ECR events and
//     EventBridge"; samples in tests/testdata/events).
//   - With enhanced scanning, Amazon Inspector sends "Inspector2 Scan" with
//     the repository's ARN, not its name, in detail.repository-name, and
//     "Inspector2 Finding" with the name in
//     detail.resources[].details.awsEcrContainerImage.repositoryName
//     (Amazon ECR User Guide, "EventBridge events sent for enhanced
//     scanning").
//   - finding-severity-counts only has the severities that were found
//     (same pages), so a severity filter is a numeric "> 0" on each chosen
//     key, combined with "$or".
//   - An event pattern is at most 2,048 characters by default (pulumi-aws
//     v6.83.2 EventRule docs, EventBridge quotas): the repository names are
//     split over as many rules as needed.
//   - ECR publishes one CloudWatch metric, AWS/ECR RepositoryPullCount
//     (dimension RepositoryName, statistic Sum), and its API usage as
//     AWS/Usage CallCount (dimensions Service=ECR, Type=API, Resource=<API
//     action>, Class=None) for eight actions; the usage alarm compares
//     m1/60/SERVICE_QUOTA(m1)*100 with a percentage (Amazon ECR User Guide,
//     "Repository metrics", "Usage metrics", "Visualizing your service quotas
//     and setting alarms").
//   - An alarm evaluates at most 7 days (Period × EvaluationPeriods ≤ 604,800
//     seconds), and at most 1 day with a period under an hour (CloudWatch
//     PutMetricAlarm).
package monitoring
