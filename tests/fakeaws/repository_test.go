package main

import (
	"regexp"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

func TestRepositoryCreateComputesURLAndARN(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	resp, checked := h.mustCreate(tokRepository, "repo", map[string]any{"name": "team/app", "tags": map[string]any{"env": "test"}})

	assert.Equal(t, "team/app", resp.ID)
	out := mapToGo(resp.Properties)
	assert.Equal(t, "arn:aws:ecr:eu-west-1:123456789012:repository/team/app", out["arn"])
	assert.Equal(t, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app", out["repositoryUrl"])
	assert.Equal(t, "123456789012", out["registryId"])
	assert.Equal(t, "MUTABLE", out["imageTagMutability"])
	assert.Equal(t, map[string]any{"env": "test"}, out["tags"])
	assert.Equal(t, map[string]any{"env": "test"}, out["tagsAll"])
	assert.Equal(t, map[string]any{"scanOnPush": false}, out["imageScanningConfiguration"])
	assert.Equal(t, []any{map[string]any{"encryptionType": "AES256", "kmsKey": ""}}, out["encryptionConfigurations"])
	assert.Equal(t, false, out["forceDelete"])
	assert.Equal(t, "MUTABLE", checked.Get("imageTagMutability").AsString(), "Check applies the TF default")

	rec := h.region().Repositories["team/app"]
	require.NotNil(t, rec)
	assert.Equal(t, out["arn"], rec.ARN)
	assert.Equal(t, "AES256", rec.EncryptionConfigurations[0].EncryptionType)
	assert.Equal(t, []world.JournalEntry{{Op: "create", Type: tokRepository, ID: "team/app",
		URN: string(urnOf(tokRepository, "repo")), Region: testRegion}}, h.journal())
}

func TestRepositoryDefaultRegion(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "us-east-1", newFakeAWS("", "").currentRegion())
	assert.Equal(t, "ap-south-1", newFakeAWS("", "ap-south-1").currentRegion(), "AWS_REGION fallback")
}

func TestRepositoryKMSReportsManagedKeyWithoutDiff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	inputs := map[string]any{"name": "kms-repo", "encryptionConfigurations": []any{map[string]any{"encryptionType": "KMS"}}}
	resp, checked := h.mustCreate(tokRepository, "kms", inputs)
	assert.Equal(t, []any{map[string]any{
		"encryptionType": "KMS",
		"kmsKey":         "arn:aws:kms:eu-west-1:123456789012:key/aws-ecr-managed",
	}}, mapToGo(resp.Properties)["encryptionConfigurations"])

	d := h.diff(tokRepository, "kms", resp.Properties, checked, inputs)
	assert.False(t, d.HasChanges, "computed kmsKey must not cause a diff: %v", kinds(d))
}

func TestRepositoryAutoname(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	first := h.check(tokRepository, "images", nil, map[string]any{})
	require.Empty(t, first.Failures)
	name := first.Inputs.Get("name").AsString()
	assert.Regexp(t, regexp.MustCompile(`^images-[0-9a-f]{7}$`), name)

	// On update the autoname is kept ...
	again := h.check(tokRepository, "images", mapToGo(first.Inputs), map[string]any{})
	assert.Equal(t, name, again.Inputs.Get("name").AsString())
	// ... but a name the user set and then removed is not reused.
	userSet := h.check(tokRepository, "images", nil, map[string]any{"name": "explicit"})
	after := h.check(tokRepository, "images", mapToGo(userSet.Inputs), map[string]any{})
	assert.NotEqual(t, "explicit", after.Inputs.Get("name").AsString())
}

func TestRepositoryCheckFailures(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	assert.ElementsMatch(t, []string{
		"imageTagMutability",
		"encryptionConfigurations[0].encryptionType",
		"imageTagMutablity", // a typo: not a pulumi-aws input
		"imageScanningConfiguration.scanOnPush",
	}, h.failed(tokRepository, map[string]any{
		"name":                       "ok",
		"imageTagMutability":         "SOMETIMES",
		"encryptionConfigurations":   []any{map[string]any{"encryptionType": "ROT13"}},
		"imageTagMutablity":          "IMMUTABLE",
		"imageScanningConfiguration": map[string]any{},
	}))
}

