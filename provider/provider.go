// Package provider implements the ecrrepos component provider: one
// ecrrepos:index:Registry resource that declares many Amazon ECR repositories
// and composes pulumi-aws resources for them.
package provider

import (
	_ "embed"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

const (
	// Name is the package name: the plugin binary is pulumi-resource-ecrrepos.
	Name = "ecrrepos"
	// GoImportPath is where the generated Go SDK lives (its own module, see sdk/go.mod).
	GoImportPath = "github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
)

//go:embed VERSION
var versionFile string

// sdkReadme is the README of the npm and PyPI packages: what the package is and
// where its documentation lives.
//
//go:embed sdk-readme.md
var sdkReadme string

// registryDoc is the Registry's description: what users read on hover and
// in the registry docs, with an example per language (each SDK keeps its
// own; make readme compiles them all).
//
//go:embed registry.md
var registryDoc string

// Version is the provider version, written into schema.json and the SDKs. Its
// one source is the file provider/VERSION, which the Makefile reads too.
var Version = strings.TrimSpace(versionFile)

// New builds the provider.
func New() (p.Provider, error) {
	prov, err := infer.NewProviderBuilder().
		WithDisplayName("ECR Repositories").
		WithDescription("Declare all of an account's Amazon ECR repositories, with their access policies, lifecycle rules and encryption, as one validated component.").
		WithKeywords("pulumi", "aws", "ecr", "containers", "category/cloud", "kind/component").
		WithRepository("https://github.com/ecrrepos/pulumi-ecrrepos").
		WithPublisher("ecrrepos").
		WithLicense("Apache-2.0").
		WithComponents(infer.ComponentF(NewRegistry)).
		WithFunctions(infer.Function(&PreviewLifecyclePolicy{}), infer.Function(&IdentityPolicy{}), infer.Function(&ImageUri{})).
		// The Go package is "provider"; the schema module is "index".
		WithModuleMap(map[tokens.ModuleName]tokens.ModuleName{"provider": "index"}).
		// WithLanguageMap replaces the builder's defaults, so they are repeated here.
		WithLanguageMap(map[string]any{
			"go": map[string]any{
				"importBasePath":                 GoImportPath,
				"generateResourceContainerTypes": true,
				"respectSchemaVersion":           true,
			},
			"nodejs": map[string]any{
				"packageName":          "pulumi-ecrrepos",
				"respectSchemaVersion": true,
				"readme":               sdkReadme,
			},
			"python": map[string]any{
				"packageName":          "pulumi_ecrrepos",
				"respectSchemaVersion": true,
				"pyproject":            map[string]any{"enabled": true},
				"readme":               sdkReadme,
			},
		}).
		Build()
	if err != nil {
		return p.Provider{}, err
	}
	return withPlainArguments(prov), nil
}
