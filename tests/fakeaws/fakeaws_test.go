package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testRegion = "eu-west-1"

// harness is one in-process fake provider behind the go-provider test server.
type harness struct {
	t *testing.T
	s integration.Server
	f *fakeAWS
}

func newHarness(t *testing.T, stateDir string) *harness {
	t.Helper()
	f := newFakeAWS(stateDir, "")
	s, err := integration.NewServer(context.Background(), providerName, semver.MustParse(providerVersion),
		integration.WithProvider(f.provider()))
	require.NoError(t, err)
	// The engine sends every provider config key; unknown ones are ignored.
	require.NoError(t, s.Configure(p.ConfigureRequest{Args: property.NewMap(map[string]property.Value{
		"region":                    property.New(testRegion),
		"version":                   property.New(providerVersion),
		"skipCredentialsValidation": property.New(true),
		"skipRegionValidation":      property.New("true"),
	})}))
	return &harness{t: t, s: s, f: f}
}

func urnOf(tok, name string) resource.URN {
	return resource.NewURN("test", "fakeaws", "", tokens.Type(tok), name)
}

func (h *harness) check(tok, name string, olds, news map[string]any) p.CheckResponse {
	h.t.Helper()
	if olds == nil {
		olds = map[string]any{}
	}
	resp, err := h.s.Check(p.CheckRequest{Urn: urnOf(tok, name), State: mapFromGo(olds), Inputs: mapFromGo(news)})
	require.NoError(h.t, err)
	return resp
}

// create runs Check, a preview Create and a real Create, like `pulumi up`.
func (h *harness) create(tok, name string, inputs map[string]any) (p.CreateResponse, property.Map, error) {
	h.t.Helper()
	checked := h.check(tok, name, nil, inputs)
	require.Empty(h.t, checked.Failures)
	_, err := h.s.Create(p.CreateRequest{Urn: urnOf(tok, name), Properties: checked.Inputs, DryRun: true})
	require.NoError(h.t, err, "preview create")
	resp, err := h.s.Create(p.CreateRequest{Urn: urnOf(tok, name), Properties: checked.Inputs})
	return resp, checked.Inputs, err
}

func (h *harness) mustCreate(tok, name string, inputs map[string]any) (p.CreateResponse, property.Map) {
	h.t.Helper()
	resp, checked, err := h.create(tok, name, inputs)
	require.NoError(h.t, err)
	return resp, checked
}

func (h *harness) diff(tok, name string, state property.Map, oldInputs property.Map, news map[string]any) p.DiffResponse {
	h.t.Helper()
	checked := h.check(tok, name, mapToGo(oldInputs), news)
	require.Empty(h.t, checked.Failures)
	resp, err := h.s.Diff(p.DiffRequest{Urn: urnOf(tok, name), State: state, OldInputs: oldInputs, Inputs: checked.Inputs})
	require.NoError(h.t, err)
	return resp
}

func (h *harness) world() *World {
	h.t.Helper()
	var out *World
	require.NoError(h.t, h.f.world.view(func(w *World) { out = w }))
	return out
}

func kinds(d p.DiffResponse) map[string]p.DiffKind {
	out := map[string]p.DiffKind{}
	for k, v := range d.DetailedDiff {
		out[k] = v.Kind
	}
	return out
}

const lifecyclePolicy = `{"rules":[{"rulePriority":1,"description":"keep last 10 images","selection":` +
	`{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}`

const repoPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "pull", "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage"]}]
}`

func TestRepositoryCreateComputesURLAndARN(t *testing.T) {
	h := newHarness(t, "")
	resp, checked := h.mustCreate(tokRepository, "repo", map[string]any{
		"name": "team/app",
		"tags": map[string]any{"env": "test"},
	})

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
	assert.Equal(t, "MUTABLE", checked.Get("imageTagMutability").AsString(), "Check applies the TF default")

	rec := h.world().Repositories["team/app"]
	require.NotNil(t, rec)
	assert.Equal(t, testRegion, rec.Region)
	assert.Equal(t, "AES256", rec.EncryptionType)
	assert.Equal(t, []JournalEntry{{Op: "create", Type: tokRepository, ID: "team/app",
		URN: string(urnOf(tokRepository, "repo"))}}, h.f.world.memJournal())
}

func TestRepositoryDefaultRegion(t *testing.T) {
	f := newFakeAWS("", "")
	assert.Equal(t, "us-east-1", f.currentRegion())
	assert.Equal(t, "ap-south-1", newFakeAWS("", "ap-south-1").currentRegion(), "AWS_REGION fallback")
}

func TestRepositoryKMSReportsManagedKeyWithoutDiff(t *testing.T) {
	h := newHarness(t, "")
	inputs := map[string]any{
		"name":                     "kms-repo",
		"encryptionConfigurations": []any{map[string]any{"encryptionType": "KMS"}},
	}
	resp, checked := h.mustCreate(tokRepository, "kms", inputs)
	assert.Equal(t, []any{map[string]any{
		"encryptionType": "KMS",
		"kmsKey":         "arn:aws:kms:eu-west-1:123456789012:key/aws-ecr-managed",
	}}, mapToGo(resp.Properties)["encryptionConfigurations"])

	d := h.diff(tokRepository, "kms", resp.Properties, checked, inputs)
	assert.False(t, d.HasChanges, "computed kmsKey must not cause a diff: %v", kinds(d))
}

func TestRepositoryAutoname(t *testing.T) {
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
	h := newHarness(t, "")
	resp := h.check(tokRepository, "bad", nil, map[string]any{
		"name":                     "ok",
		"imageTagMutability":       "SOMETIMES",
		"encryptionConfigurations": []any{map[string]any{"encryptionType": "ROT13"}},
		"imageTagMutablity":        "IMMUTABLE", // typo: not a pulumi-aws input
	})
	props := map[string]bool{}
	for _, f := range resp.Failures {
		props[f.Property] = true
	}
	assert.Equal(t, map[string]bool{
		"imageTagMutability":                         true,
		"encryptionConfigurations[0].encryptionType": true,
		"imageTagMutablity":                          true,
	}, props)
}

func TestRepositoryInvalidNameFailsLikeECR(t *testing.T) {
	h := newHarness(t, "")
	_, _, err := h.create(tokRepository, "repo", map[string]any{"name": "Upper_Case"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "InvalidParameterException")
	assert.Empty(t, h.world().Repositories)
}

func TestRepositoryDiff(t *testing.T) {
	h := newHarness(t, "")
	base := map[string]any{"name": "diffs", "tags": map[string]any{"a": "1"}}
	created, oldInputs := h.mustCreate(tokRepository, "diffs", base)
	state := created.Properties

	with := func(k string, v any) map[string]any {
		m := copyMap(base)
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}

	tests := []struct {
		name    string
		news    map[string]any
		want    map[string]p.DiffKind
		replace bool
	}{
		{"no change", base, map[string]p.DiffKind{}, false},
		{"explicit default mutability", with("imageTagMutability", "MUTABLE"), map[string]p.DiffKind{}, false},
		{"omitted scanning block is suppressed", with("imageScanningConfiguration", nil), map[string]p.DiffKind{}, false},
		{"explicit default encryption", with("encryptionConfigurations",
			[]any{map[string]any{"encryptionType": "AES256"}}), map[string]p.DiffKind{}, false},
		{"imageTagMutability updates in place", with("imageTagMutability", "IMMUTABLE"),
			map[string]p.DiffKind{"imageTagMutability": p.Update}, false},
		{"scanOnPush updates in place", with("imageScanningConfiguration", map[string]any{"scanOnPush": true}),
			map[string]p.DiffKind{"imageScanningConfiguration": p.Update}, false},
		{"forceDelete updates in place", with("forceDelete", true),
			map[string]p.DiffKind{"forceDelete": p.Update}, false},
		{"tags update in place", with("tags", map[string]any{"a": "2"}),
			map[string]p.DiffKind{"tags": p.Update}, false},
		{"removing tags updates in place", with("tags", nil),
			map[string]p.DiffKind{"tags": p.Delete}, false},
		{"name replaces", with("name", "renamed"),
			map[string]p.DiffKind{"name": p.UpdateReplace}, true},
		{"unknown name replaces", with("name", unknown),
			map[string]p.DiffKind{"name": p.UpdateReplace}, true},
		{"encryption type replaces", with("encryptionConfigurations",
			[]any{map[string]any{"encryptionType": "KMS"}}),
			map[string]p.DiffKind{"encryptionConfigurations": p.UpdateReplace}, true},
		{"kms key replaces", with("encryptionConfigurations",
			[]any{map[string]any{"encryptionType": "KMS", "kmsKey": "arn:aws:kms:eu-west-1:123456789012:key/k"}}),
			map[string]p.DiffKind{"encryptionConfigurations": p.UpdateReplace}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := h.diff(tokRepository, "diffs", state, oldInputs, tt.news)
			assert.Equal(t, tt.want, kinds(d))
			assert.Equal(t, len(tt.want) > 0, d.HasChanges)
			assert.False(t, d.DeleteBeforeReplace, "pulumi-aws sets no deleteBeforeReplace for Repository")
			replace := false
			for _, v := range d.DetailedDiff {
				replace = replace || strings.HasSuffix(string(v.Kind), "replace")
			}
			assert.Equal(t, tt.replace, replace)
		})
	}
}

func TestRepositoryUpdateInPlace(t *testing.T) {
	h := newHarness(t, "")
	created, oldInputs := h.mustCreate(tokRepository, "upd", map[string]any{"name": "upd"})
	news := h.check(tokRepository, "upd", mapToGo(oldInputs), map[string]any{
		"name":                       "upd",
		"imageTagMutability":         "IMMUTABLE",
		"imageScanningConfiguration": map[string]any{"scanOnPush": true},
	})
	req := p.UpdateRequest{ID: created.ID, Urn: urnOf(tokRepository, "upd"), State: created.Properties,
		OldInputs: oldInputs, Inputs: news.Inputs}

	req.DryRun = true
	_, err := h.s.Update(req)
	require.NoError(t, err)
	assert.Equal(t, "MUTABLE", h.world().Repositories["upd"].ImageTagMutability, "preview must not touch the world")

	req.DryRun = false
	resp, err := h.s.Update(req)
	require.NoError(t, err)
	out := mapToGo(resp.Properties)
	assert.Equal(t, "IMMUTABLE", out["imageTagMutability"])
	assert.Equal(t, created.Properties.Get("arn"), resp.Properties.Get("arn"))
	rec := h.world().Repositories["upd"]
	assert.Equal(t, "IMMUTABLE", rec.ImageTagMutability)
	assert.True(t, rec.ScanOnPush)

	journal := h.f.world.memJournal()
	require.Len(t, journal, 2)
	assert.Equal(t, JournalEntry{Op: "update", Type: tokRepository, ID: "upd", URN: string(urnOf(tokRepository, "upd")),
		Changed: []string{"imageScanningConfiguration", "imageTagMutability"}}, journal[1])
}

func TestDuplicateRepositoryNameFails(t *testing.T) {
	h := newHarness(t, "")
	h.mustCreate(tokRepository, "first", map[string]any{"name": "shared"})
	_, _, err := h.create(tokRepository, "second", map[string]any{"name": "shared"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "RepositoryAlreadyExistsException")
	assert.Contains(t, err.Error(), "The repository with name 'shared' already exists in the registry with id '123456789012'")
	assert.Len(t, h.f.world.memJournal(), 1, "failed calls are not journalled")
}

func TestPreviewCreateTouchesNothing(t *testing.T) {
	h := newHarness(t, "")
	checked := h.check(tokRepository, "pv", nil, map[string]any{"name": "pv"})
	resp, err := h.s.Create(p.CreateRequest{Urn: urnOf(tokRepository, "pv"), Properties: checked.Inputs, DryRun: true})
	require.NoError(t, err)
	assert.True(t, resp.Properties.Get("repositoryUrl").IsComputed())
	assert.True(t, resp.Properties.Get("arn").IsComputed())

	pol := h.check(tokRepositoryPolicy, "pv", nil, map[string]any{"repository": "nope", "policy": repoPolicy})
	_, err = h.s.Create(p.CreateRequest{Urn: urnOf(tokRepositoryPolicy, "pv"), Properties: pol.Inputs, DryRun: true})
	require.NoError(t, err, "like a Terraform plan, preview does not look the repository up")

	assert.Empty(t, h.world().Repositories)
	assert.Empty(t, h.f.world.memJournal())
}

func TestRepositoryPolicy(t *testing.T) {
	h := newHarness(t, "")

	t.Run("missing repository fails like ECR", func(t *testing.T) {
		_, _, err := h.create(tokRepositoryPolicy, "p0", map[string]any{"repository": "ghost", "policy": repoPolicy})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "RepositoryNotFoundException: The repository with name 'ghost' "+
			"does not exist in the registry with id '123456789012'")
	})

	t.Run("invalid JSON is a check failure and a create error", func(t *testing.T) {
		resp := h.check(tokRepositoryPolicy, "p1", nil, map[string]any{"repository": "x", "policy": "{not json"})
		require.Len(t, resp.Failures, 1)
		assert.Equal(t, "policy", resp.Failures[0].Property)
		_, err := h.s.Create(p.CreateRequest{Urn: urnOf(tokRepositoryPolicy, "p1"),
			Properties: mapFromGo(map[string]any{"repository": "x", "policy": "{not json"})})
		require.Error(t, err)
	})

	h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})

	t.Run("too long fails", func(t *testing.T) {
		long := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":%q}]}`, strings.Repeat("x", 10240))
		_, _, err := h.create(tokRepositoryPolicy, "p2", map[string]any{"repository": "repo", "policy": long})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "10240")
	})

	created, oldInputs := h.mustCreate(tokRepositoryPolicy, "p3", map[string]any{"repository": "repo", "policy": repoPolicy})
	assert.Equal(t, "repo", created.ID)
	normalized, err := normalizeJSON(repoPolicy)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"repository": "repo", "policy": normalized, "registryId": accountID},
		mapToGo(created.Properties))
	assert.Equal(t, normalized, *h.world().Repositories["repo"].RepositoryPolicy)

	t.Run("object policy is serialised", func(t *testing.T) {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(repoPolicy), &doc))
		resp := h.check(tokRepositoryPolicy, "p3", nil, map[string]any{"repository": "repo", "policy": doc})
		require.Empty(t, resp.Failures)
		assert.JSONEq(t, repoPolicy, resp.Inputs.Get("policy").AsString())
	})

	t.Run("diff", func(t *testing.T) {
		same := h.diff(tokRepositoryPolicy, "p3", created.Properties, oldInputs,
			map[string]any{"repository": "repo", "policy": normalized})
		assert.False(t, same.HasChanges, "reformatted JSON is equivalent")

		changed := strings.Replace(repoPolicy, `"pull"`, `"pull2"`, 1)
		upd := h.diff(tokRepositoryPolicy, "p3", created.Properties, oldInputs,
			map[string]any{"repository": "repo", "policy": changed})
		assert.Equal(t, map[string]p.DiffKind{"policy": p.Update}, kinds(upd))
		assert.False(t, upd.DeleteBeforeReplace)

		repl := h.diff(tokRepositoryPolicy, "p3", created.Properties, oldInputs,
			map[string]any{"repository": "other", "policy": repoPolicy})
		assert.Equal(t, map[string]p.DiffKind{"repository": p.UpdateReplace}, kinds(repl))
		assert.False(t, repl.DeleteBeforeReplace)
	})

	t.Run("update in place", func(t *testing.T) {
		changed := strings.Replace(repoPolicy, `"pull"`, `"pull2"`, 1)
		news := h.check(tokRepositoryPolicy, "p3", mapToGo(oldInputs), map[string]any{"repository": "repo", "policy": changed})
		_, err := h.s.Update(p.UpdateRequest{ID: "repo", Urn: urnOf(tokRepositoryPolicy, "p3"),
			State: created.Properties, OldInputs: oldInputs, Inputs: news.Inputs})
		require.NoError(t, err)
		assert.Contains(t, *h.world().Repositories["repo"].RepositoryPolicy, "pull2")
	})
}

