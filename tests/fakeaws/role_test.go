package main

import (
	"regexp"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

func TestRoleCreateComputesARNAndUniqueID(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	resp, checked := h.mustCreate(tokRole, "ci-role", map[string]any{
		"name": "ci-role", "assumeRolePolicy": trustPolicy, "tags": map[string]any{"team": "ci"},
	})

	assert.Equal(t, "ci-role", resp.ID)
	out := mapToGo(resp.Properties)
	assert.Equal(t, "arn:aws:iam::123456789012:role/ci-role", out["arn"])
	assert.Regexp(t, regexp.MustCompile(`^AROA[A-Z0-9]{17}$`), out["uniqueId"])
	assert.Equal(t, "2024-01-01T00:00:00Z", out["createDate"])
	assert.Equal(t, "/", out["path"])
	assert.Equal(t, 3600.0, out["maxSessionDuration"])
	assert.Equal(t, false, out["forceDetachPolicies"])
	assert.Equal(t, map[string]any{"team": "ci"}, out["tags"])
	assert.Equal(t, map[string]any{"team": "ci"}, out["tagsAll"])
	assert.Equal(t, normalized(t, trustPolicy), out["assumeRolePolicy"])
	assert.Equal(t, "/", checked.Get("path").AsString(), "Check applies the TF default")

	rec := h.world().Roles["ci-role"]
	require.NotNil(t, rec)
	assert.Equal(t, out["arn"], rec.ARN)
	assert.Equal(t, out["uniqueId"], rec.UniqueID)
	assert.Equal(t, normalized(t, trustPolicy), rec.AssumeRolePolicy)
	assert.Equal(t, map[string]string{"team": "ci"}, rec.Tags)
	assert.Equal(t, []world.JournalEntry{{Op: "create", Type: tokRole, ID: "ci-role",
		URN: string(urnOf(tokRole, "ci-role")), Region: testRegion}}, h.journal())

	// Deterministic: another world gives the same role the same unique ID.
	again, _ := newHarness(t, "").mustCreate(tokRole, "other", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})
	assert.Equal(t, out["uniqueId"], mapToGo(again.Properties)["uniqueId"])
	assert.NotEqual(t, out["uniqueId"], world.RoleUniqueID("ci-role2"))

	// The path is part of the ARN.
	pathed, _ := h.mustCreate(tokRole, "pathed", map[string]any{"name": "deployer", "path": "/ci/", "assumeRolePolicy": trustPolicy})
	assert.Equal(t, "arn:aws:iam::123456789012:role/ci/deployer", mapToGo(pathed.Properties)["arn"])
}

