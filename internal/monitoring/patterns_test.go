package monitoring

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The repositories of the samples' events, declared by the Registry under test.
var sampleRepos = []string{"my-repository-name", "docker-hub/alpine", "my-app", "ubuntu", "amazon/amazon-ecs-sample"}

// sampleArn is the ARN of a repository of the Inspector samples' account and region.
func sampleArn(name string) string { return "arn:aws:ecr:us-east-2:123456789012:repository/" + name }

// euArn is the ARN of a repository of the account and region of the JSON tests.
func euArn(name string) string { return "arn:aws:ecr:eu-west-1:123456789012:repository/" + name }

// Every generated pattern, run against AWS's sample events: the right ones
// match, the others do not.
func TestPatternsMatchAwsSampleEvents(t *testing.T) {
	t.Parallel()
	all := []string{
		"ecr-image-archive", "ecr-image-delete", "ecr-image-push", "ecr-image-scan-basic", "ecr-pull-through-cache",
		"ecr-referrer-restore", "ecr-replication-failed", "ecr-replication-success", "ecr-scan-resource-change",
		"inspector2-finding-ecr", "inspector2-scan-ec2", "inspector2-scan-ecr",
	}
	require.ElementsMatch(t, all, keys(samples(t)), "a sample was added or renamed: extend the table")

	cases := []struct {
		name     string
		patterns []string
		want     []string
	}{
		{"event log: pushes, deletes, archives, basic scans, pull-through cache and replications of the declared repositories",
			EventLogPatterns(sampleRepos[:4], sampleArn),
			[]string{"ecr-image-archive", "ecr-image-delete", "ecr-image-push", "ecr-image-scan-basic", "ecr-pull-through-cache",
				"ecr-replication-failed", "ecr-replication-success"}},
		{"event log with enhanced scans: Inspector scan summaries by repository ARN, not EC2 ones",
			EventLogPatterns(sampleRepos, sampleArn),
			[]string{"ecr-image-archive", "ecr-image-delete", "ecr-image-push", "ecr-image-scan-basic", "ecr-pull-through-cache",
				"ecr-replication-failed", "ecr-replication-success", "inspector2-scan-ecr"}},
		{"event log of other repositories: nothing", EventLogPatterns([]string{"team/api", "sbom-other"}, sampleArn), nil},
		{"event log of one repository: only its events", EventLogPatterns([]string{"docker-hub/alpine"}, sampleArn),
			[]string{"ecr-pull-through-cache", "ecr-replication-success"}},
		{"basic scan, CRITICAL and HIGH: the sample has 10 CRITICAL", ScanPatterns(sampleRepos, []string{"CRITICAL", "HIGH"}),
			[]string{"ecr-image-scan-basic"}},
		{"basic scan, HIGH only: the sample has none", ScanPatterns(sampleRepos, []string{"HIGH"}), nil},
		{"basic scan, MEDIUM and up", ScanPatterns(sampleRepos, SeveritiesAtOrAbove("MEDIUM")), []string{"ecr-image-scan-basic"}},
		{"basic scan of another repository", ScanPatterns([]string{"team/api"}, DefaultSeverities), nil},
		{"basic scan pattern given ARNs (the Inspector trap the other way round)", ScanPatterns([]string{sampleArn("my-repository-name")}, DefaultSeverities), nil},
		{"Inspector scan by ARN, CRITICAL and HIGH", InspectorScanPatterns(sampleRepos, sampleArn, DefaultSeverities),
			[]string{"inspector2-scan-ecr"}},
		{"Inspector scan given names instead of ARNs matches nothing: repository-name holds the ARN",
			InspectorScanPatterns(sampleRepos, byName, DefaultSeverities), nil},
		{"Inspector scan of another repository", InspectorScanPatterns([]string{"team/api"}, sampleArn, DefaultSeverities), nil},
		{"Inspector finding, CRITICAL and HIGH: the sample is MEDIUM", InspectorFindingPatterns(sampleRepos, DefaultSeverities), nil},
		{"Inspector finding, MEDIUM and up", InspectorFindingPatterns(sampleRepos, SeveritiesAtOrAbove("MEDIUM")),
			[]string{"inspector2-finding-ecr"}},
		{"Inspector finding of another repository", InspectorFindingPatterns([]string{"team/api"}, SeveritiesAtOrAbove("LOW")), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, matching(t, tc.patterns))
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// The patterns as JSON, against what the reference documents.
func TestPatternsAsJSON(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{
		`{"detail":{"repository-name":["team/api","team/web"]},"detail-type":["ECR Image Action","ECR Image Scan","ECR Pull Through Cache Action","ECR Replication Action"],"source":["aws.ecr"]}`,
		`{"detail":{"repository-name":["arn:aws:ecr:eu-west-1:123456789012:repository/team/api","arn:aws:ecr:eu-west-1:123456789012:repository/team/web"]},"detail-type":["Inspector2 Scan"],"source":["aws.inspector2"]}`,
	}, EventLogPatterns([]string{"team/web", "team/api", "team/web"}, euArn))
	assert.Equal(t, []string{
		`{"detail":{"finding-severity-counts":{"$or":[{"CRITICAL":[{"numeric":[">",0]}]},{"HIGH":[{"numeric":[">",0]}]}]},"repository-name":["team/api"],"scan-status":["COMPLETE"]},"detail-type":["ECR Image Scan"],"source":["aws.ecr"]}`,
	}, ScanPatterns([]string{"team/api"}, DefaultSeverities))
	assert.Equal(t, []string{
		`{"detail":{"finding-severity-counts":{"CRITICAL":[{"numeric":[">",0]}]},"repository-name":["arn:aws:ecr:eu-west-1:123456789012:repository/team/api"],"scan-status":["INITIAL_SCAN_COMPLETE"]},"detail-type":["Inspector2 Scan"],"source":["aws.inspector2"]}`,
	}, InspectorScanPatterns([]string{"team/api"}, euArn, []string{"CRITICAL"}))
	assert.Equal(t, []string{
		`{"detail":{"resources":{"details":{"awsEcrContainerImage":{"repositoryName":["team/api"]}}},"severity":["CRITICAL","HIGH"],"status":["ACTIVE"]},"detail-type":["Inspector2 Finding"],"source":["aws.inspector2"]}`,
	}, InspectorFindingPatterns([]string{"team/api"}, DefaultSeverities))
	assert.Nil(t, EventLogPatterns(nil, euArn))
}

// Many repositories are split over as many rules as the 2,048-character
// pattern quota needs, every repository in exactly one.
func TestPatternsAreSplitToFitTheQuota(t *testing.T) {
	t.Parallel()
	var names []string
	for i := range 300 {
		names = append(names, fmt.Sprintf("team-%03d/service-with-a-long-name", i))
	}
	patterns := ScanPatterns(names, DefaultSeverities)
	require.Greater(t, len(patterns), 5)
	seen := 0
	for _, p := range patterns {
		assert.LessOrEqual(t, len(p), MaxEventPatternLength)
		seen += strings.Count(p, "/service-with-a-long-name")
	}
	assert.Equal(t, len(names), seen)
	assert.Equal(t, patterns, ScanPatterns(names, DefaultSeverities), "deterministic")
	short := func(n string) string { return "arn:aws:ecr:us-east-1:123456789012:repository/" + n }
	assert.Len(t, InspectorScanPatterns(names, short, DefaultSeverities), len(InspectorScanPatterns(names, worstCaseArn, DefaultSeverities)),
		"the number of rules does not depend on the account and region")
}

func TestSeveritiesAtOrAbove(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"CRITICAL"}, SeveritiesAtOrAbove("CRITICAL"))
	assert.Equal(t, []string{"CRITICAL", "HIGH", "MEDIUM"}, SeveritiesAtOrAbove("MEDIUM"))
	assert.Nil(t, SeveritiesAtOrAbove("UNTRIAGED"))
}

