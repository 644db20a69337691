package provider

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/require"
)

// The harness of the registry-wide tests: the mocks of harness_test.go,
// taught the outputs of the registry-wide resource types and the Region of
// explicit aws providers, running any program (several Registries, explicit
// providers) in a stack of its own, so that the in-program ownership claims
// of parallel tests never meet.

const (
	replicationType = "aws:ecr/replicationConfiguration:ReplicationConfiguration"
	scanningType    = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"
	registryPolType = "aws:ecr/registryPolicy:RegistryPolicy"
	ptcRuleType     = "aws:ecr/pullThroughCacheRule:PullThroughCacheRule"
	templateType    = "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate"
	parameterType   = "aws:ssm/parameter:Parameter"
	secretType      = "aws:secretsmanager/secret:Secret"
	secretVerType   = "aws:secretsmanager/secretVersion:SecretVersion"
)

// stacks numbers the runs: each runs in a stack of its own.
var stacks atomic.Int64

// wideMocks extends mocks.
type wideMocks struct {
	*mocks
	mu        sync.Mutex
	regions   map[string]string                             // explicit aws provider ID → its region
	requests  map[string]*pulumirpc.RegisterResourceRequest // type::name → the registration
	providers map[string]string                             // type::name → the provider reference it was registered with
	// blankIdentity: getCallerIdentity answers without an account, so the
	// Registry waits for its environment as outputs.
	blankIdentity bool
}

func (w *wideMocks) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, outputs, err := w.mocks.NewResource(a)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests[a.TypeToken+"::"+a.Name] = a.RegisterRPC
	w.providers[a.TypeToken+"::"+a.Name] = a.Provider
	switch a.TypeToken {
	case "pulumi:providers:aws":
		if region := a.Inputs["region"]; region.IsString() {
			w.regions[id] = region.StringValue()
		}
	case secretType:
		name := a.Inputs["namePrefix"].StringValue() + "20250101000000000000000001"
		outputs["name"] = resource.NewProperty(name)
		outputs["arn"] = resource.NewProperty(fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-AbCdEf", testRegion, testAccount, name))
		id = outputs["arn"].StringValue()
	case replicationType, scanningType, registryPolType, ptcRuleType, templateType:
		outputs["registryId"] = resource.NewProperty(testAccount)
	}
	return id, outputs, err
}

func (w *wideMocks) Call(a pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if a.Token == "aws:index/getCallerIdentity:getCallerIdentity" && w.blankIdentity {
		return resource.PropertyMap{"accountId": resource.NewProperty("")}, nil
	}
	if a.Token == "aws:index/getRegion:getRegion" {
		w.mu.Lock()
		region, explicit := w.regions[resourceName(a.Provider)]
		w.mu.Unlock()
		if explicit {
			return resource.PropertyMap{"name": resource.NewProperty(region)}, nil
		}
	}
	return w.mocks.Call(a)
}

// wideResult is what one run produced, with each Registry's outputs keyed
// "<registry>.<output>".
type wideResult struct {
	result
	w *wideMocks
}

// request is the registration of a resource; it must exist.
func (r wideResult) request(t *testing.T, typ, name string) *pulumirpc.RegisterResourceRequest {
	t.Helper()
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	req, ok := r.w.requests[typ+"::"+name]
	require.True(t, ok, "%s %s not registered among %v", typ, name, r.names())
	return req
}

// provider is the provider reference a resource was registered with.
func (r wideResult) provider(typ, name string) string {
	r.w.mu.Lock()
	defer r.w.mu.Unlock()
	return r.w.providers[typ+"::"+name]
}

// runProgram runs a program creating Registries in a stack of its own and
// exports every output of each.
func runProgram(t *testing.T, program func(ctx *pulumi.Context) ([]*Registry, error), opts ...option) wideResult {
	t.Helper()
	return runProgramWith(t, false, program, opts...)
}

// runProgramWith is runProgram, optionally with an aws provider that does
// not say its account until later.
func runProgramWith(t *testing.T, blankIdentity bool, program func(ctx *pulumi.Context) ([]*Registry, error), opts ...option) wideResult {
	t.Helper()
	m := &mocks{existingEncryption: map[string]string{}, registryName: "main"}
	for _, o := range opts {
		o(m)
	}
	w := &wideMocks{mocks: m, regions: map[string]string{}, requests: map[string]*pulumirpc.RegisterResourceRequest{}, providers: map[string]string{}, blankIdentity: blankIdentity}
	out := map[string]any{}
	var mu sync.Mutex
	stack := fmt.Sprintf("wide-%d", stacks.Add(1))
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		registries, err := program(ctx)
		for _, reg := range registries {
			name := reg.URN().ApplyT(func(u pulumi.URN) string { return resourceName(string(u)) })
			for output, o := range map[string]pulumi.Output{
				"repositoryNames": reg.RepositoryNames, "registryId": reg.RegistryId, "registryUrl": reg.RegistryUrl,
				"pullThroughCacheUrls": reg.PullThroughCacheUrls, "pullThroughCacheSecretArns": reg.PullThroughCacheSecretArns,
				"registryPolicyJson": reg.RegistryPolicyJson, "ownershipLocks": reg.OwnershipLocks,
			} {
				ctx.Export(output, pulumi.All(name, o).ApplyT(func(v []any) any {
					mu.Lock()
					defer mu.Unlock()
					out[v[0].(string)+"."+output] = v[1]
					return v[1]
				}))
			}
		}
		return err
	}, pulumi.WithMocks("project", stack, w), func(info *pulumi.RunInfo) { info.DryRun = m.dryRun })
	return wideResult{result: result{resources: m.registered(), outputs: out, err: err}, w: w}
}

// runWide runs NewRegistry("main", args) like run, with the registry-wide outputs.
func runWide(t *testing.T, args RegistryArgs, opts ...option) wideResult {
	t.Helper()
	return runProgram(t, func(ctx *pulumi.Context) ([]*Registry, error) {
		reg, err := NewRegistry(ctx, "main", args)
		if err != nil {
			return nil, err
		}
		return []*Registry{reg}, nil
	}, opts...)
}

// resourceName is the last "::" part of a URN, or of a provider reference (its ID).
func resourceName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// wideMap is a map output of registry "main".
func (r wideResult) wideMap(output string) map[string]string {
	m, _ := r.outputs["main."+output].(map[string]string)
	return m
}

// dependsOn reports whether a registration lists the resource typ/name
// among its dependencies.
func dependsOn(res registered, typ, name string) bool {
	for _, urn := range res.Dependencies {
		if strings.HasSuffix(urn, typ+"::"+name) {
			return true
		}
	}
	return false
}

// ok requires the run to have succeeded.
func (r wideResult) ok(t *testing.T) wideResult {
	t.Helper()
	require.NoError(t, r.err)
	return r
}
