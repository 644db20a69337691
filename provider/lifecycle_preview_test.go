package provider

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPreviewLifecyclePolicyFunction(t *testing.T) {
	t.Parallel()
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