func TestLifecyclePolicy(t *testing.T) {
	h := newHarness(t, "")

	_, _, err := h.create(tokLifecyclePolicy, "lp0", map[string]any{"repository": "ghost", "policy": lifecyclePolicy})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "RepositoryNotFoundException")

	h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})

	_, _, err = h.create(tokLifecyclePolicy, "lp1", map[string]any{"repository": "repo", "policy": `{"rules":[]}`})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "greater than or equal to 100")

	huge := `{"rules":[{"rulePriority":1,"description":"` + strings.Repeat("d", 30720) +
		`","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`
	_, _, err = h.create(tokLifecyclePolicy, "lp2", map[string]any{"repository": "repo", "policy": huge})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "less than or equal to 30720")

	bad := h.check(tokLifecyclePolicy, "lp3", nil, map[string]any{"repository": "repo", "policy": "rules: []"})
	require.Len(t, bad.Failures, 1)

	created, oldInputs := h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": lifecyclePolicy})
	assert.Equal(t, "repo", created.ID)
	assert.Equal(t, accountID, created.Properties.Get("registryId").AsString())
	require.NotNil(t, h.world().Repositories["repo"].LifecyclePolicy)

	// pulumi-aws v6: policy is ForceNew and the resource is deleteBeforeReplace.
	changed := strings.Replace(lifecyclePolicy, `"countNumber":10`, `"countNumber":5`, 1)
	d := h.diff(tokLifecyclePolicy, "lp", created.Properties, oldInputs, map[string]any{"repository": "repo", "policy": changed})
	assert.Equal(t, map[string]p.DiffKind{"policy": p.UpdateReplace}, kinds(d))
	assert.True(t, d.DeleteBeforeReplace)

	d = h.diff(tokLifecyclePolicy, "lp", created.Properties, oldInputs, map[string]any{"repository": "repo2", "policy": lifecyclePolicy})
	assert.Equal(t, map[string]p.DiffKind{"repository": p.UpdateReplace}, kinds(d))
	assert.True(t, d.DeleteBeforeReplace)

	twoRules := func(first, second int) string {
		rule := func(prio int) string {
			return fmt.Sprintf(`{"rulePriority":%d,"selection":{"tagStatus":"tagged","tagPrefixList":["b","a"],`+
				`"countType":"imageCountMoreThan","countNumber":%d},"action":{"type":"expire"}}`, prio, prio)
		}
		return `{"rules":[` + rule(first) + `,` + rule(second) + `]}`
	}
	c2, in2 := h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": twoRules(1, 2)})
	d = h.diff(tokLifecyclePolicy, "lp", c2.Properties, in2, map[string]any{"repository": "repo", "policy": twoRules(2, 1)})
	assert.False(t, d.HasChanges, "rule order is not significant (equivalentLifecyclePolicyJSON)")
}