func TestRepositoryInvalidNameFailsLikeECR(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	assert.Contains(t, h.createErr(tokRepository, "repo", map[string]any{"name": "Upper_Case"}),
		"creating ECR Repository (Upper_Case): operation error ECR: CreateRepository, https response error StatusCode: 400, "+
			"RequestID: 00000000-0000-0000-0000-fakeaws00000, InvalidParameterException: Invalid parameter at 'repositoryName' "+
			"failed to satisfy constraint: 'must satisfy regular expression")
	assert.Contains(t, h.createErr(tokRepository, "repo", map[string]any{"name": "a"}), "'Member must have length between 2 and 256'")
	assert.Empty(t, h.region().Repositories)
}

func TestRepositoryDiff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	base := map[string]any{"name": "diffs", "tags": map[string]any{"a": "1"}}
	created, oldInputs := h.mustCreate(tokRepository, "diffs", base)

	kms := func(key string) []any {
		e := map[string]any{"encryptionType": "KMS"}
		if key != "" {
			e["kmsKey"] = key
		}
		return []any{e}
	}
	tests := []struct {
		name string
		news map[string]any
		want map[string]p.DiffKind
	}{
		{"no change", base, map[string]p.DiffKind{}},
		{"explicit default mutability", with(base, "imageTagMutability", "MUTABLE"), map[string]p.DiffKind{}},
		{"omitted scanning block is suppressed", with(base, "imageScanningConfiguration", nil), map[string]p.DiffKind{}},
		{"explicit default encryption", with(base, "encryptionConfigurations", []any{map[string]any{"encryptionType": "AES256"}}),
			map[string]p.DiffKind{}},
		{"imageTagMutability updates in place", with(base, "imageTagMutability", "IMMUTABLE"),
			map[string]p.DiffKind{"imageTagMutability": p.Update}},
		{"scanOnPush updates in place", with(base, "imageScanningConfiguration", map[string]any{"scanOnPush": true}),
			map[string]p.DiffKind{"imageScanningConfiguration": p.Update}},
		{"forceDelete updates in place", with(base, "forceDelete", true), map[string]p.DiffKind{"forceDelete": p.Update}},
		{"tags update in place", with(base, "tags", map[string]any{"a": "2"}), map[string]p.DiffKind{"tags": p.Update}},
		{"removing tags updates in place", with(base, "tags", nil), map[string]p.DiffKind{"tags": p.Delete}},
		{"name replaces", with(base, "name", "renamed"), map[string]p.DiffKind{"name": p.UpdateReplace}},
		{"unknown name replaces", with(base, "name", unknown), map[string]p.DiffKind{"name": p.UpdateReplace}},
		{"encryption type replaces", with(base, "encryptionConfigurations", kms("")),
			map[string]p.DiffKind{"encryptionConfigurations": p.UpdateReplace}},
		{"kms key replaces", with(base, "encryptionConfigurations", kms("arn:aws:kms:eu-west-1:123456789012:key/k")),
			map[string]p.DiffKind{"encryptionConfigurations": p.UpdateReplace}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := h.diff(tokRepository, "diffs", created.Properties, oldInputs, tt.news)
			assert.Equal(t, tt.want, kinds(d))
			assert.Equal(t, len(tt.want) > 0, d.HasChanges)
			assert.False(t, d.DeleteBeforeReplace, "pulumi-aws sets no deleteBeforeReplace for Repository")
		})
	}
}

