package tests

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// e2eEnv locates what `make` built: the Pulumi CLI, the provider binary and the
// aws test double. The Makefile passes their paths; when run by hand, the
// default locations under bin/ are used.
type e2eEnv struct {
	cliRoot     string // contains bin/pulumi
	providerDir string // contains pulumi-resource-ecrrepos
	fakeAwsDir  string // contains pulumi-resource-aws (the test double)
}

func locateBuild(t *testing.T) e2eEnv {
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

// awsWorld is what the aws test double holds after an operation: the "AWS
// account" the tests inspect, and the journal of calls that changed it.
type awsWorld struct {
	dir string
}

type journalEntry struct {
	Op      string   `json:"op"`
	Type    string   `json:"type"`
	ID      string   `json:"id"`
	URN     string   `json:"urn"`
	Changed []string `json:"changed"`
}

func (w awsWorld) journal(t *testing.T) []journalEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(w.dir, "journal.jsonl"))
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	defer f.Close()
	var out []journalEntry
	scanner := bufio.NewScanner(f)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		var e journalEntry
		require.NoError(t, json.Unmarshal(scanner.Bytes(), &e))
		out = append(out, e)
	}
	require.NoError(t, scanner.Err())
	return out
}

// worldRepository is one repository as the test double stores it.
type worldRepository struct {
	Name               string            `json:"name"`
	ImageTagMutability string            `json:"imageTagMutability"`
	ScanOnPush         bool              `json:"scanOnPush"`
	EncryptionType     string            `json:"encryptionType"`
	KmsKey             string            `json:"kmsKey"`
	Tags               map[string]string `json:"tags"`
	RepositoryPolicy   *string           `json:"repositoryPolicy"`
	LifecyclePolicy    *string           `json:"lifecyclePolicy"`
}

// repositories returns the repositories that exist in the fake account.
func (w awsWorld) repositories(t *testing.T) map[string]worldRepository {
	t.Helper()
	var world struct {
		Repositories map[string]worldRepository `json:"repositories"`
	}
	raw, err := os.ReadFile(filepath.Join(w.dir, "world.json"))
	if os.IsNotExist(err) {
		return map[string]worldRepository{}
	}
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &world))
	if world.Repositories == nil {
		return map[string]worldRepository{}
	}
	return world.Repositories
}

// roles returns the names of the IAM roles that exist in the fake account.
func (w awsWorld) roles(t *testing.T) []string {
	t.Helper()
	var world struct {
		Roles map[string]any `json:"roles"`
	}
	raw, err := os.ReadFile(filepath.Join(w.dir, "world.json"))
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &world))
	var names []string
	for name := range world.Roles {
		names = append(names, name)
	}
	return names
}

// since returns the journal entries after the first n, as "op type id" lines.
func (w awsWorld) since(t *testing.T, n int) []string {
	t.Helper()
	var out []string
	for _, e := range w.journal(t)[n:] {
		out = append(out, e.Op+" "+e.Type+" "+e.ID)
	}
	return out
}
