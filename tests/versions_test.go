package tests

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/provider"
)

// Each version has one source; everything that repeats it must agree.
func TestVersionsHaveOneSource(t *testing.T) {
	t.Parallel()
	read := func(path string) string {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		return string(raw)
	}
	requirement := func(gomod, module string) string {
		m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?` + regexp.QuoteMeta(module) + `\s+(\S+)`).FindStringSubmatch(gomod)
		require.NotNil(t, m, "%s is not required", module)
		return m[1]
	}
	goLine := func(gomod string) string {
		m := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(gomod)
		require.NotNil(t, m)
		return m[1]
	}
	root, cli, sdk := read("../go.mod"), read("cli/go.mod"), read("../sdk/go.mod")

	pulumi := requirement(root, "github.com/pulumi/pulumi/sdk/v3")
	assert.Equal(t, pulumi, requirement(root, "github.com/pulumi/pulumi/pkg/v3"), "pkg and sdk move together")
	assert.Equal(t, pulumi, requirement(cli, "github.com/pulumi/pulumi/pkg/v3"), "the CLI the tests use is the Pulumi the provider builds against")
	assert.Equal(t, pulumi, requirement(sdk, "github.com/pulumi/pulumi/sdk/v3"), "the Go SDK asks for the same Pulumi SDK")
	assert.Equal(t, goLine(root), goLine(sdk), "the Go SDK targets the provider's Go version")
	assert.Equal(t, goLine(root), goLine(cli))

	assert.Equal(t, strings.TrimSpace(read("../provider/VERSION")), provider.Version)
	var schema struct{ Version string }
	require.NoError(t, json.Unmarshal([]byte(read("../schema.json")), &schema))
	assert.Equal(t, provider.Version, schema.Version)
	var pkg struct{ Version string }
	require.NoError(t, json.Unmarshal([]byte(read("../sdk/nodejs/package.json")), &pkg))
	assert.Equal(t, provider.Version, pkg.Version)
	assert.Contains(t, read("../sdk/python/pyproject.toml"), `version = "`+provider.Version+`"`)
}
