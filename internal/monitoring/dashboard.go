package monitoring

import (
	"fmt"
	"strings"
)

// Dashboard is what a Registry's CloudWatch dashboard shows.
type Dashboard struct {
	Registry     string
	Region       string
	Repositories []string // declared repository names
	LogGroup     string   // the event log group; "" without an event log
	AlarmArns    []string // the Registry's alarms
}

// maxMetricsPerWidget keeps each graph readable (CloudWatch accepts up to
// 500 metrics in one widget).
const maxMetricsPerWidget = 50

// Body is the dashboard body JSON (CloudWatch "Dashboard body structure and
// syntax"): a title, pulls per repository (AWS/ECR RepositoryPullCount, Sum
// per 5 minutes), then from the event log the pushes and deletes per
// repository and the latest pushes, the latest scan findings, and the state
// of the Registry's alarms. Without an event log a text widget says how to
// get the event widgets.
func (d Dashboard) Body() string {
	var widgets []any
	y := 0
	// place puts w at column x of the current row; a row ends with its
	// last widget (next).
	place := func(w map[string]any, x, width, height int, next bool) {
		w["x"], w["y"], w["width"], w["height"] = x, y, width, height
		widgets = append(widgets, w)
		if next {
			y += height
		}
	}
	add := func(w map[string]any, width, height int) { place(w, 0, width, height, true) }
	add(map[string]any{"type": "text", "properties": map[string]any{"markdown": "# ECR registry " + d.Registry +
		"\nRepositories of the ecrrepos Registry **" + d.Registry + "** in " + d.Region + "."}}, 24, 2)

	repos := sortedUnique(d.Repositories)
	for start := 0; start < len(repos); start += maxMetricsPerWidget {
		share := repos[start:min(start+maxMetricsPerWidget, len(repos))]
		metrics := make([]any, len(share))
		for i, r := range share {
			metrics[i] = []any{NamespaceECR, MetricRepositoryPullCount, "RepositoryName", r}
		}
		title := "Pulls per repository"
		if len(repos) > maxMetricsPerWidget {
			title = fmt.Sprintf("Pulls per repository (%s … %s)", share[0], share[len(share)-1])
		}
		add(map[string]any{"type": "metric", "properties": map[string]any{
			"title": title, "view": "timeSeries", "stacked": false, "region": d.Region,
			"stat": "Sum", "period": 300, "metrics": metrics,
		}}, 24, 6)
	}

	if d.LogGroup != "" {
		source := "SOURCE '" + d.LogGroup + "' | "
		place(map[string]any{"type": "log", "properties": map[string]any{
			"title": "Pushes and deletes per repository", "region": d.Region, "view": "table",
			"query": source + "filter `detail-type` = '" + DetailImageAction + "'" +
				" | stats count(*) as events by `detail.repository-name`, `detail.action-type`, `detail.result`" +
				" | sort events desc",
		}}, 0, 12, 6, false)
		place(map[string]any{"type": "log", "properties": map[string]any{
			"title": "Latest pushes and deletes", "region": d.Region, "view": "table",
			"query": source + "filter `detail-type` = '" + DetailImageAction + "'" +
				" | fields @timestamp, `detail.repository-name`, `detail.action-type`, `detail.image-tag`, `detail.result`" +
				" | sort @timestamp desc | limit 50",
		}}, 12, 12, 6, true)
		add(map[string]any{"type": "log", "properties": map[string]any{
			"title": "Latest scan findings", "region": d.Region, "view": "table",
			"query": source + "filter `detail-type` in ['" + DetailImageScan + "', '" + DetailInspectorScan + "']" +
				" | fields @timestamp, `detail.repository-name`, `detail.image-tags.0`," +
				" `detail.finding-severity-counts.CRITICAL`, `detail.finding-severity-counts.HIGH`, `detail.finding-severity-counts.MEDIUM`" +
				" | sort @timestamp desc | limit 50",
		}}, 24, 6)
	} else {
		add(map[string]any{"type": "text", "properties": map[string]any{"markdown": "Pushes, deletes and scan findings appear here " +
			"once `monitoring.eventLog` is set: they are read from the event log."}}, 24, 2)
	}
	if len(d.AlarmArns) > 0 {
		add(map[string]any{"type": "alarm", "properties": map[string]any{
			"title": "Alarms", "alarms": strs(sortedUnique(d.AlarmArns)),
		}}, 24, 3)
	}
	return encode(map[string]any{"widgets": widgets})
}

// DashboardURL is the console address of a dashboard.
func DashboardURL(partition, region, name string) string {
	host := region + ".console.aws.amazon.com"
	switch partition {
	case "aws-cn":
		host = region + ".console.amazonaws.cn"
	case "aws-us-gov":
		host = "console.amazonaws-us-gov.com"
	}
	return "https://" + host + "/cloudwatch/home?region=" + region + "#dashboards:name=" + strings.ReplaceAll(name, " ", "+")
}
