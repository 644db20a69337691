package provider

import (
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testAccount = "123456789012"
	testRegion  = "eu-west-1"
)

// registered is one resource the mock monitor saw.
type registered struct {
	Type, Name     string
	Inputs         resource.PropertyMap
	IgnoreChanges  []string
	RetainOnDelete bool
}

// mocks stands in for the engine and AWS: it records every registration and
// computes the outputs pulumi-aws would.
type mocks struct {
	mu        sync.Mutex
	resources []registered
	captured  captured
	// existingEncryption makes a repository report this encryption type, as
	// an existing repository created with another one would.
	existingEncryption map[string]string
}

// captured holds output values a test asked for, once resolved.
type captured map[string]any

// lastCaptured is what the most recent runRegistryWith captured.
var lastCaptured captured

// capture records the resolved value of an output under key. Outputs built
// from constants are not awaited by pulumi.RunErr, so runRegistryWith waits for
// every capture itself.
func capture(c *captured, key string, o pulumi.Output) {
	pendingCaptures.Add(1)
	o.ApplyT(func(v any) any {
		defer pendingCaptures.Done()
		captureMu.Lock()
		(*c)[key] = v
		captureMu.Unlock()
		return v
	})
}

var (
	captureMu       sync.Mutex
	pendingCaptures sync.WaitGroup
)

func (m *mocks) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.resources = append(m.resources, registered{Type: a.TypeToken, Name: a.Name, Inputs: a.Inputs, IgnoreChanges: a.RegisterRPC.GetIgnoreChanges(),
		RetainOnDelete: a.RegisterRPC.GetRetainOnDelete()})
	m.mu.Unlock()

	outputs := a.Inputs.Copy()
	id := a.Name + "-id"
	if a.TypeToken == "aws:ecr/repository:Repository" {
		name := a.Inputs["name"]
		if name.IsString() {
			id = name.StringValue()
			outputs["arn"] = resource.NewProperty(fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", testRegion, testAccount, id))
			outputs["repositoryUrl"] = resource.NewProperty(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", testAccount, testRegion, id))
		}
		outputs["registryId"] = resource.NewProperty(testAccount)
		if existing, ok := m.existingEncryption[id]; ok {
			outputs["encryptionConfigurations"] = resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.PropertyMap{"encryptionType": resource.NewProperty(existing)}),
			})
		}
	}
	return id, outputs, nil
}

func (m *mocks) Call(a pulumi.MockCallArgs) (resource.PropertyMap, error) {
	switch a.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.PropertyMap{"accountId": resource.NewProperty(testAccount)}, nil
	case "aws:index/getRegion:getRegion":
		return resource.PropertyMap{"name": resource.NewProperty(testRegion)}, nil
	case "aws:index/getPartition:getPartition":
		return resource.PropertyMap{"partition": resource.NewProperty("aws"), "dnsSuffix": resource.NewProperty("amazonaws.com")}, nil
	}
	return nil, fmt.Errorf("unexpected call %s", a.Token)
}

func (m *mocks) ofType(token string) map[string]registered {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]registered{}
	for _, r := range m.resources {
		if r.Type == token {
			out[r.Name] = r
		}
	}
	return out
}

func (m *mocks) names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, r := range m.resources {
		out = append(out, r.Type+"::"+r.Name)
	}
	sort.Strings(out)
	return out
}

// registryOutputs are the component's outputs once they resolved.
type registryOutputs struct {
	names, arns, urls map[string]string
	registryID, url   string
}

// runRegistry runs NewRegistry under mocks and returns what it produced.
func runRegistry(t *testing.T, args RegistryArgs, opts ...pulumi.RunOption) (*mocks, registryOutputs, error) {
	t.Helper()
	m := &mocks{}
	var out registryOutputs
	var mu sync.Mutex
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		reg, err := NewRegistry(ctx, "main", args)
		if err != nil {
			return err
		}
		pulumi.All(reg.RepositoryNames, reg.RepositoryArns, reg.RepositoryUrls, reg.RegistryId, reg.RegistryUrl).ApplyT(func(xs []any) error {
			mu.Lock()
			defer mu.Unlock()
			out = registryOutputs{
				names: xs[0].(map[string]string), arns: xs[1].(map[string]string), urls: xs[2].(map[string]string),
				registryID: xs[3].(string), url: xs[4].(string),
			}
			return nil
		})
		return nil
	}, append([]pulumi.RunOption{pulumi.WithMocks("project", "stack", m)}, opts...)...)
	return m, out, err
}

// runRegistryWith runs NewRegistry under mocks and lets the test capture outputs.
func runRegistryWith(t *testing.T, args RegistryArgs, observe func(*Registry, *captured), opts ...pulumi.RunOption) (*mocks, captured, error) {
	t.Helper()
	return runRegistryOn(t, &mocks{}, args, observe, opts...)
}

// runRegistryOn is runRegistryWith with prepared mocks.
func runRegistryOn(t *testing.T, m *mocks, args RegistryArgs, observe func(*Registry, *captured), opts ...pulumi.RunOption) (*mocks, captured, error) {
	t.Helper()
	m.captured = captured{}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		reg, err := NewRegistry(ctx, "main", args)
		if err != nil {
			return err
		}
		if observe != nil {
			observe(reg, &m.captured)
		}
		return nil
	}, append([]pulumi.RunOption{pulumi.WithMocks("project", "stack", m)}, opts...)...)
	if err == nil {
		pendingCaptures.Wait()
	}
	lastCaptured = m.captured
	return m, m.captured, err
}

func dryRun(info *pulumi.RunInfo) { info.DryRun = true }

func ptr[T any](v T) *T { return &v }

func str(m resource.PropertyMap, path ...string) string {
	v := resource.NewProperty(m)
	for _, p := range path {
		switch {
		case v.IsObject():
			v = v.ObjectValue()[resource.PropertyKey(p)]
		case v.IsArray():
			var i int
			fmt.Sscan(p, &i)
			v = v.ArrayValue()[i]
		}
	}
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	switch {
	case v.IsString():
		return v.StringValue()
	case v.IsBool():
		return fmt.Sprint(v.BoolValue())
	case v.IsNull():
		return "<null>"
	case v.IsComputed():
		return "<unknown>"
	}
	return v.String()
}

func requireNoError(t *testing.T, err error) {
	t.Helper()
	require.NoError(t, err)
}

// requireRejected runs NewRegistry with invalid args: it must fail with every
// wanted text in the message and register nothing at all.
func requireRejected(t *testing.T, args RegistryArgs, want ...string) {
	t.Helper()
	m, _, err := runRegistry(t, args)
	require.Error(t, err)
	for _, w := range want {
		assert.Contains(t, err.Error(), w)
	}
	assert.Empty(t, m.names(), "nothing may be registered when validation fails")
}
