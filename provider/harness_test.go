package provider

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The one harness of the provider tests: run NewRegistry under
// pulumi.WithMocks and get back what was registered and what the component
// output, with no package state, so every test may run in parallel.

const (
	testAccount   = "123456789012"
	testRegion    = "eu-west-1"
	registryType  = RegistryToken
	repositoryTyp = "aws:ecr/repository:Repository"
	policyType    = "aws:ecr/repositoryPolicy:RepositoryPolicy"
	lifecycleType = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
)

// registered is one resource the mock engine saw.
type registered struct {
	Type, Name          string
	Inputs              property.Map
	IgnoreChanges       []string
	RetainOnDelete      bool
	DeleteBeforeReplace bool
	Dependencies        []string
	AliasNames          []string // the names of its aliases
	AliasURNs           []string // its aliases given as URNs
	ImportID            string
	Protect             bool   // issue #12
	Parent              string // the URN of its parent
	StackFrames         int    // the frames of the Go stack the SDK sent with it (issue #10)
}

// result is what one run produced.
type result struct {
	resources []registered
	outputs   map[string]any // the component's outputs, resolved
	err       error
}

// option changes how the mock engine behaves for one run.
type option func(*mocks)

// named names the registry (default "main").
func named(name string) option { return func(m *mocks) { m.registryName = name } }

// dryRun runs the program as a preview.
func dryRun() option { return func(m *mocks) { m.dryRun = true } }

// existingKey makes repository name report KMS encryption with key, as a
// repository created earlier with another key would. issue #12
func existingKey(name, key string) option {
	return func(m *mocks) { m.existingEncryption[name+"#key"] = key }
}

// keyCreatedNow makes the KMS key's ARN unknown, as in a preview that
// creates it. issue #12
func keyCreatedNow() option { return func(m *mocks) { m.keyCreatedNow, m.dryRun = true, true } }

// existingEncryption makes repository name report encryption type typ, as a
// repository created earlier with other settings would.
func existingEncryption(name, typ string) option {
	return func(m *mocks) { m.existingEncryption[name] = typ }
}

// run runs NewRegistry("main", args) under mocks.
func run(t *testing.T, args RegistryArgs, opts ...option) result {
	t.Helper()
	m := &mocks{existingEncryption: map[string]string{}, registryName: "main"}
	for _, o := range opts {
		o(m)
	}
	out := map[string]any{}
	var mu sync.Mutex
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		reg, err := NewRegistry(ctx, m.registryName, args)
		if err != nil {
			return err
		}
		// Exported outputs are awaited by the run, and fail it when they fail.
		for name, o := range map[string]pulumi.Output{
			"repositoryNames": reg.RepositoryNames, "repositoryArns": reg.RepositoryArns, "repositoryUrls": reg.RepositoryUrls,
			"registryId": reg.RegistryId, "registryUrl": reg.RegistryUrl, "repositories": reg.Repositories,
			"pullActions": reg.PullActions, "pushActions": reg.PushActions,
			"pullPolicyJson": reg.PullPolicyJson, "pushPolicyJson": reg.PushPolicyJson,
			"pullPolicyDocuments": reg.PullPolicyDocuments, "pushPolicyDocuments": reg.PushPolicyDocuments,
			// issue #12
			"kmsKeyArn": reg.KmsKeyArn, "kmsKeyAlias": reg.KmsKeyAlias, "eventLogGroupName": reg.EventLogGroupName,
			"alertTopicArn": reg.AlertTopicArn, "dashboardUrl": reg.DashboardUrl, "alarmArns": reg.AlarmArns,
		} {
			ctx.Export(name, o.ApplyT(func(v any) any {
				mu.Lock()
				defer mu.Unlock()
				out[name] = v
				return v
			}))
		}
		return nil
	}, pulumi.WithMocks("project", "stack", m), func(info *pulumi.RunInfo) { info.DryRun = m.dryRun })
	return result{resources: m.registered(), outputs: out, err: err}
}

// ok requires the run to have succeeded.
func (r result) ok(t *testing.T) result {
	t.Helper()
	require.NoError(t, r.err)
	return r
}

// rejected requires the run to have failed with every wanted text in the
// message, and nothing at all to have been registered.
func (r result) rejected(t *testing.T, want ...string) {
	t.Helper()
	require.Error(t, r.err)
	for _, w := range want {
		assert.Contains(t, r.err.Error(), w)
	}
	assert.Empty(t, r.resources, "nothing may be registered when validation fails")
}

// one returns the resource of type typ named name; it must exist.
func (r result) one(t *testing.T, typ, name string) registered {
	t.Helper()
	for _, res := range r.resources {
		if res.Type == typ && res.Name == name {
			return res
		}
	}
	require.Failf(t, "not registered", "%s %s among %v", typ, name, r.names())
	return registered{}
}

// ofType returns the names of the resources of type typ.
func (r result) ofType(typ string) []string {
	var names []string
	for _, res := range r.resources {
		if res.Type == typ {
			names = append(names, res.Name)
		}
	}
	return names
}

func (r result) names() []string {
	names := make([]string, len(r.resources))
	for i, res := range r.resources {
		names[i] = res.Type + "::" + res.Name
	}
	return names
}