func TestRoleRawCustomResourceInputs(t *testing.T) {
	t.Parallel()
	// new pulumi.CustomResource("aws:iam/role:Role", "ci-role", {assumeRolePolicy, arn: undefined, ...}),
	// with an object policy (tfbridge.TransformJSONDocument).
	h := newHarness(t, "")
	resp := h.check(tokRole, "ci-role", nil, map[string]any{
		"assumeRolePolicy": parseJSON(t, trustPolicy), "arn": nil, "uniqueId": nil, "name": nil,
	})
	require.Empty(t, resp.Failures)
	assert.JSONEq(t, trustPolicy, resp.Inputs.Get("assumeRolePolicy").AsString())
	_, hasArn := resp.Inputs.GetOk("arn")
	assert.False(t, hasArn, "null outputs are dropped")

	created, err := h.s.Create(p.CreateRequest{Urn: urnOf(tokRole, "ci-role"), Properties: resp.Inputs})
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^ci-role-[0-9a-f]{7}$`), created.ID)
	assert.Equal(t, "arn:aws:iam::123456789012:role/"+created.ID, mapToGo(created.Properties)["arn"])
}

func TestRoleAutonameAndNamePrefix(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	first := h.check(tokRole, "ci-role", nil, map[string]any{"assumeRolePolicy": trustPolicy})
	require.Empty(t, first.Failures)
	name := first.Inputs.Get("name").AsString()
	assert.Regexp(t, regexp.MustCompile(`^ci-role-[0-9a-f]{7}$`), name)

	// On update the autoname is kept ...
	again := h.check(tokRole, "ci-role", mapToGo(first.Inputs), map[string]any{"assumeRolePolicy": trustPolicy})
	assert.Equal(t, name, again.Inputs.Get("name").AsString())
	// ... but a name the user set and then removed is not reused.
	userSet := h.check(tokRole, "ci-role", nil, map[string]any{"name": "explicit", "assumeRolePolicy": trustPolicy})
	after := h.check(tokRole, "ci-role", mapToGo(userSet.Inputs), map[string]any{"assumeRolePolicy": trustPolicy})
	assert.NotEqual(t, "explicit", after.Inputs.Get("name").AsString())

	// IAM role names are at most 64 characters: so are autonames.
	assert.Equal(t, []string{"name"}, h.failed(tokRole, map[string]any{"assumeRolePolicy": trustPolicy, "name": strings.Repeat("r", 65)}))
	long := h.check(tokRole, strings.Repeat("r", 60), nil, map[string]any{"assumeRolePolicy": trustPolicy})
	require.Len(t, long.Failures, 1)
	assert.Equal(t, "name", long.Failures[0].Property)

	// namePrefix: terraform-provider-aws names the role at create time; the
	// name is unknown in a preview and never a diff.
	inputs := map[string]any{"namePrefix": "ci-", "assumeRolePolicy": trustPolicy}
	preview := h.check(tokRole, "prefixed", nil, inputs)
	_, hasName := preview.Inputs.GetOk("name")
	assert.False(t, hasName)
	created, oldInputs := h.mustCreate(tokRole, "prefixed", inputs)
	assert.Regexp(t, regexp.MustCompile(`^ci-[0-9]{18}[0-9a-f]{8}$`), created.ID)
	assert.NotNil(t, h.world().Roles[created.ID])
	assert.False(t, h.diff(tokRole, "prefixed", created.Properties, oldInputs, inputs).HasChanges)
	assert.Equal(t, map[string]p.DiffKind{"namePrefix": p.UpdateReplace},
		kinds(h.diff(tokRole, "prefixed", created.Properties, oldInputs, with(inputs, "namePrefix", "cd-"))))
}

func TestRoleCheckFailures(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	assert.ElementsMatch(t, []string{"name", "maxSessionDuration", "inlinePolicies", "assumeRolePolicy"},
		h.failed(tokRole, map[string]any{
			"name":               "has space",
			"maxSessionDuration": 60.0,
			"inlinePolicies":     []any{}, // a pulumi-aws input that is not emulated
		}))
	assert.Equal(t, []string{"assumeRolePolicy"}, h.failed(tokRole, map[string]any{"name": "ok", "assumeRolePolicy": "{not json"}))
	assert.Equal(t, []string{"managedPolicyArns"}, h.failed(tokRole,
		map[string]any{"name": "ok", "assumeRolePolicy": trustPolicy, "managedPolicyArns": []any{"arn"}}))
}

func TestRoleDiff(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	base := map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy, "tags": map[string]any{"a": "1"}}
	created, oldInputs := h.mustCreate(tokRole, "ci-role", base)
	otherTrust := strings.Replace(trustPolicy, "codebuild", "codepipeline", 1)

	tests := []struct {
		name string
		news map[string]any
		want map[string]p.DiffKind
	}{
		{"no change", base, map[string]p.DiffKind{}},
		{"equivalent JSON is no diff", with(base, "assumeRolePolicy", strings.Join(strings.Fields(trustPolicy), "")), map[string]p.DiffKind{}},
		{"equivalent object is no diff", with(base, "assumeRolePolicy", parseJSON(t, trustPolicy)), map[string]p.DiffKind{}},
		{"explicit defaults", with(base, "path", "/"), map[string]p.DiffKind{}},
		{"explicit default session", with(base, "maxSessionDuration", 3600.0), map[string]p.DiffKind{}},
		{"assumeRolePolicy updates in place", with(base, "assumeRolePolicy", otherTrust), map[string]p.DiffKind{"assumeRolePolicy": p.Update}},
		{"unknown assumeRolePolicy updates in place", with(base, "assumeRolePolicy", unknown),
			map[string]p.DiffKind{"assumeRolePolicy": p.Update}},
		{"description updates in place", with(base, "description", "CI"), map[string]p.DiffKind{"description": p.Add}},
		{"maxSessionDuration updates in place", with(base, "maxSessionDuration", 7200.0),
			map[string]p.DiffKind{"maxSessionDuration": p.Update}},
		{"forceDetachPolicies updates in place", with(base, "forceDetachPolicies", true),
			map[string]p.DiffKind{"forceDetachPolicies": p.Update}},
		{"permissionsBoundary updates in place", with(base, "permissionsBoundary", "arn:aws:iam::123456789012:policy/boundary"),
			map[string]p.DiffKind{"permissionsBoundary": p.Add}},
		{"tags update in place", with(base, "tags", map[string]any{"a": "2"}), map[string]p.DiffKind{"tags": p.Update}},
		{"name replaces", with(base, "name", "renamed"), map[string]p.DiffKind{"name": p.UpdateReplace}},
		{"unknown name replaces", with(base, "name", unknown), map[string]p.DiffKind{"name": p.UpdateReplace}},
		{"path replaces", with(base, "path", "/ci/"), map[string]p.DiffKind{"path": p.UpdateReplace}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := h.diff(tokRole, "ci-role", created.Properties, oldInputs, tt.news)
			assert.Equal(t, tt.want, kinds(d))
			assert.Equal(t, len(tt.want) > 0, d.HasChanges)
			assert.False(t, d.DeleteBeforeReplace, "pulumi-aws sets no deleteBeforeReplace for Role")
		})
	}
}

func TestRoleUpdateInPlace(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	created, oldInputs := h.mustCreate(tokRole, "ci-role", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})
	otherTrust := strings.Replace(trustPolicy, "codebuild", "codepipeline", 1)
	resp, err := h.update(tokRole, "ci-role", created, oldInputs,
		map[string]any{"name": "ci-role", "assumeRolePolicy": otherTrust, "description": "CI role"})
	require.NoError(t, err)
	out := mapToGo(resp.Properties)
	assert.Contains(t, out["assumeRolePolicy"], "codepipeline")
	assert.Equal(t, "CI role", out["description"])
	assert.Equal(t, created.Properties.Get("arn"), resp.Properties.Get("arn"))
	assert.Equal(t, created.Properties.Get("uniqueId"), resp.Properties.Get("uniqueId"))
	rec := h.world().Roles["ci-role"]
	assert.Contains(t, rec.AssumeRolePolicy, "codepipeline")
	assert.Equal(t, "CI role", rec.Description)
	assert.Equal(t, world.JournalEntry{Op: "update", Type: tokRole, ID: "ci-role", URN: string(urnOf(tokRole, "ci-role")),
		Region: testRegion, Changed: []string{"assumeRolePolicy", "description"}}, h.journal()[1])

	// Refresh reads the role back without a diff.
	read, err := h.s.Read(p.ReadRequest{ID: "ci-role", Urn: urnOf(tokRole, "ci-role"), Properties: resp.Properties, Inputs: oldInputs})
	require.NoError(t, err)
	assert.Equal(t, out, mapToGo(read.Properties))

	h.delete(tokRole, "ci-role", "ci-role", resp.Properties)
	assert.Empty(t, h.world().Roles)
	h.delete(tokRole, "ci-role", "ci-role", resp.Properties) // deleting a role that is gone succeeds
	assert.Empty(t, h.read(tokRole, "ci-role").ID, "refresh sees the role is gone")
	_, err = h.update(tokRole, "ci-role", created, oldInputs, map[string]any{"name": "ci-role", "assumeRolePolicy": otherTrust})
	assert.ErrorContains(t, err, "updating IAM Role (ci-role): operation error IAM: UpdateRole, https response error StatusCode: 404")
}

func TestDuplicateRoleNameFails(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	h.mustCreate(tokRole, "first", map[string]any{"name": "shared", "assumeRolePolicy": trustPolicy})
	err := h.createErr(tokRole, "second", map[string]any{"name": "shared", "path": "/other/", "assumeRolePolicy": trustPolicy})
	assert.Contains(t, err, "creating IAM Role (shared): operation error IAM: CreateRole, https response error StatusCode: 409")
	assert.Contains(t, err, "EntityAlreadyExists: Role with name shared already exists.")
	assert.Contains(t, h.createErr(tokRole, "third", map[string]any{"name": "SHARED", "assumeRolePolicy": trustPolicy}),
		"EntityAlreadyExists", "role names are case-insensitive")
	assert.Contains(t, h.createErr(tokRole, "badpath", map[string]any{"name": "p", "path": "ci", "assumeRolePolicy": trustPolicy}),
		"ValidationError: The specified value for path is invalid")
	assert.Len(t, h.journal(), 1, "failed calls are not journalled")
	assert.Len(t, h.world().Roles, 1)
}
