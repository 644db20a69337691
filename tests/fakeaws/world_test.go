package main

import (
	"fmt"
	"sync"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

func TestStateDirWorldAndJournal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h := newHarness(t, dir)
	repo, repoIn := h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": lifecyclePolicy})
	_, err := h.update(tokRepository, "repo", repo, repoIn, map[string]any{"name": "repo", "tags": map[string]any{"k": "v"}})
	require.NoError(t, err)
	h.mustCreate(tokRole, "ci-role", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})

	// A second plugin process sharing the directory sees the same world.
	other := newHarness(t, dir)
	assert.Contains(t, other.createErr(tokRepository, "dup", map[string]any{"name": "repo"}), "RepositoryAlreadyExistsException")
	assert.Contains(t, other.createErr(tokRole, "dup", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy}),
		"EntityAlreadyExists")
	other.mustCreate(tokRepositoryPolicy, "rp", map[string]any{"repository": "repo",
		"policy": policyFor("arn:aws:iam::123456789012:role/ci-role")})
	other.delete(tokRepository, "repo", "repo", property.Map{})

	entry := func(op, tok, id, name string, changed ...string) world.JournalEntry {
		return world.JournalEntry{Op: op, Type: tok, ID: id, URN: string(urnOf(tok, name)), Region: testRegion, Changed: changed}
	}
	journal, err := world.ReadJournal(dir)
	require.NoError(t, err)
	assert.Equal(t, []world.JournalEntry{
		entry("create", tokRepository, "repo", "repo"),
		entry("create", tokLifecyclePolicy, "repo", "lp"),
		entry("update", tokRepository, "repo", "repo", "tags"),
		entry("create", tokRole, "ci-role", "ci-role"),
		entry("create", tokRepositoryPolicy, "repo", "rp"),
		entry("delete", tokRepository, "repo", "repo"),
	}, journal)

	w, err := world.Load(dir)
	require.NoError(t, err)
	assert.Empty(t, w.Region(testRegion).Repositories)
	require.Contains(t, w.Roles, "ci-role")
	assert.Equal(t, "arn:aws:iam::123456789012:role/ci-role", w.Roles["ci-role"].ARN)
	assert.Equal(t, world.RoleUniqueID("ci-role"), w.Roles["ci-role"].UniqueID)
	assert.Equal(t, w, h.world())
}

func TestStateDirConcurrentWriters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const writers, perWriter = 4, 10
	var wg sync.WaitGroup
	for i := range writers {
		// Separate stores stand in for separate plugin processes: they share
		// nothing but the directory and its flock.
		store := world.Open(dir)
		wg.Go(func() {
			for j := range perWriter {
				name := fmt.Sprintf("repo-%d-%d", i, j)
				assert.NoError(t, store.Update(func(w *world.World) (*world.JournalEntry, error) {
					w.Region(testRegion).Repositories[name] = &world.Repository{}
					return &world.JournalEntry{Op: "create", Type: tokRepository, ID: name}, nil
				}))
			}
		})
	}
	wg.Wait()

	w, err := world.Load(dir)
	require.NoError(t, err)
	assert.Len(t, w.Region(testRegion).Repositories, writers*perWriter)
	journal, err := world.ReadJournal(dir)
	require.NoError(t, err)
	assert.Len(t, journal, writers*perWriter)
}