func TestRepositoryUpdateInPlace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	created, oldInputs := h.mustCreate(tokRepository, "upd", map[string]any{"name": "upd"})
	resp, err := h.update(tokRepository, "upd", created, oldInputs, map[string]any{
		"name":                       "upd",
		"imageTagMutability":         "IMMUTABLE",
		"imageScanningConfiguration": map[string]any{"scanOnPush": true},
	})
	require.NoError(t, err)
	assert.Equal(t, "IMMUTABLE", resp.Properties.Get("imageTagMutability").AsString())
	assert.Equal(t, created.Properties.Get("arn"), resp.Properties.Get("arn"))
	rec := h.region().Repositories["upd"]
	assert.Equal(t, "IMMUTABLE", rec.ImageTagMutability)
	assert.True(t, rec.ScanOnPush())
	assert.Equal(t, world.JournalEntry{Op: "update", Type: tokRepository, ID: "upd", URN: string(urnOf(tokRepository, "upd")),
		Region: testRegion, Changed: []string{"imageScanningConfiguration", "imageTagMutability"}}, h.journal()[1])

	// An omitted scanning block keeps what the repository has.
	_, err = h.update(tokRepository, "upd", p.CreateResponse{ID: "upd", Properties: resp.Properties}, oldInputs,
		map[string]any{"name": "upd", "tags": map[string]any{"k": "v"}})
	require.NoError(t, err)
	assert.True(t, h.region().Repositories["upd"].ScanOnPush())
	assert.Equal(t, map[string]string{"k": "v"}, h.region().Repositories["upd"].Tags)
}

func TestRepositoryUpdateOfAGoneRepositoryFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	created, oldInputs := h.mustCreate(tokRepository, "gone", map[string]any{"name": "gone"})
	h.delete(tokRepository, "gone", "gone", created.Properties)
	_, err := h.update(tokRepository, "gone", created, oldInputs, map[string]any{"name": "gone", "imageTagMutability": "IMMUTABLE"})
	assert.ErrorContains(t, err, "updating ECR Repository (gone): operation error ECR: PutImageTagMutability")
	assert.ErrorContains(t, err, "RepositoryNotFoundException")
}

func TestDuplicateRepositoryNameFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	h.mustCreate(tokRepository, "first", map[string]any{"name": "shared"})
	assert.Contains(t, h.createErr(tokRepository, "second", map[string]any{"name": "shared"}),
		"RepositoryAlreadyExistsException: The repository with name 'shared' already exists in the registry with id '123456789012'")
	assert.Len(t, h.journal(), 1, "failed calls are not journalled")
}

// TestPreviewLooksNothingUp: like a Terraform plan, a preview does not look
// up what a resource refers to (every create and update in these tests also
// checks that its preview leaves the world and the journal alone).
func TestPreviewLooksNothingUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	pol := h.check(tokRepositoryPolicy, "pv", nil, map[string]any{"repository": "nope",
		"policy": policyFor("arn:aws:iam::123456789012:role/not-yet")})
	_, err := h.s.Create(p.CreateRequest{Urn: urnOf(tokRepositoryPolicy, "pv"), Properties: pol.Inputs, DryRun: true})
	require.NoError(t, err, "neither the repository nor the role exists yet")
	assert.Empty(t, h.journal())
}

func TestDeletes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	repo, _ := h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	h.mustCreate(tokRepositoryPolicy, "rp", map[string]any{"repository": "repo", "policy": repoPolicy})
	h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": lifecyclePolicy})

	h.delete(tokRepository, "repo", "repo", repo.Properties)
	assert.Empty(t, h.region().Repositories, "deleting the repository removes its policies")

	// Deleting policies of a repository that no longer exists succeeds.
	h.delete(tokRepositoryPolicy, "rp", "repo", property.Map{})
	h.delete(tokLifecyclePolicy, "lp", "repo", property.Map{})
	assert.Empty(t, h.read(tokRepository, "repo").ID, "refresh sees the repository is gone")
	assert.Equal(t, strings.Fields("create create create delete delete delete"), func() (ops []string) {
		for _, e := range h.journal() {
			ops = append(ops, e.Op)
		}
		return ops
	}())
}
