package provider

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const lifecyclePolicyType = "aws:ecr/lifecyclePolicy:LifecyclePolicy"

type lifecycleDoc struct {
	Rules []struct {
		RulePriority int
		Selection    struct {
			TagStatus      string
			TagPrefixList  []string
			TagPatternList []string
			CountType      string
			CountUnit      string
			CountNumber    int
		}
		Action struct{ Type string }
	}
}

func parseLifecycle(t *testing.T, doc string) lifecycleDoc {
	t.Helper()
	var out lifecycleDoc
	require.NoError(t, json.Unmarshal([]byte(doc), &out), doc)
	return out
}

func TestDefaultLifecyclePolicyExpiresUntaggedAfter14Days(t *testing.T) {
	m, out, err := runRegistryWith(t, RegistryArgs{Repositories: map[string]RepositoryArgs{"api": {}}}, func(reg *Registry, c *captured) {
		capture(c, "lifecycle", reg.LifecyclePolicies)
	})
	require.NoError(t, err)
	registered := m.ofType(lifecyclePolicyType)["main-api"]
	require.NotNil(t, registered.Inputs)
	assert.Equal(t, "api", str(registered.Inputs, "repository"))
	doc := parseLifecycle(t, str(registered.Inputs, "policy"))
	require.Len(t, doc.Rules, 1)
	r := doc.Rules[0]
	assert.Equal(t, "untagged", r.Selection.TagStatus)
	assert.Equal(t, "sinceImagePushed", r.Selection.CountType)
	assert.Equal(t, "days", r.Selection.CountUnit)
	assert.Equal(t, 14, r.Selection.CountNumber)
	assert.Equal(t, "expire", r.Action.Type)
	assert.Equal(t, str(registered.Inputs, "policy"), out["lifecycle"].(map[string]string)["api"])
}

func TestLifecycleDefaultsTemplatesOverridesAndDisabled(t *testing.T) {
	m, out, err := runRegistryWith(t, RegistryArgs{
		Defaults: &RepositoryArgs{Lifecycle: &LifecycleArgs{Template: ptr(LifecycleTemplate("production"))}},
		Repositories: map[string]RepositoryArgs{
			"inherits": {},
			"custom": {Lifecycle: &LifecycleArgs{Rules: []LifecycleRuleArgs{
				{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "sinceImagePushed", CountNumber: 3},
				{TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 30},
			}}},
			"keep-everything": {Lifecycle: &LifecycleArgs{Disabled: ptr(true)}},
		},
	}, func(reg *Registry, c *captured) { capture(c, "lifecycle", reg.LifecyclePolicies) })
	require.NoError(t, err)
	registered := m.ofType(lifecyclePolicyType)
	assert.NotContains(t, registered, "main-keep-everything", "disabled: no lifecycle policy")
	assert.NotContains(t, out["lifecycle"], "keep-everything")

	production := parseLifecycle(t, str(registered["main-inherits"].Inputs, "policy"))
	var counts []int
	for _, r := range production.Rules {
		counts = append(counts, r.Selection.CountNumber)
	}
	assert.Contains(t, counts, 100, "the production template keeps 100 images")
	assert.Contains(t, counts, 14, "and expires untagged images after 14 days")

	custom := parseLifecycle(t, str(registered["main-custom"].Inputs, "policy"))
	require.Len(t, custom.Rules, 2, "a repository's lifecycle replaces the default's")
	assert.Equal(t, 1, custom.Rules[0].RulePriority)
	assert.Equal(t, []string{"pr-"}, custom.Rules[0].Selection.TagPrefixList)
	assert.Equal(t, "any", custom.Rules[1].Selection.TagStatus)
	assert.Equal(t, 2, custom.Rules[1].RulePriority, "priorities assigned automatically, any last")
}

func TestInvalidLifecycleIsRefusedWithPaths(t *testing.T) {
	cases := []struct {
		name string
		args RegistryArgs
		want []string
	}{
		{"zero count", RegistryArgs{Repositories: repos("api", RepositoryArgs{Lifecycle: &LifecycleArgs{Rules: []LifecycleRuleArgs{
			{TagStatus: "untagged", CountType: "sinceImagePushed", CountNumber: 0},
		}}})}, []string{`repositories["api"].lifecycle.rules[0].countNumber`}},
		{"tagged without selection", RegistryArgs{Repositories: repos("api", RepositoryArgs{Lifecycle: &LifecycleArgs{Rules: []LifecycleRuleArgs{
			{TagStatus: "tagged", CountType: "imageCountMoreThan", CountNumber: 5},
		}}})}, []string{`repositories["api"].lifecycle.rules[0]`, "must list tag prefixes or tag patterns"}},
		{"unknown template in defaults", RegistryArgs{
			Defaults:     &RepositoryArgs{Lifecycle: &LifecycleArgs{Template: ptr(LifecycleTemplate("prod"))}},
			Repositories: map[string]RepositoryArgs{"aa": {}, "bb": {}},
		}, []string{`defaults.lifecycle.template`, `"prod"`}},
		{"raw policy breaking a rule", RegistryArgs{Repositories: repos("api", RepositoryArgs{Lifecycle: &LifecycleArgs{PolicyJson: ptr(
			`{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countUnit":"days","countNumber":5},"action":{"type":"expire"}}]}`,
		)}})}, []string{`repositories["api"].lifecycle.policyJson`, "countUnit"}},
		{"disabled with rules", RegistryArgs{Repositories: repos("api", RepositoryArgs{Lifecycle: &LifecycleArgs{Disabled: ptr(true), KeepLatest: ptr(5)}})},
			[]string{`repositories["api"].lifecycle`, "disabled"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { requireRejected(t, tc.args, tc.want...) })
	}
}

func TestPreviewLifecyclePolicyFunction(t *testing.T) {
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	day := func(n int) string { return now.Add(-time.Duration(n) * 24 * time.Hour).Format(time.RFC3339) }
	policy := `{"rules":[
		{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["release"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},
		{"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]}`
	result, err := previewLifecycle(PreviewLifecyclePolicyArgs{
		Policy: policy,
		Now:    ptr(now.Format(time.RFC3339)),
		Images: []LifecycleImage{
			{Digest: "release-new", Tags: []string{"release-2"}, PushedAt: day(1)},
			{Digest: "release-old", Tags: []string{"release-1"}, PushedAt: day(10)},
			{Digest: "dev-new", Tags: []string{"dev-3"}, PushedAt: day(2)},
			{Digest: "dev-old", Tags: []string{"dev-1"}, PushedAt: day(20)},
			{Digest: "untagged", PushedAt: day(30)},
		},
	}, time.Time{})
	require.NoError(t, err)
	// Rule 1 keeps the newest release and expires the older one. Rule 2 counts
	// every image (releases included) but may not expire the releases rule 1
	// selected: the newest two overall are release-new and dev-new.
	assert.Equal(t, []ExpiredImage{
		{Digest: "untagged", RulePriority: 2},
		{Digest: "dev-old", RulePriority: 2},
		{Digest: "release-old", RulePriority: 1},
	}, result.Expired)
	assert.Equal(t, []string{"release-new", "dev-new"}, result.Retained)

	_, err = previewLifecycle(PreviewLifecyclePolicyArgs{
		Policy: `{"rules":[]}`,
		Images: []LifecycleImage{{Digest: "a", PushedAt: "yesterday"}, {Digest: "a", PushedAt: day(1)}},
	}, now)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `images[0].pushedAt: must be an RFC 3339 time`)
	assert.Contains(t, err.Error(), `images[1].digest: "a" is also the digest of images[0]`)
	assert.Contains(t, err.Error(), `policy`)
}