func TestDeletes(t *testing.T) {
	h := newHarness(t, "")
	repo, _ := h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	h.mustCreate(tokRepositoryPolicy, "rp", map[string]any{"repository": "repo", "policy": repoPolicy})
	h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": lifecyclePolicy})

	require.NoError(t, h.s.Delete(p.DeleteRequest{ID: "repo", Urn: urnOf(tokRepository, "repo"), Properties: repo.Properties}))
	assert.Empty(t, h.world().Repositories, "deleting the repository removes its policies")

	// Deleting policies of a repository that no longer exists succeeds.
	require.NoError(t, h.s.Delete(p.DeleteRequest{ID: "repo", Urn: urnOf(tokRepositoryPolicy, "rp")}))
	require.NoError(t, h.s.Delete(p.DeleteRequest{ID: "repo", Urn: urnOf(tokLifecyclePolicy, "lp")}))

	read, err := h.s.Read(p.ReadRequest{ID: "repo", Urn: urnOf(tokRepository, "repo"), Properties: repo.Properties})
	require.NoError(t, err)
	assert.Empty(t, read.ID, "refresh sees the repository is gone")
}

func TestInvokes(t *testing.T) {
	h := newHarness(t, "")
	call := func(tok string, args map[string]any) map[string]any {
		resp, err := h.s.Invoke(p.InvokeRequest{Token: tokens.Type(tok), Args: mapFromGo(args)})
		require.NoError(t, err)
		return mapToGo(resp.Return)
	}
	assert.Equal(t, map[string]any{
		"accountId": "123456789012",
		"arn":       "arn:aws:iam::123456789012:user/fake",
		"id":        "123456789012",
		"userId":    "AIDAFAKEFAKEFAKEFAKE",
	}, call(tokGetCallerIdentity, map[string]any{}))
	assert.Equal(t, map[string]any{
		"name":        testRegion,
		"id":          testRegion,
		"description": "fake region",
		"endpoint":    "ec2.eu-west-1.amazonaws.com",
	}, call(tokGetRegion, map[string]any{}))
	assert.Equal(t, map[string]any{
		"partition":        "aws",
		"dnsSuffix":        "amazonaws.com",
		"id":               "aws",
		"reverseDnsPrefix": "com.amazonaws",
	}, call(tokGetPartition, map[string]any{}))

	_, err := h.s.Invoke(p.InvokeRequest{Token: "aws:index/getArn:getArn", Args: property.Map{}})
	assert.ErrorContains(t, err, "not emulated")
	_, err = h.s.Check(p.CheckRequest{Urn: urnOf("aws:s3/bucket:Bucket", "b")})
	assert.ErrorContains(t, err, "not emulated")
}

