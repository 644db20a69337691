// Package tests holds the tests that run the provider the way the engine does:
// over its gRPC interface (Construct, GetSchema) and end to end through the
// real Pulumi engine with the test-double aws plugin in tests/fakeaws.
package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	presource "github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/provider"
)

const registryURN = "urn:pulumi:stack::project::ecrrepos:index:Registry::main"

// monitor records the resources a Construct registers and answers the aws
// invokes the component makes.
type monitor struct {
	mu        sync.Mutex
	resources map[string]integration.MockResourceArgs
}

func newMonitor() *monitor { return &monitor{resources: map[string]integration.MockResourceArgs{}} }

func (m *monitor) mocks() *integration.MockResourceMonitor {
	return &integration.MockResourceMonitor{
		NewResourceF: func(a integration.MockResourceArgs) (string, property.Map, error) {
			m.mu.Lock()
			m.resources[string(a.TypeToken)+"::"+a.Name] = a
			m.mu.Unlock()
			if a.TypeToken != "aws:ecr/repository:Repository" {
				return a.Name + "-id", property.Map{}, nil
			}
			// Only the outputs the component reads: the mock monitor cannot
			// echo back secrets that wrap unknowns.
			name := a.Inputs.Get("name").AsString()
			return name, property.NewMap(map[string]property.Value{
				"name":          property.New(name),
				"arn":           property.New("arn:aws:ecr:us-east-1:123456789012:repository/" + name),
				"repositoryUrl": property.New("123456789012.dkr.ecr.us-east-1.amazonaws.com/" + name),
			}), nil
		},
		CallF: func(a integration.MockCallArgs) (property.Map, error) {
			switch a.Token {
			case "aws:index/getCallerIdentity:getCallerIdentity":
				return property.NewMap(map[string]property.Value{"accountId": property.New("123456789012")}), nil
			case "aws:index/getRegion:getRegion":
				return property.NewMap(map[string]property.Value{"name": property.New("us-east-1")}), nil
			case "aws:index/getPartition:getPartition":
				return property.NewMap(map[string]property.Value{"partition": property.New("aws"), "dnsSuffix": property.New("amazonaws.com")}), nil
			}
			return property.Map{}, fmt.Errorf("unexpected invoke %s", a.Token)
		},
	}
}

func newServer(t *testing.T, m *monitor) integration.Server {
	t.Helper()
	prov, err := provider.New()
	require.NoError(t, err)
	server, err := integration.NewServer(context.Background(), provider.Name, semver.MustParse(provider.Version),
		integration.WithProvider(prov), integration.WithMocks(m.mocks()))
	require.NoError(t, err)
	return server
}

func TestConstructRegistersRepositories(t *testing.T) {
	t.Parallel()
	m := newMonitor()
	resp, err := newServer(t, m).Construct(p.ConstructRequest{
		Urn: registryURN,
		Inputs: property.NewMap(map[string]property.Value{
			"defaults": property.New(map[string]property.Value{"imageTagMutability": property.New("MUTABLE")}),
			"repositories": property.New(map[string]property.Value{
				"team/api": property.New(map[string]property.Value{"scanOnPush": property.New(false)}),
				"team/web": property.New(map[string]property.Value{}),
			}),
			"tags": property.New(map[string]property.Value{"owner": property.New("platform")}),
		}),
	})
	require.NoError(t, err)

	api := m.resources["aws:ecr/repository:Repository::main/team/api"]
	require.NotNil(t, api.Inputs, "registered: %v", m.resources)
	assert.Equal(t, "team/api", api.Inputs.Get("name").AsString())
	assert.Equal(t, "MUTABLE", api.Inputs.Get("imageTagMutability").AsString())
	assert.False(t, api.Inputs.Get("imageScanningConfiguration").AsMap().Get("scanOnPush").AsBool())
	assert.Equal(t, "platform", api.Inputs.Get("tags").AsMap().Get("owner").AsString())
	assert.Equal(t, presource.URN(registryURN), presource.URN(api.RegisterRPC.GetParent()), "children are parented to the component")

	urls := resp.State.Get("repositoryUrls").AsMap()
	assert.Equal(t, "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web", urls.Get("team/web").AsString())
	assert.Equal(t, "123456789012.dkr.ecr.us-east-1.amazonaws.com", resp.State.Get("registryUrl").AsString())
	assert.Equal(t, "123456789012", resp.State.Get("registryId").AsString())
	assert.Equal(t, 2, resp.State.Get("repositoryArns").AsMap().Len())
}

