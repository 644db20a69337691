package monitoring

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// MaxEventPatternLength is the default quota of an event pattern's size, in
// characters (adjustable to 4,096; pulumi-aws v6.83.2 EventRule docs).
const MaxEventPatternLength = 2048

// Event sources and detail types (Amazon ECR User Guide, "Amazon ECR events
// and EventBridge" and "EventBridge events sent for enhanced scanning").
const (
	SourceECR        = "aws.ecr"
	SourceInspector2 = "aws.inspector2"

	DetailImageAction       = "ECR Image Action"
	DetailImageScan         = "ECR Image Scan"
	DetailReplicationAction = "ECR Replication Action"
	DetailPullThroughCache  = "ECR Pull Through Cache Action"
	DetailInspectorScan     = "Inspector2 Scan"
	DetailInspectorFinding  = "Inspector2 Finding"
)

// EventLogDetailTypes are the ECR events the event log records: pushes and
// deletes, basic scans, replications and pull-through cache syncs.
var EventLogDetailTypes = []string{DetailImageAction, DetailImageScan, DetailPullThroughCache, DetailReplicationAction}

// Severities are the finding severities, highest first. ECR basic scanning
// also reports UNDEFINED and Inspector UNTRIAGED; neither is a level one can
// be "at or above".
var Severities = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"}

// DefaultSeverities are the severities alerted on by default.
var DefaultSeverities = []string{"CRITICAL", "HIGH"}

// SeveritiesAtOrAbove returns the severities from the highest down to
// lowest, the set "at or above" means.
func SeveritiesAtOrAbove(lowest string) []string {
	i := slices.Index(Severities, lowest)
	if i < 0 {
		return nil
	}
	return slices.Clone(Severities[:i+1])
}

// encode writes v as compact JSON with sorted object keys and no HTML
// escaping: one text per pattern.
func encode(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // maps of strings, numbers and slices always encode
	return string(bytes.TrimRight(b.Bytes(), "\n"))
}

func strs(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// shares splits values (sorted, without repeats) into as few shares as the
// pattern size quota allows, each as large as it can be: size gives the
// length of the pattern of a share. A value that does not fit even alone
// gets a share of its own, whose pattern is then too long: the resolver
// reports it.
func shares(values []string, size func(share []string) int) [][]string {
	values = sortedUnique(values)
	if len(values) == 0 {
		return nil
	}
	var out [][]string
	var share []string
	for _, v := range values {
		next := append(slices.Clone(share), v)
		if len(share) > 0 && size(next) > MaxEventPatternLength {
			out = append(out, share)
			share = []string{v}
			continue
		}
		share = next
	}
	return append(out, share)
}

// chunked builds one pattern per share of names: build makes the pattern
// of a share from the values item gives for its names.
func chunked(names []string, item func(string) string, build func([]string) map[string]any) []string {
	var out []string
	for _, share := range shares(names, func(share []string) int { return len(encode(build(mapped(share, worstCaseArn)))) }) {
		out = append(out, encode(build(mapped(share, item))))
	}
	return out
}

// byName is the item of a pattern that filters on repository names.
func byName(name string) string { return name }

// worstCaseArn is the longest ARN a repository name can have (the longest
// partition, a 25-character region): patterns that hold ARNs are split as if
// every ARN were this long, so the number of rules never depends on the
// account and region, which may not be known yet when the rules are planned.
// Patterns that hold names are measured with it too, which costs nothing but
// a few more splits in very large registries.
func worstCaseArn(name string) string {
	return "arn:aws-us-gov:ecr:" + strings.Repeat("x", 25) + ":123456789012:repository/" + name
}

func mapped(names []string, f func(string) string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = f(n)
	}
	return out
}

// EventLogPatterns are the event patterns of the event log: the ECR events of
// the given repositories, then the Inspector scan summaries of the same
// repositories, whose detail.repository-name is the repository's ARN
// (arnOf).
func EventLogPatterns(names []string, arnOf func(string) string) []string {
	patterns := chunked(names, byName, func(share []string) map[string]any {
		return map[string]any{
			"source":      []any{SourceECR},
			"detail-type": strs(EventLogDetailTypes),
			"detail":      map[string]any{"repository-name": strs(share)},
		}
	})
	return append(patterns, chunked(names, arnOf, func(share []string) map[string]any {
		return map[string]any{
			"source":      []any{SourceInspector2},
			"detail-type": []any{DetailInspectorScan},
			"detail":      map[string]any{"repository-name": strs(share)},
		}
	})...)
}

// severityFilter matches finding-severity-counts with a count above zero for
// any of the severities.
func severityFilter(severities []string) map[string]any {
	one := func(s string) map[string]any {
		return map[string]any{s: []any{map[string]any{"numeric": []any{">", 0}}}}
	}
	if len(severities) == 1 {
		return one(severities[0])
	}
	or := make([]any, len(severities))
	for i, s := range severities {
		or[i] = one(s)
	}
	return map[string]any{"$or": or}
}

// ScanPatterns are the patterns of basic scans (ECR Image Scan, by
// repository name) that report findings at the given severities.
func ScanPatterns(names, severities []string) []string {
	return chunked(names, byName, func(share []string) map[string]any {
		return map[string]any{
			"source":      []any{SourceECR},
			"detail-type": []any{DetailImageScan},
			"detail": map[string]any{
				"scan-status":             []any{"COMPLETE"},
				"repository-name":         strs(share),
				"finding-severity-counts": severityFilter(severities),
			},
		}
	})
}

// InspectorScanPatterns are the patterns of enhanced scans' first results
// (Inspector2 Scan) of the given repositories: detail.repository-name holds
// the repository's ARN (arnOf), not its name.
func InspectorScanPatterns(names []string, arnOf func(string) string, severities []string) []string {
	return chunked(names, arnOf, func(share []string) map[string]any {
		return map[string]any{
			"source":      []any{SourceInspector2},
			"detail-type": []any{DetailInspectorScan},
			"detail": map[string]any{
				"scan-status":             []any{"INITIAL_SCAN_COMPLETE"},
				"repository-name":         strs(share),
				"finding-severity-counts": severityFilter(severities),
			},
		}
	})
}

// InspectorFindingPatterns are the patterns of single enhanced-scanning
// findings that are active at the given severities, for container images of
// the given repositories (by name, inside detail.resources[]).
func InspectorFindingPatterns(names, severities []string) []string {
	return chunked(names, byName, func(share []string) map[string]any {
		return map[string]any{
			"source":      []any{SourceInspector2},
			"detail-type": []any{DetailInspectorFinding},
			"detail": map[string]any{
				"severity": strs(severities),
				"status":   []any{"ACTIVE"},
				"resources": map[string]any{
					"details": map[string]any{"awsEcrContainerImage": map[string]any{"repositoryName": strs(share)}},
				},
			},
		}
	})
}

func sortedUnique(values []string) []string {
	out := slices.Clone(values)
	slices.Sort(out)
	return slices.Compact(out)
}