// The alert texts, filled from AWS's samples as EventBridge fills them.
func TestTransformersRenderReadableText(t *testing.T) {
	t.Parallel()
	ev := samples(t)
	lookup := func(event any) func(string) (string, bool) {
		return func(path string) (string, bool) { return jsonPath(event, path) }
	}
	basic := ScanTransformer("main", DefaultSeverities).Render(lookup(ev["ecr-image-scan-basic"]))
	assert.Equal(t, strings.Join([]string{
		"ECR image scan of my-repository-name found CRITICAL/HIGH vulnerabilities.",
		"Repository: my-repository-name",
		"Tag: ",
		"Digest: sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234",
		"Findings: CRITICAL 10, HIGH ",
		"Account 123456789012, region us-east-1, at 2019-10-29T02:36:48Z.",
		"Sent by the ecrrepos Registry main (basic scanning).",
	}, "\n"), basic)
	enhanced := InspectorScanTransformer("main", DefaultSeverities).Render(lookup(ev["inspector2-scan-ecr"]))
	assert.Contains(t, enhanced, "Findings: CRITICAL 7, HIGH 61 (all severities: 158)")
	assert.Contains(t, enhanced, "Tag: latest")
	finding := InspectorFindingTransformer("main").Render(lookup(ev["inspector2-finding-ecr"]))
	assert.Contains(t, finding, "MEDIUM finding in amazon/amazon-ecs-sample:latest: CVE-2019-17498 - libssh2")
	assert.Contains(t, finding, "Vulnerability: CVE-2019-17498 (Inspector score 6.5)")

	for _, tr := range []InputTransformer{ScanTransformer("x", DefaultSeverities), InspectorScanTransformer("x", Severities), InspectorFindingTransformer("x")} {
		assert.LessOrEqual(t, len(tr.Paths), 100, "EventBridge allows 100 input paths")
		for name := range tr.Paths {
			assert.False(t, strings.HasPrefix(strings.ToUpper(name), "AWS"), "input path names must not start with AWS: %s", name)
			assert.Contains(t, tr.Template, "<"+name+">")
		}
		for line := range strings.SplitSeq(tr.Template, "\n") {
			assert.True(t, strings.HasPrefix(line, `"`) && strings.HasSuffix(line, `"`) && strings.Count(line, `"`) == 2, line)
		}
	}
}

// jsonPath reads the dotted paths with [i] indexes an input transformer uses.
func jsonPath(event any, path string) (string, bool) {
	cur := event
	for part := range strings.SplitSeq(strings.TrimPrefix(path, "$."), ".") {
		name, index, hasIndex := strings.Cut(part, "[")
		obj, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		if cur, ok = obj[name]; !ok {
			return "", false
		}
		if hasIndex {
			list, ok := cur.([]any)
			var i int
			_, _ = fmt.Sscanf(strings.TrimSuffix(index, "]"), "%d", &i)
			if !ok || i >= len(list) {
				return "", false
			}
			cur = list[i]
		}
	}
	return fmt.Sprint(cur), true
}