// Values users take from other resources arrive as secrets or unknowns (during
// a preview); the component must pass them on, not fail.
func TestConstructAcceptsSecretsAndUnknowns(t *testing.T) {
	t.Parallel()
	m := newMonitor()
	_, err := newServer(t, m).Construct(p.ConstructRequest{
		Urn:    registryURN,
		DryRun: true,
		Inputs: property.NewMap(map[string]property.Value{
			"repositories": property.New(map[string]property.Value{
				"api": property.New(map[string]property.Value{
					"encryptionType": property.New("KMS"),
					"kmsKeyArn":      property.New(property.Computed),
					"tags": property.New(map[string]property.Value{
						"owner": property.New("team-a").WithSecret(true),
						"cost":  property.New(property.Computed),
					}),
				}),
			}),
			"tags": property.New(map[string]property.Value{"env": property.New("dev")}).WithSecret(true),
		}),
	})
	require.NoError(t, err)
	api := m.resources["aws:ecr/repository:Repository::main/api"]
	require.NotNil(t, api.Inputs, "registered: %v", m.resources)
	enc := api.Inputs.Get("encryptionConfigurations").AsArray().Get(0).AsMap()
	assert.Equal(t, "KMS", enc.Get("encryptionType").AsString())
	assert.True(t, enc.Get("kmsKey").IsComputed(), "unknown key ARN stays unknown: %v", enc.Get("kmsKey"))
	tags := api.Inputs.Get("tags")
	// The registry tags are a secret map, so the merged tags are secret too,
	// and unknown until the unknown "cost" value is.
	assert.True(t, tags.IsComputed(), "unknown tags stay unknown: %v", tags)
	assert.True(t, tags.Secret(), "secret tags stay secret: %v", tags)
}

func TestConstructRejectsInvalidArgumentsBeforeRegistering(t *testing.T) {
	t.Parallel()
	m := newMonitor()
	_, err := newServer(t, m).Construct(p.ConstructRequest{
		Urn: registryURN,
		Inputs: property.NewMap(map[string]property.Value{
			"repositories": property.New(map[string]property.Value{
				"team/api": property.New(map[string]property.Value{"imageTagMutability": property.New("immutable")}),
				"Bad_Name": property.New(map[string]property.Value{}),
			}),
		}),
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `repositories["team/api"].imageTagMutability: must be MUTABLE or IMMUTABLE, got "immutable"`)
	assert.Contains(t, err.Error(), `repositories["Bad_Name"]: repository name "Bad_Name" must be lowercase`)
	for key := range m.resources {
		assert.False(t, strings.HasPrefix(key, "aws:"), "nothing may be registered, got %s", key)
	}
}

func TestSchema(t *testing.T) {
	t.Parallel()
	prov, err := provider.New()
	require.NoError(t, err)
	spec, err := p.GetSchema(context.Background(), provider.Name, provider.Version, prov)
	require.NoError(t, err)

	assert.Equal(t, "ecrrepos", spec.Name)
	assert.Equal(t, provider.Version, spec.Version)
	require.Len(t, spec.Resources, 1)
	registry, ok := spec.Resources["ecrrepos:index:Registry"]
	require.True(t, ok, "the only resource is ecrrepos:index:Registry")
	assert.True(t, registry.IsComponent)
	assert.NotEmpty(t, registry.Description)

	undocumented := func(owner string, props map[string]schema.PropertySpec) {
		for name, prop := range props {
			assert.NotEmpty(t, prop.Description, "%s.%s has no description", owner, name)
		}
	}
	undocumented("Registry inputs", registry.InputProperties)
	undocumented("Registry outputs", registry.Properties)
	for token, typ := range spec.Types {
		undocumented(token, typ.Properties)
		if len(typ.Enum) > 0 {
			assert.NotEmpty(t, typ.Description, "enum type %s has no description", token)
		}
		for _, e := range typ.Enum {
			assert.NotEmpty(t, e.Description, "%s value %v has no description", token, e.Value)
		}
	}

	// Strings and maps only: no reference to another package's schema, so the
	// SDKs need neither the aws schema nor @pulumi/aws.
	raw, err := json.Marshal(spec)
	require.NoError(t, err)
	var refs []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, e := range v {
				if s, ok := e.(string); ok && k == "$ref" {
					refs = append(refs, s)
				}
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	var generic any
	require.NoError(t, json.Unmarshal(raw, &generic))
	walk(generic)
	require.NotEmpty(t, refs)
	for _, ref := range refs {
		// pulumi.json#/Any is the built-in "any JSON value" (policy statements).
		assert.True(t, strings.HasPrefix(ref, "#/types/ecrrepos:") || ref == "pulumi.json#/Any", "reference to another package: %s", ref)
	}
	assert.NotContains(t, string(raw), "aws:ecr")
}

// schema.json in the repository is what the provider serves.
func TestSchemaFileIsCurrent(t *testing.T) {
	t.Parallel()
	prov, err := provider.New()
	require.NoError(t, err)
	spec, err := p.GetSchema(context.Background(), provider.Name, provider.Version, prov)
	require.NoError(t, err)
	want, err := json.Marshal(spec)
	require.NoError(t, err)
	got, err := os.ReadFile("../schema.json")
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got), "schema.json is stale: run `make codegen`")
}

