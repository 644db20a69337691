package main

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testSpec(t *testing.T) schema.PackageSpec {
	t.Helper()
	var spec schema.PackageSpec
	require.NoError(t, json.Unmarshal([]byte(`{
		"resources": {"ecrrepos:index:Registry": {
			"inputProperties": {
				"tags": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Tags."},
				"repositories": {"type": "object", "additionalProperties": {"$ref": "#/types/ecrrepos:index:Repository"}, "description": "The repositories,\nkeyed | by name."}
			},
			"properties": {"urls": {"type": "array", "items": {"type": "string"}, "description": "URLs."}}
		}},
		"types": {
			"ecrrepos:index:Repository": {"type": "object", "properties": {
				"mutability": {"$ref": "#/types/ecrrepos:index:Mutability", "description": "Tags move or not."},
				"scanOnPush": {"type": "boolean", "description": "Scan."}
			}},
			"ecrrepos:index:Mutability": {"type": "string", "enum": [{"value": "MUTABLE"}, {"value": "IMMUTABLE"}]}
		},
		"functions": {"ecrrepos:index:imageUri": {
			"inputs": {"properties": {"tag": {"type": "string", "description": "A tag."}, "repositoryUrl": {"type": "string", "description": "The URL."}}},
			"outputs": {"properties": {"uri": {"type": "string", "description": "The image."}}}
		}}
	}`), &spec))
	return spec
}

func TestSchemaTablesAreWrittenBetweenTheirMarkers(t *testing.T) {
	t.Parallel()
	md := "# Title\n\nProse stays.\n\n<!-- schema table: Registry inputs -->\n| stale |\n<!-- end of schema table -->\n\nMore prose.\n\n" +
		"<!-- schema table: Repository -->\n<!-- end of schema table -->\n"
	out, err := renderSchemaTables(md, testSpec(t))
	require.NoError(t, err)
	assert.Equal(t, "# Title\n\nProse stays.\n\n<!-- schema table: Registry inputs -->\n"+
		"| Input | Type | Description |\n|---|---|---|\n"+
		"| `repositories` | map of `Repository` | The repositories, keyed \\| by name. |\n"+
		"| `tags` | map of string | Tags. |\n"+
		"<!-- end of schema table -->\n\nMore prose.\n\n"+
		"<!-- schema table: Repository -->\n"+
		"| Field | Type | Description |\n|---|---|---|\n"+
		"| `mutability` | `MUTABLE` \\| `IMMUTABLE` | Tags move or not. |\n"+
		"| `scanOnPush` | boolean | Scan. |\n"+
		"<!-- end of schema table -->\n", out)

	again, err := renderSchemaTables(out, testSpec(t))
	require.NoError(t, err)
	assert.Equal(t, out, again, "writing twice changes nothing")
}

func TestFunctionTablesListArgumentsThenResults(t *testing.T) {
	t.Parallel()
	out, err := renderSchemaTables("<!-- schema table: function imageUri -->\n<!-- end of schema table -->", testSpec(t))
	require.NoError(t, err)
	assert.Equal(t, "<!-- schema table: function imageUri -->\n"+
		"| Argument or result | Type | Description |\n|---|---|---|\n"+
		"| `repositoryUrl` | string | The URL. |\n"+
		"| `tag` | string | A tag. |\n"+
		"| → `uri` | string | The image. |\n"+
		"<!-- end of schema table -->", out)
	_, err = renderSchemaTables("<!-- schema table: function nothing -->\n<!-- end of schema table -->", testSpec(t))
	require.ErrorContains(t, err, `the schema has no function "nothing"`)
}

func TestSchemaTableMistakesAreReported(t *testing.T) {
	t.Parallel()
	for md, want := range map[string]string{
		"<!-- schema table: Nothing -->\n<!-- end of schema table -->": `the schema has no object type "Nothing"`,
		"<!-- schema table: Repository -->\n| a |\n":                   `has no "<!-- end of schema table -->" after it`,
		"<!-- schema table: Repository":                                "is not closed",
	} {
		_, err := renderSchemaTables(md, testSpec(t))
		require.Error(t, err, md)
		assert.Contains(t, err.Error(), want)
	}
	spec := testSpec(t)
	p := spec.Types["ecrrepos:index:Repository"].Properties["scanOnPush"]
	p.Description = ""
	spec.Types["ecrrepos:index:Repository"].Properties["scanOnPush"] = p
	_, err := renderSchemaTables("<!-- schema table: Repository -->\n<!-- end of schema table -->", spec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scanOnPush has no description")
}

// The README in the repository is what the generator writes from schema.json.
func TestReadmeTablesAreCurrent(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../../schema.json")
	require.NoError(t, err)
	var spec schema.PackageSpec
	require.NoError(t, json.Unmarshal(raw, &spec))
	md, err := os.ReadFile("../../../README.md")
	require.NoError(t, err)
	out, err := renderSchemaTables(string(md), spec)
	require.NoError(t, err)
	assert.Equal(t, string(md), out, "README.md's schema tables differ from schema.json: run make codegen")
	assert.Contains(t, string(md), tableStart+"Registry inputs"+markerEnd)
}
