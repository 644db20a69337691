package tests

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// e2eEnv locates what `make` built: the Pulumi CLI, the provider binary and the
// aws test double. The Makefile passes their paths; when run by hand, the
// default locations under bin/ are used.
type e2eEnv struct {
	cliRoot     string // contains bin/pulumi
	providerDir string // contains pulumi-resource-ecrrepos
	fakeAwsDir  string // contains pulumi-resource-aws (the test double)
}

func locateBuild(t testing.TB) e2eEnv {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	pick := func(env, fallback string) string {
		if v := os.Getenv(env); v != "" {
			return v
		}
		return fallback
	}
	pulumi := pick("ECRREPOS_PULUMI", filepath.Join(root, "bin", "pulumi"))
	e := e2eEnv{
		cliRoot:     filepath.Dir(filepath.Dir(pulumi)),
		providerDir: pick("ECRREPOS_PROVIDER_DIR", filepath.Join(root, "bin")),
		fakeAwsDir:  pick("ECRREPOS_FAKEAWS_DIR", filepath.Join(root, "bin", "fakeaws")),
	}
	for _, f := range []string{pulumi, filepath.Join(e.providerDir, "pulumi-resource-ecrrepos"), filepath.Join(e.fakeAwsDir, "pulumi-resource-aws")} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("%s is missing: run `make` first (make test does)", f)
		}
	}
	return e
}

// awsWorld is the fake AWS account of the test double (tests/fakeaws/world):
// what a test seeds before a run and inspects after an operation.
type awsWorld struct {
	dir string
}

// load returns the account as it is now.
func (w awsWorld) load(t *testing.T) *world.World {
	t.Helper()
	state, err := world.Load(w.dir)
	require.NoError(t, err)
	return state
}

// repositories returns the repositories that exist in region.
func (w awsWorld) repositories(t *testing.T, region string) map[string]*world.Repository {
	t.Helper()
	return w.load(t).Region(region).Repositories
}

// journal returns every call that changed the account so far.
func (w awsWorld) journal(t *testing.T) []world.JournalEntry {
	t.Helper()
	j, err := world.ReadJournal(w.dir)
	require.NoError(t, err)
	return j
}

// since returns the journal entries after the first n, as "op type id" lines.
func (w awsWorld) since(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	for _, e := range w.journal(t)[n:] {
		out = append(out, e.String())
	}
	return out
}

// lifecyclePreview is testdata/lifecycle-preview.json, shared by the Go,
// TypeScript and Python end-to-end tests.
type lifecyclePreview struct {
	Policy   json.RawMessage
	Now      string
	Images   json.RawMessage
	Expired  []string
	Retained []string
}

// testdata decodes tests/testdata/name into v.
func testdata(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, v))
}

// upWith runs up with program and returns its result and what it did in
// AWS, as "op type id" lines.
func upWith(t *testing.T, stack auto.Stack, aws awsWorld, program pulumi.RunFunc) (auto.UpResult, []string) {
	t.Helper()
	mark := len(aws.journal(t))
	stack.Workspace().SetProgram(program)
	up, err := stack.Up(context.Background())
	require.NoError(t, err)
	return up, aws.since(t, mark)
}

// movesWithoutChanges checks that program, run on a stack deployed with
// another naming or another Registry name, only moves resources: the
// preview replaces, creates and deletes nothing, and up changes nothing in
// AWS.
func movesWithoutChanges(t *testing.T, stack auto.Stack, aws awsWorld, program pulumi.RunFunc) {
	t.Helper()
	stack.Workspace().SetProgram(program)
	preview, err := stack.Preview(context.Background(), optpreview.Diff())
	require.NoError(t, err)
	for _, op := range []apitype.OpType{apitype.OpReplace, apitype.OpCreate, apitype.OpDelete} {
		assert.Zero(t, preview.ChangeSummary[op], "%s: %v", op, preview.ChangeSummary)
	}
	_, did := upWith(t, stack, aws, program)
	assert.Empty(t, did, "nothing changes in AWS")
}