func TestConstructRepositoryPolicy(t *testing.T) {
	t.Parallel()
	m := newMonitor()
	resp, err := newServer(t, m).Construct(p.ConstructRequest{
		Urn: registryURN,
		Inputs: property.NewMap(map[string]property.Value{
			"repositories": property.New(map[string]property.Value{
				"team/api": property.New(map[string]property.Value{
					"access": property.New(map[string]property.Value{
						"pullAccountIds":    property.New([]property.Value{property.New("111111111111")}),
						"pullPrincipalArns": property.New([]property.Value{property.New("arn:aws:iam::123456789012:role/ci")}),
					}),
				}),
				"team/web": property.New(map[string]property.Value{}),
			}),
		}),
	})
	require.NoError(t, err)
	registered := m.resources["aws:ecr/repositoryPolicy:RepositoryPolicy::main/team/api"]
	require.NotNil(t, registered.Inputs, "registered: %v", m.resources)
	assert.Equal(t, presource.URN(registryURN), presource.URN(registered.RegisterRPC.GetParent()))
	doc := registered.Inputs.Get("policy").AsString()
	assert.Contains(t, doc, `"arn:aws:iam::111111111111:root"`)
	assert.Contains(t, doc, `"arn:aws:iam::123456789012:role/ci"`)
	_, hasWebPolicy := m.resources["aws:ecr/repositoryPolicy:RepositoryPolicy::main/team/web"]
	assert.False(t, hasWebPolicy, "no access settings, no policy")
	assert.Equal(t, doc, resp.State.Get("repositories").AsMap().Get("team/api").AsMap().Get("repositoryPolicy").AsString())
	assert.Equal(t, 7, resp.State.Get("pushActions").AsArray().Len())
}

// During a preview a role ARN created in the same program is unknown: the
// policy is registered with an unknown document, not refused.
func TestConstructRepositoryPolicyWithUnknownPrincipal(t *testing.T) {
	t.Parallel()
	m := newMonitor()
	_, err := newServer(t, m).Construct(p.ConstructRequest{
		Urn:    registryURN,
		DryRun: true,
		Inputs: property.NewMap(map[string]property.Value{
			"repositories": property.New(map[string]property.Value{
				"api": property.New(map[string]property.Value{
					"access": property.New(map[string]property.Value{
						"pullPrincipalArns": property.New([]property.Value{property.New(property.Computed)}),
					}),
				}),
			}),
		}),
	})
	require.NoError(t, err)
	registered := m.resources["aws:ecr/repositoryPolicy:RepositoryPolicy::main/api"]
	require.NotNil(t, registered.Inputs, "registered: %v", m.resources)
	assert.True(t, registered.Inputs.Get("policy").IsComputed())
}

// Pulumi's protect option on the Registry reaches its children, so a
// protected registry's repositories cannot be deleted or replaced either.
func TestConstructProtectReachesChildren(t *testing.T) {
	t.Parallel()
	m := newMonitor()
	protect := true
	_, err := newServer(t, m).Construct(p.ConstructRequest{
		Urn:     registryURN,
		Protect: &protect,
		Inputs: property.NewMap(map[string]property.Value{
			"repositories": property.New(map[string]property.Value{"api": property.New(map[string]property.Value{})}),
		}),
	})
	require.NoError(t, err)
	repo := m.resources["aws:ecr/repository:Repository::main/api"]
	require.NotNil(t, repo.RegisterRPC)
	assert.True(t, repo.RegisterRPC.GetProtect(), "the repository inherits protect")
}