func readJournal(t *testing.T, dir string) []JournalEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, journalFile))
	require.NoError(t, err)
	defer f.Close()
	var out []JournalEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e JournalEntry
		require.NoError(t, json.Unmarshal(sc.Bytes(), &e), sc.Text())
		out = append(out, e)
	}
	require.NoError(t, sc.Err())
	return out
}

func TestStateDirWorldAndJournal(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, dir)
	repo, repoIn := h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": lifecyclePolicy})
	news := h.check(tokRepository, "repo", mapToGo(repoIn), map[string]any{"name": "repo", "tags": map[string]any{"k": "v"}})
	_, err := h.s.Update(p.UpdateRequest{ID: "repo", Urn: urnOf(tokRepository, "repo"), State: repo.Properties,
		OldInputs: repoIn, Inputs: news.Inputs})
	require.NoError(t, err)

	// A second plugin process sharing the directory sees the same world.
	other := newHarness(t, dir)
	_, _, err = other.create(tokRepository, "dup", map[string]any{"name": "repo"})
	assert.ErrorContains(t, err, "RepositoryAlreadyExistsException")
	require.NoError(t, other.s.Delete(p.DeleteRequest{ID: "repo", Urn: urnOf(tokRepository, "repo")}))

	urn := func(tok, name string) string { return string(urnOf(tok, name)) }
	assert.Equal(t, []JournalEntry{
		{Op: "create", Type: tokRepository, ID: "repo", URN: urn(tokRepository, "repo")},
		{Op: "create", Type: tokLifecyclePolicy, ID: "repo", URN: urn(tokLifecyclePolicy, "lp")},
		{Op: "update", Type: tokRepository, ID: "repo", URN: urn(tokRepository, "repo"), Changed: []string{"tags"}},
		{Op: "delete", Type: tokRepository, ID: "repo", URN: urn(tokRepository, "repo")},
	}, readJournal(t, dir))

	raw, err := os.ReadFile(filepath.Join(dir, worldFile))
	require.NoError(t, err)
	var w World
	require.NoError(t, json.Unmarshal(raw, &w))
	assert.Empty(t, w.Repositories)
	assert.Empty(t, h.world().Repositories)
}

func TestStateDirConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	const writers, perWriter = 4, 10
	var wg sync.WaitGroup
	for i := 0; i < writers; i++ {
		// Separate stores stand in for separate plugin processes: they share
		// nothing but the directory and its flock.
		store := newWorldStore(dir)
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < perWriter; j++ {
				name := fmt.Sprintf("repo-%d-%d", i, j)
				assert.NoError(t, store.mutate(func(w *World) (*JournalEntry, error) {
					w.Repositories[name] = &RepositoryRecord{Name: name}
					return &JournalEntry{Op: "create", Type: tokRepository, ID: name}, nil
				}))
			}
		}(i)
	}
	wg.Wait()

	var w *World
	require.NoError(t, newWorldStore(dir).view(func(x *World) { w = x }))
	assert.Len(t, w.Repositories, writers*perWriter)
	assert.Len(t, readJournal(t, dir), writers*perWriter)
}

const trustPolicy = `{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}`

// policyWith is a repository policy granting pulls to Principal principal.
func policyWith(principal any) string {
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid": "pull", "Effect": "Allow", "Principal": principal, "Action": []any{"ecr:BatchGetImage"},
		}},
	})
	if err != nil {
		panic(err)
	}
	return string(b)
}

// policyFor is a repository policy granting pulls to {"AWS": aws}.
func policyFor(aws any) string { return policyWith(map[string]any{"AWS": aws}) }

func TestRoleCreateComputesARNAndUniqueID(t *testing.T) {
	h := newHarness(t, "")
	resp, checked := h.mustCreate(tokRole, "ci-role", map[string]any{
		"name":             "ci-role",
		"assumeRolePolicy": trustPolicy,
		"tags":             map[string]any{"team": "ci"},
	})

	assert.Equal(t, "ci-role", resp.ID)
	out := mapToGo(resp.Properties)
	assert.Equal(t, "arn:aws:iam::123456789012:role/ci-role", out["arn"])
	assert.Regexp(t, regexp.MustCompile(`^AROA[A-Z0-9]{17}$`), out["uniqueId"])
	assert.Equal(t, "2024-01-01T00:00:00Z", out["createDate"])
	assert.Equal(t, "/", out["path"])
	assert.Equal(t, float64(3600), out["maxSessionDuration"])
	assert.Equal(t, false, out["forceDetachPolicies"])
	assert.Equal(t, map[string]any{"team": "ci"}, out["tags"])
	assert.Equal(t, map[string]any{"team": "ci"}, out["tagsAll"])
	normalized, err := normalizeJSON(trustPolicy)
	require.NoError(t, err)
	assert.Equal(t, normalized, out["assumeRolePolicy"])
	assert.Equal(t, "/", checked.Get("path").AsString(), "Check applies the TF default")

	rec := h.world().Roles["ci-role"]
	require.NotNil(t, rec)
	assert.Equal(t, out["arn"], rec.Arn)
	assert.Equal(t, out["uniqueId"], rec.UniqueID)
	assert.Equal(t, normalized, rec.AssumeRolePolicy)
	assert.Equal(t, map[string]string{"team": "ci"}, rec.Tags)
	assert.Equal(t, []JournalEntry{{Op: "create", Type: tokRole, ID: "ci-role",
		URN: string(urnOf(tokRole, "ci-role"))}}, h.f.world.memJournal())

	// Deterministic: another world gives the same role the same unique ID.
	again, _ := newHarness(t, "").mustCreate(tokRole, "other", map[string]any{
		"name": "ci-role", "assumeRolePolicy": trustPolicy,
	})
	assert.Equal(t, out["uniqueId"], mapToGo(again.Properties)["uniqueId"])
	assert.NotEqual(t, out["uniqueId"], roleUniqueID("ci-role2"))

	// The path is part of the ARN.
	pathed, _ := h.mustCreate(tokRole, "pathed", map[string]any{
		"name": "deployer", "path": "/ci/", "assumeRolePolicy": trustPolicy,
	})
	assert.Equal(t, "arn:aws:iam::123456789012:role/ci/deployer", mapToGo(pathed.Properties)["arn"])
}