func TestResourcesLiveInTheirProvidersRegion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	west, east := newHarnessIn(t, dir, "eu-west-1"), newHarnessIn(t, dir, "us-east-2")
	w1, _ := west.mustCreate(tokRepository, "app", map[string]any{"name": "app"})
	e1, _ := east.mustCreate(tokRepository, "app", map[string]any{"name": "app"}) // same name, other region: no clash
	assert.Equal(t, "arn:aws:ecr:eu-west-1:123456789012:repository/app", w1.Properties.Get("arn").AsString())
	assert.Equal(t, "123456789012.dkr.ecr.us-east-2.amazonaws.com/app", e1.Properties.Get("repositoryUrl").AsString())

	west.mustCreate(tokRepository, "only-west", map[string]any{"name": "only-west"})
	assert.Contains(t, east.createErr(tokRepositoryPolicy, "p", map[string]any{"repository": "only-west", "policy": repoPolicy}),
		"RepositoryNotFoundException")
	assert.Empty(t, east.read(tokRepository, "only-west").ID)

	// IAM is global: a role created through one region's provider exists in
	// the other, and its name is taken there.
	west.mustCreate(tokRole, "ci", map[string]any{"name": "ci", "assumeRolePolicy": trustPolicy})
	east.mustCreate(tokRepositoryPolicy, "p", map[string]any{"repository": "app", "policy": policyFor("arn:aws:iam::123456789012:role/ci")})
	assert.Contains(t, east.createErr(tokRole, "ci", map[string]any{"name": "ci", "assumeRolePolicy": trustPolicy}), "EntityAlreadyExists")

	w, err := world.Load(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"app", "only-west"}, world.Sorted(w.Region("eu-west-1").Repositories))
	assert.Equal(t, []string{"app"}, world.Sorted(w.Region("us-east-2").Repositories))
	assert.NotNil(t, w.Region("us-east-2").Repositories["app"].RepositoryPolicy)
	journal, err := world.ReadJournal(dir)
	require.NoError(t, err)
	assert.Equal(t, "us-east-2", journal[1].Region)
}

func TestSeededRepositoryCanBeImported(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	policy := policyFor("arn:aws:iam::123456789012:role/puller")
	require.NoError(t, world.Seed(dir, func(w *world.World) {
		w.Roles["puller"] = &world.Role{AssumeRolePolicy: normalized(t, trustPolicy)}
		r := w.Region(testRegion)
		r.Repositories["legacy/app"] = &world.Repository{ImageTagMutability: "IMMUTABLE", RepositoryPolicy: &policy}
	}))
	journal, err := world.ReadJournal(dir)
	require.NoError(t, err)
	assert.Empty(t, journal, "seeding is not a call")

	h := newHarness(t, dir)
	repo := h.read(tokRepository, "legacy/app")
	require.Equal(t, "legacy/app", repo.ID)
	assert.Equal(t, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/legacy/app", repo.Properties.Get("repositoryUrl").AsString())
	assert.Equal(t, map[string]any{
		"name":                       "legacy/app",
		"imageTagMutability":         "IMMUTABLE",
		"imageScanningConfiguration": map[string]any{"scanOnPush": false},
		"encryptionConfigurations":   []any{map[string]any{"encryptionType": "AES256", "kmsKey": ""}},
		"forceDelete":                false,
		"tags":                       map[string]any{},
	}, mapToGo(repo.Inputs))

	// The `import` resource option: the program's inputs must match.
	program := map[string]any{"name": "legacy/app", "imageTagMutability": "IMMUTABLE"}
	assert.False(t, h.diff(tokRepository, "imported", repo.Properties, repo.Inputs, program).HasChanges)
	assert.Equal(t, map[string]p.DiffKind{"imageTagMutability": p.Update},
		kinds(h.diff(tokRepository, "imported", repo.Properties, repo.Inputs, with(program, "imageTagMutability", "MUTABLE"))))

	pol := h.read(tokRepositoryPolicy, "legacy/app")
	assert.Equal(t, "legacy/app", pol.ID)
	assert.JSONEq(t, policy, pol.Inputs.Get("policy").AsString())
	assert.Empty(t, h.read(tokLifecyclePolicy, "legacy/app").ID, "no lifecycle policy to import")
	assert.Equal(t, "arn:aws:iam::123456789012:role/puller", h.read(tokRole, "puller").Properties.Get("arn").AsString())

	// The seeded repository is in the way of creating one of the same name.
	assert.Contains(t, h.createErr(tokRepository, "new", map[string]any{"name": "legacy/app"}), "RepositoryAlreadyExistsException")
}
