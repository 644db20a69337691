// Command fakeaws is a TEST DOUBLE for the Pulumi AWS provider plugin
// (pulumi-resource-aws). It is not AWS, talks to no network service and must
// never be used outside tests.
//
// End-to-end tests build it as bin/fakeaws/pulumi-resource-aws so that the
// real Pulumi engine loads it in place of pulumi-aws v6.83.2. It emulates only
// the resource types listed in resourceTypes (README.md has the table), with
// the observable behaviour of AWS + pulumi-aws v6.83.2, and the functions
// getCallerIdentity, getRegion and getPartition. Anything else fails loudly
// with a "not emulated" error instead of pretending to work.
//
// The fake account is 123456789012 in partition "aws". The region is the
// provider's "region" config, else $AWS_REGION, else us-east-1. The fake
// account's state is a world.World (package world), kept in
// $FAKEAWS_STATE_DIR/world.json with a journal of every successful mutating
// call, or in memory without it.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

const (
	providerName    = "aws"
	providerVersion = "6.83.2"
	defaultRegion   = "us-east-1"
)

// resourceTypes are the emulated resource types, by token.
var resourceTypes = byToken(
	repositoryType, repositoryPolicyType, lifecyclePolicyType,
	replicationConfigurationType, registryPolicyType, registryScanningConfigurationType,
	pullThroughCacheRuleType, repositoryCreationTemplateType,
	roleType,
	secretType, secretVersionType, parameterType, keyType, aliasType,
	logGroupType, logResourcePolicyType, eventRuleType, eventTargetType, metricAlarmType, dashboardType,
	topicType, topicPolicyType, topicSubscriptionType,
)

func byToken(types ...*resourceType) map[string]*resourceType {
	out := map[string]*resourceType{}
	for _, t := range types {
		out[t.token] = t.finish()
	}
	return out
}

func main() {
	f := newFakeAWS(os.Getenv(world.StateDirEnv), os.Getenv("AWS_REGION"))
	if err := p.RunProvider(context.Background(), providerName, providerVersion, f.provider()); err != nil {
		fmt.Fprintf(os.Stderr, "fakeaws: %v\n", err)
		os.Exit(1)
	}
}

// fakeAWS is one provider instance (the engine runs one plugin process per
// configured aws provider).
type fakeAWS struct {
	mu     sync.Mutex
	region string
	world  *world.Store
}

// newFakeAWS creates a provider instance. stateDir "" keeps the world in
// memory; envRegion is the fallback region ($AWS_REGION).
func newFakeAWS(stateDir, envRegion string) *fakeAWS {
	if envRegion == "" {
		envRegion = defaultRegion
	}
	return &fakeAWS{region: envRegion, world: world.Open(stateDir)}
}

func (f *fakeAWS) currentRegion() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.region
}

// on runs op on the descriptor of the resource type named by the request.
func on[Req, Resp any](urn func(Req) resource.URN, op func(*resourceType, Req) (Resp, error)) func(context.Context, Req) (Resp, error) {
	return func(_ context.Context, req Req) (Resp, error) {
		t, ok := resourceTypes[string(urn(req).Type())]
		if !ok {
			var zero Resp
			return zero, fmt.Errorf("fakeaws (test double): resource type %q is not emulated", urn(req).Type())
		}
		return op(t, req)
	}
}

func (f *fakeAWS) provider() p.Provider {
	del := on(func(r p.DeleteRequest) resource.URN { return r.Urn }, f.doDelete)
	return p.Provider{
		// CheckConfig and DiffConfig are deliberately left unimplemented: the
		// engine then accepts the configuration as given and never replaces
		// the provider because of a config change.
		Configure: f.configure,
		Invoke:    f.invoke,
		Check:     on(func(r p.CheckRequest) resource.URN { return r.Urn }, (*resourceType).doCheck),
		Diff:      on(func(r p.DiffRequest) resource.URN { return r.Urn }, (*resourceType).doDiff),
		Create:    on(func(r p.CreateRequest) resource.URN { return r.Urn }, f.doCreate),
		Read:      on(func(r p.ReadRequest) resource.URN { return r.Urn }, f.doRead),
		Update:    on(func(r p.UpdateRequest) resource.URN { return r.Urn }, f.doUpdate),
		Delete:    func(ctx context.Context, r p.DeleteRequest) error { _, err := del(ctx, r); return err },
	}
}

// configure reads the region and ignores every other key (version,
// skipCredentialsValidation, ...).
func (f *fakeAWS) configure(_ context.Context, req p.ConfigureRequest) error {
	if v, ok := req.Args.GetOk("region"); ok && v.IsString() && v.AsString() != "" {
		f.mu.Lock()
		f.region = v.AsString()
		f.mu.Unlock()
	}
	return nil
}

func (f *fakeAWS) invoke(_ context.Context, req p.InvokeRequest) (p.InvokeResponse, error) {
	region := f.currentRegion()
	var ret map[string]any
	switch req.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		ret = map[string]any{"accountId": world.Account, "arn": world.CallerARN, "id": world.Account, "userId": "AIDAFAKEFAKEFAKEFAKE"}
	case "aws:index/getRegion:getRegion":
		// getRegion looks up the region named by its optional "name"
		// argument, defaulting to the provider's region.
		if v, ok := req.Args.GetOk("name"); ok && v.IsString() && v.AsString() != "" {
			region = v.AsString()
		}
		ret = map[string]any{"name": region, "id": region, "description": "fake region",
			"endpoint": "ec2." + region + "." + world.DNSSuffix}
	case "aws:index/getPartition:getPartition":
		ret = map[string]any{"partition": world.Partition, "dnsSuffix": world.DNSSuffix, "id": world.Partition,
			"reverseDnsPrefix": "com.amazonaws"}
	default:
		return p.InvokeResponse{}, fmt.Errorf("fakeaws (test double): function %q is not emulated", req.Token)
	}
	return p.InvokeResponse{Return: mapFromGo(ret)}, nil
}