func TestRoleRawCustomResourceInputs(t *testing.T) {
	// new pulumi.CustomResource("aws:iam/role:Role", "ci-role", {assumeRolePolicy, arn: undefined, ...}),
	// with an object policy (tfbridge.TransformJSONDocument).
	h := newHarness(t, "")
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(trustPolicy), &doc))
	resp := h.check(tokRole, "ci-role", nil, map[string]any{
		"assumeRolePolicy": doc, "arn": nil, "uniqueId": nil, "name": nil,
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

func TestRoleAutoname(t *testing.T) {
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
	long := h.check(tokRole, strings.Repeat("r", 60), nil, map[string]any{"assumeRolePolicy": trustPolicy})
	require.Len(t, long.Failures, 1)
	assert.Equal(t, "name", long.Failures[0].Property)
}

func TestRoleCheckFailures(t *testing.T) {
	h := newHarness(t, "")
	resp := h.check(tokRole, "bad", nil, map[string]any{
		"name":               "has space",
		"namePrefix":         "ci-",
		"maxSessionDuration": float64(60),
		"inlinePolicies":     []any{}, // a pulumi-aws input that is not emulated
	})
	props := map[string]bool{}
	for _, f := range resp.Failures {
		props[f.Property] = true
	}
	assert.Equal(t, map[string]bool{
		"name":               true,
		"namePrefix":         true,
		"maxSessionDuration": true,
		"inlinePolicies":     true,
		"assumeRolePolicy":   true, // required
	}, props)

	invalid := h.check(tokRole, "bad", nil, map[string]any{"name": "ok", "assumeRolePolicy": "{not json"})
	require.Len(t, invalid.Failures, 1)
	assert.Equal(t, "assumeRolePolicy", invalid.Failures[0].Property)
}

func TestRoleDiff(t *testing.T) {
	h := newHarness(t, "")
	base := map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy, "tags": map[string]any{"a": "1"}}
	created, oldInputs := h.mustCreate(tokRole, "ci-role", base)
	state := created.Properties

	with := func(k string, v any) map[string]any {
		m := copyMap(base)
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	var trustDoc map[string]any
	require.NoError(t, json.Unmarshal([]byte(trustPolicy), &trustDoc))
	otherTrust := strings.Replace(trustPolicy, "codebuild", "codepipeline", 1)

	tests := []struct {
		name string
		news map[string]any
		want map[string]p.DiffKind
	}{
		{"no change", base, map[string]p.DiffKind{}},
		{"equivalent JSON is no diff", with("assumeRolePolicy", strings.Join(strings.Fields(trustPolicy), "")),
			map[string]p.DiffKind{}},
		{"equivalent object is no diff", with("assumeRolePolicy", trustDoc), map[string]p.DiffKind{}},
		{"explicit defaults", with("path", "/"), map[string]p.DiffKind{}},
		{"explicit default session", with("maxSessionDuration", float64(3600)), map[string]p.DiffKind{}},
		{"assumeRolePolicy updates in place", with("assumeRolePolicy", otherTrust),
			map[string]p.DiffKind{"assumeRolePolicy": p.Update}},
		{"unknown assumeRolePolicy updates in place", with("assumeRolePolicy", unknown),
			map[string]p.DiffKind{"assumeRolePolicy": p.Update}},
		{"description updates in place", with("description", "CI"),
			map[string]p.DiffKind{"description": p.Add}},
		{"maxSessionDuration updates in place", with("maxSessionDuration", float64(7200)),
			map[string]p.DiffKind{"maxSessionDuration": p.Update}},
		{"forceDetachPolicies updates in place", with("forceDetachPolicies", true),
			map[string]p.DiffKind{"forceDetachPolicies": p.Update}},
		{"permissionsBoundary updates in place",
			with("permissionsBoundary", "arn:aws:iam::123456789012:policy/boundary"),
			map[string]p.DiffKind{"permissionsBoundary": p.Add}},
		{"tags update in place", with("tags", map[string]any{"a": "2"}),
			map[string]p.DiffKind{"tags": p.Update}},
		{"name replaces", with("name", "renamed"), map[string]p.DiffKind{"name": p.UpdateReplace}},
		{"unknown name replaces", with("name", unknown), map[string]p.DiffKind{"name": p.UpdateReplace}},
		{"path replaces", with("path", "/ci/"), map[string]p.DiffKind{"path": p.UpdateReplace}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := h.diff(tokRole, "ci-role", state, oldInputs, tt.news)
			assert.Equal(t, tt.want, kinds(d))
			assert.Equal(t, len(tt.want) > 0, d.HasChanges)
			assert.False(t, d.DeleteBeforeReplace, "pulumi-aws sets no deleteBeforeReplace for Role")
		})
	}
}

func TestRoleUpdateInPlace(t *testing.T) {
	h := newHarness(t, "")
	created, oldInputs := h.mustCreate(tokRole, "ci-role", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})
	otherTrust := strings.Replace(trustPolicy, "codebuild", "codepipeline", 1)
	news := h.check(tokRole, "ci-role", mapToGo(oldInputs), map[string]any{
		"name": "ci-role", "assumeRolePolicy": otherTrust, "description": "CI role",
	})
	require.Empty(t, news.Failures)
	req := p.UpdateRequest{ID: created.ID, Urn: urnOf(tokRole, "ci-role"), State: created.Properties,
		OldInputs: oldInputs, Inputs: news.Inputs}

	req.DryRun = true
	_, err := h.s.Update(req)
	require.NoError(t, err)
	assert.Contains(t, h.world().Roles["ci-role"].AssumeRolePolicy, "codebuild", "preview must not touch the world")

	req.DryRun = false
	resp, err := h.s.Update(req)
	require.NoError(t, err)
	out := mapToGo(resp.Properties)
	assert.Contains(t, out["assumeRolePolicy"], "codepipeline")
	assert.Equal(t, "CI role", out["description"])
	assert.Equal(t, created.Properties.Get("arn"), resp.Properties.Get("arn"))
	assert.Equal(t, created.Properties.Get("uniqueId"), resp.Properties.Get("uniqueId"))
	rec := h.world().Roles["ci-role"]
	assert.Contains(t, rec.AssumeRolePolicy, "codepipeline")
	assert.Equal(t, "CI role", rec.Description)

	journal := h.f.world.memJournal()
	require.Len(t, journal, 2)
	assert.Equal(t, JournalEntry{Op: "update", Type: tokRole, ID: "ci-role", URN: string(urnOf(tokRole, "ci-role")),
		Changed: []string{"assumeRolePolicy", "description"}}, journal[1])

	// Refresh reads the role back without a diff.
	read, err := h.s.Read(p.ReadRequest{ID: "ci-role", Urn: urnOf(tokRole, "ci-role"), Properties: resp.Properties,
		Inputs: news.Inputs})
	require.NoError(t, err)
	assert.Equal(t, mapToGo(resp.Properties), mapToGo(read.Properties))

	require.NoError(t, h.s.Delete(p.DeleteRequest{ID: "ci-role", Urn: urnOf(tokRole, "ci-role")}))
	assert.Empty(t, h.world().Roles)
	require.NoError(t, h.s.Delete(p.DeleteRequest{ID: "ci-role", Urn: urnOf(tokRole, "ci-role")}),
		"deleting a role that is gone succeeds")
	read, err = h.s.Read(p.ReadRequest{ID: "ci-role", Urn: urnOf(tokRole, "ci-role"), Properties: resp.Properties})
	require.NoError(t, err)
	assert.Empty(t, read.ID, "refresh sees the role is gone")
}