// info is one repository's output object, resolved.
func (r result) info(key string) RepositoryInfo {
	m, _ := r.outputs["repositories"].(map[string]RepositoryInfo)
	return m[key]
}

// stringMap is an output map of strings, resolved.
func (r result) stringMap(name string) map[string]string {
	m, _ := r.outputs[name].(map[string]string)
	return m
}

// at walks a property value: map keys and array indexes.
func at(v property.Value, path ...string) property.Value {
	for _, p := range path {
		switch {
		case v.IsMap():
			v = v.AsMap().Get(p)
		case v.IsArray():
			i, _ := strconv.Atoi(p)
			if i >= v.AsArray().Len() {
				return property.Value{}
			}
			v = v.AsArray().Get(i)
		default:
			return property.Value{}
		}
	}
	return v
}

// input is the input at path of a registered resource.
func (res registered) input(path ...string) property.Value {
	return at(property.New(res.Inputs), path...)
}

func ptr[T any](v T) *T { return &v }

func strs(ss ...string) pulumi.StringArray { return pulumi.ToStringArray(ss) }

func repos(name string, r RepositoryArgs) map[string]RepositoryArgs {
	return map[string]RepositoryArgs{name: r}
}

// later is a known value delivered as an output, the way a value taken from
// another resource arrives.
func later(s string) pulumi.StringOutput {
	return pulumi.String(s).ToStringOutput().ApplyT(func(v string) string { return v }).(pulumi.StringOutput)
}

// unknown is a value not known during a preview.
func unknown() pulumi.StringOutput {
	return pulumi.UnsafeUnknownOutput(nil).ApplyT(func(any) string { return "" }).(pulumi.StringOutput)
}

// mocks stands in for the engine and AWS: it records every registration and
// computes the outputs pulumi-aws would.
type mocks struct {
	mu                 sync.Mutex
	resources          []registered
	dryRun             bool
	existingEncryption map[string]string
	registryName       string
	// keyCreatedNow: the KMS key is being created, its ARN not known yet (a preview). issue #12
	keyCreatedNow bool
}

func (m *mocks) registered() []registered {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]registered(nil), m.resources...)
}

func (m *mocks) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.resources = append(m.resources, registered{
		Type: a.TypeToken, Name: a.Name, Inputs: resource.FromResourcePropertyMap(a.Inputs),
		IgnoreChanges: a.RegisterRPC.GetIgnoreChanges(), RetainOnDelete: a.RegisterRPC.GetRetainOnDelete(),
		DeleteBeforeReplace: a.RegisterRPC.GetDeleteBeforeReplace(), Dependencies: a.RegisterRPC.GetDependencies(),
		AliasNames: aliasNames(a.RegisterRPC.GetAliases()), AliasURNs: aliasURNs(a.RegisterRPC.GetAliases()), ImportID: a.RegisterRPC.GetImportId(),
		Protect: a.RegisterRPC.GetProtect(), Parent: a.RegisterRPC.GetParent(), StackFrames: len(a.RegisterRPC.GetStackTrace().GetFrames()),
	})
	m.mu.Unlock()

	outputs := a.Inputs.Copy()
	id := a.Name + "-id"
	if a.TypeToken == repositoryTyp {
		if name := a.Inputs["name"]; name.IsString() {
			id = name.StringValue()
			outputs["arn"] = resource.NewProperty(fmt.Sprintf("arn:aws:ecr:%s:%s:repository/%s", testRegion, testAccount, id))
			outputs["repositoryUrl"] = resource.NewProperty(fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", testAccount, testRegion, id))
		}
		outputs["registryId"] = resource.NewProperty(testAccount)
		m.mu.Lock()
		existing, ok := m.existingEncryption[id]
		m.mu.Unlock()
		if ok {
			outputs["encryptionConfigurations"] = resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.PropertyMap{"encryptionType": resource.NewProperty(existing)}),
			})
		}
		if kmsKey, ok := m.existingEncryption[id+"#key"]; ok {
			outputs["encryptionConfigurations"] = resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.PropertyMap{"encryptionType": resource.NewProperty("KMS"), "kmsKey": resource.NewProperty(kmsKey)}),
			})
		}
	}
	m.wideOutputs(a, id, outputs) // issue #12
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

// has reports whether a map value has key.
func has(v property.Value, key string) bool {
	if !v.IsMap() {
		return false
	}
	_, ok := v.AsMap().GetOk(key)
	return ok
}

// aliasNames are the names the aliases of a registration point at.
func aliasNames(aliases []*pulumirpc.Alias) []string {
	var names []string
	for _, a := range aliases {
		if spec := a.GetSpec(); spec != nil {
			names = append(names, spec.GetName())
		} else if urn := a.GetUrn(); urn != "" {
			names = append(names, resource.URN(urn).Name())
		}
	}
	return names
}

// aliasURNs are the aliases of a registration given as URNs.
func aliasURNs(aliases []*pulumirpc.Alias) []string {
	var urns []string
	for _, a := range aliases {
		if urn := a.GetUrn(); urn != "" {
			urns = append(urns, urn)
		}
	}
	return urns
}
