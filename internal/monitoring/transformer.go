package monitoring

import (
	"strings"
)

// InputTransformer is an EventBridge target's input transformer: variables
// taken from the event by JSON path, and the template they fill.
type InputTransformer struct {
	Paths    map[string]string
	Template string
}

// textTemplate writes lines as EventBridge's plain-text template: every line
// a quoted string of its own, which EventBridge joins with line breaks
// ("For (non-JSON) text output as multi-line strings, wrap each separate line
// in your input template in double quotes", EventBridge User Guide, "Amazon
// EventBridge input transformation"). Lines must not contain a double quote.
// A variable whose path is missing from an event is left out of the text
// (same page), so a severity with no findings reads as an empty count.
func textTemplate(lines ...string) string {
	quoted := make([]string, len(lines))
	for i, l := range lines {
		quoted[i] = `"` + l + `"`
	}
	return strings.Join(quoted, "\n")
}

func lower(s string) string { return strings.ToLower(s) }

func severityCounts(severities []string, paths map[string]string) string {
	parts := make([]string, len(severities))
	for i, s := range severities {
		paths[lower(s)] = "$.detail.finding-severity-counts." + s
		parts[i] = s + " <" + lower(s) + ">"
	}
	return strings.Join(parts, ", ")
}

// ScanTransformer is the text of a basic scan's alert: repository, first
// tag, digest and the counts of the chosen severities.
func ScanTransformer(registry string, severities []string) InputTransformer {
	paths := map[string]string{
		"repository": "$.detail.repository-name",
		"digest":     "$.detail.image-digest",
		"tag":        "$.detail.image-tags[0]",
		"account":    "$.account",
		"region":     "$.region",
		"time":       "$.time",
	}
	counts := severityCounts(severities, paths)
	return InputTransformer{Paths: paths, Template: textTemplate(
		"ECR image scan of <repository> found "+strings.Join(severities, "/")+" vulnerabilities.",
		"Repository: <repository>",
		"Tag: <tag>",
		"Digest: <digest>",
		"Findings: "+counts,
		"Account <account>, region <region>, at <time>.",
		"Sent by the ecrrepos Registry "+registry+" (basic scanning).",
	)}
}

// InspectorScanTransformer is the text of an enhanced scan's first result;
// the repository is its ARN there.
func InspectorScanTransformer(registry string, severities []string) InputTransformer {
	paths := map[string]string{
		"repository": "$.detail.repository-name",
		"digest":     "$.detail.image-digest",
		"tag":        "$.detail.image-tags[0]",
		"total":      "$.detail.finding-severity-counts.TOTAL",
		"account":    "$.account",
		"region":     "$.region",
		"time":       "$.time",
	}
	counts := severityCounts(severities, paths)
	return InputTransformer{Paths: paths, Template: textTemplate(
		"Amazon Inspector scan of <repository> found "+strings.Join(severities, "/")+" vulnerabilities.",
		"Repository: <repository>",
		"Tag: <tag>",
		"Digest: <digest>",
		"Findings: "+counts+" (all severities: <total>)",
		"Account <account>, region <region>, at <time>.",
		"Sent by the ecrrepos Registry "+registry+" (enhanced scanning).",
	)}
}

// InspectorFindingTransformer is the text of one active enhanced-scanning finding.
func InspectorFindingTransformer(registry string) InputTransformer {
	image := "$.detail.resources[0].details.awsEcrContainerImage."
	return InputTransformer{Paths: map[string]string{
		"title":         "$.detail.title",
		"severity":      "$.detail.severity",
		"vulnerability": "$.detail.packageVulnerabilityDetails.vulnerabilityId",
		"score":         "$.detail.inspectorScore",
		"repository":    image + "repositoryName",
		"digest":        image + "imageHash",
		"tag":           image + "imageTags[0]",
		"account":       "$.account",
		"region":        "$.region",
		"time":          "$.time",
	}, Template: textTemplate(
		"<severity> finding in <repository>:<tag>: <title>",
		"Vulnerability: <vulnerability> (Inspector score <score>)",
		"Repository: <repository>",
		"Tag: <tag>",
		"Digest: <digest>",
		"Account <account>, region <region>, at <time>.",
		"Sent by the ecrrepos Registry "+registry+" (enhanced scanning).",
	)}
}

// Render fills the template with an event's values the way EventBridge
// does for a text template (each quoted line decoded, variables substituted,
// missing ones left out), for tests and the README.
func (t InputTransformer) Render(lookup func(path string) (string, bool)) string {
	out := t.Template
	for name, path := range t.Paths {
		v, _ := lookup(path)
		out = strings.ReplaceAll(out, "<"+name+">", v)
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(strings.TrimPrefix(l, `"`), `"`)
	}
	return strings.Join(lines, "\n")
}