func TestDuplicateRoleNameFails(t *testing.T) {
	h := newHarness(t, "")
	h.mustCreate(tokRole, "first", map[string]any{"name": "shared", "assumeRolePolicy": trustPolicy})
	_, _, err := h.create(tokRole, "second", map[string]any{"name": "shared", "path": "/other/", "assumeRolePolicy": trustPolicy})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "creating IAM Role (shared): operation error IAM: CreateRole")
	assert.Contains(t, err.Error(), "EntityAlreadyExists: Role with name shared already exists.")
	_, _, err = h.create(tokRole, "third", map[string]any{"name": "SHARED", "assumeRolePolicy": trustPolicy})
	assert.ErrorContains(t, err, "EntityAlreadyExists", "role names are case-insensitive")
	assert.Len(t, h.f.world.memJournal(), 1, "failed calls are not journalled")
	assert.Len(t, h.world().Roles, 1)
}

func TestPreviewRoleTouchesNothing(t *testing.T) {
	h := newHarness(t, "")
	checked := h.check(tokRole, "ci-role", nil, map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})
	resp, err := h.s.Create(p.CreateRequest{Urn: urnOf(tokRole, "ci-role"), Properties: checked.Inputs, DryRun: true})
	require.NoError(t, err)
	assert.True(t, resp.Properties.Get("arn").IsComputed())
	assert.True(t, resp.Properties.Get("uniqueId").IsComputed())
	assert.Equal(t, "ci-role", resp.Properties.Get("name").AsString())

	// The policy's principal is unknown in a real preview; even a known one
	// naming a role that does not exist yet is not looked up.
	pol := h.check(tokRepositoryPolicy, "pv", nil, map[string]any{
		"repository": "nope", "policy": policyFor("arn:aws:iam::123456789012:role/ci-role"),
	})
	_, err = h.s.Create(p.CreateRequest{Urn: urnOf(tokRepositoryPolicy, "pv"), Properties: pol.Inputs, DryRun: true})
	require.NoError(t, err)

	assert.Empty(t, h.world().Roles)
	assert.Empty(t, h.world().Repositories)
	assert.Empty(t, h.f.world.memJournal())
}

func TestRepositoryPolicyPrincipalsMustExist(t *testing.T) {
	h := newHarness(t, "")
	h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	h.mustCreate(tokRole, "ci-role", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})
	h.mustCreate(tokRole, "pathed", map[string]any{"name": "deployer", "path": "/ci/", "assumeRolePolicy": trustPolicy})

	const invalid = "putting ECR Repository Policy (repo): operation error ECR: SetRepositoryPolicy, " +
		"https response error StatusCode: 400, RequestID: 00000000-0000-0000-0000-fakeaws00000, " +
		"InvalidParameterException: Invalid parameter at 'PolicyText' failed to satisfy constraint: " +
		"'Invalid repository policy provided'"

	aws := func(v any) map[string]any { return map[string]any{"AWS": v} }
	tests := []struct {
		name      string
		principal any // the statement's Principal
		ok        bool
	}{
		{"existing role", aws("arn:aws:iam::123456789012:role/ci-role"), true},
		{"existing role in a list", aws([]any{"arn:aws:iam::123456789012:role/ci-role", "arn:aws:iam::123456789012:root"}), true},
		{"existing role with path", aws("arn:aws:iam::123456789012:role/ci/deployer"), true},
		{"caller user", aws("arn:aws:iam::123456789012:user/fake"), true},
		{"account root", aws("arn:aws:iam::123456789012:root"), true},
		{"bare account ID", aws("123456789012"), true},
		{"other account root", aws("arn:aws:iam::210987654321:root"), true},
		{"other account role", aws("arn:aws:iam::210987654321:role/whatever"), true},
		{"everyone", "*", true},
		{"AWS everyone", aws("*"), true},
		{"service principal", map[string]any{"Service": "codebuild.amazonaws.com"}, true},
		{"missing role", aws("arn:aws:iam::123456789012:role/ghost"), false},
		{"role without its path", aws("arn:aws:iam::123456789012:role/deployer"), false},
		{"missing role in a list", aws([]any{"arn:aws:iam::123456789012:role/ci-role", "arn:aws:iam::123456789012:role/ghost"}), false},
		{"missing role next to a service", map[string]any{"Service": "codebuild.amazonaws.com",
			"AWS": "arn:aws:iam::123456789012:role/ghost"}, false},
		{"missing user", aws("arn:aws:iam::123456789012:user/someone"), false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(h.f.world.memJournal())
			policy := policyWith(tt.principal)
			_, _, err := h.create(tokRepositoryPolicy, fmt.Sprintf("p%d", i), map[string]any{"repository": "repo", "policy": policy})
			if tt.ok {
				require.NoError(t, err)
				assert.JSONEq(t, policy, *h.world().Repositories["repo"].RepositoryPolicy)
				return
			}
			require.Error(t, err)
			assert.Equal(t, invalid, err.Error())
			assert.Len(t, h.f.world.memJournal(), before, "failed calls are not journalled")
		})
	}

	t.Run("update to a missing role fails and keeps the old policy", func(t *testing.T) {
		created, oldInputs := h.mustCreate(tokRepositoryPolicy, "upd",
			map[string]any{"repository": "repo", "policy": policyFor("arn:aws:iam::123456789012:role/ci-role")})
		news := h.check(tokRepositoryPolicy, "upd", mapToGo(oldInputs),
			map[string]any{"repository": "repo", "policy": policyFor("arn:aws:iam::123456789012:role/ghost")})
		_, err := h.s.Update(p.UpdateRequest{ID: "repo", Urn: urnOf(tokRepositoryPolicy, "upd"),
			State: created.Properties, OldInputs: oldInputs, Inputs: news.Inputs})
		assert.EqualError(t, err, invalid)
		assert.Contains(t, *h.world().Repositories["repo"].RepositoryPolicy, "role/ci-role")
	})

	t.Run("a deleted role is missing", func(t *testing.T) {
		require.NoError(t, h.s.Delete(p.DeleteRequest{ID: "ci-role", Urn: urnOf(tokRole, "ci-role")}))
		_, _, err := h.create(tokRepositoryPolicy, "gone", map[string]any{"repository": "repo",
			"policy": policyFor("arn:aws:iam::123456789012:role/ci-role")})
		assert.EqualError(t, err, invalid)
	})

	t.Run("lifecycle policies have no principals", func(t *testing.T) {
		h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": lifecyclePolicy})
	})
}

func TestStateDirRoles(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, dir)
	h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	h.mustCreate(tokRole, "ci-role", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})

	// A second plugin process sharing the directory sees the role.
	other := newHarness(t, dir)
	other.mustCreate(tokRepositoryPolicy, "rp", map[string]any{"repository": "repo",
		"policy": policyFor("arn:aws:iam::123456789012:role/ci-role")})
	_, _, err := other.create(tokRole, "dup", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})
	assert.ErrorContains(t, err, "EntityAlreadyExists")

	raw, err := os.ReadFile(filepath.Join(dir, worldFile))
	require.NoError(t, err)
	var w struct {
		Roles map[string]map[string]any `json:"roles"`
	}
	require.NoError(t, json.Unmarshal(raw, &w))
	require.Contains(t, w.Roles, "ci-role")
	assert.Equal(t, "arn:aws:iam::123456789012:role/ci-role", w.Roles["ci-role"]["arn"])
	assert.Equal(t, roleUniqueID("ci-role"), w.Roles["ci-role"]["uniqueId"])
	assert.Contains(t, w.Roles["ci-role"]["assumeRolePolicy"], "codebuild")

	urn := func(tok, name string) string { return string(urnOf(tok, name)) }
	assert.Equal(t, []JournalEntry{
		{Op: "create", Type: tokRepository, ID: "repo", URN: urn(tokRepository, "repo")},
		{Op: "create", Type: tokRole, ID: "ci-role", URN: urn(tokRole, "ci-role")},
		{Op: "create", Type: tokRepositoryPolicy, ID: "repo", URN: urn(tokRepositoryPolicy, "rp")},
	}, readJournal(t, dir))
}
