package tests

import (
	"context"
	"fmt"
	"testing"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/benchpair"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
	"github.com/ecrrepos/pulumi-ecrrepos/provider"
)

// BenchmarkConstructVsLogicFree sends the same Construct through the
// go-provider integration server twice a round: to the Registry, and to a
// logic-free component (Direct, below) that registers the same children with
// the same inputs and returns the same maps. It reports the median ratio of
// the rounds (internal/benchpair).

// DirectArgs is everything the logic-free component needs, precomputed.
type DirectArgs struct {
	Repositories []string `pulumi:"repositories"`
	Policy       string   `pulumi:"policy"`
	Lifecycle    string   `pulumi:"lifecycle"`
}

// Direct is the logic-free component.
type Direct struct {
	pulumi.ResourceState
	RepositoryNames pulumi.StringMapOutput `pulumi:"repositoryNames"`
	RepositoryArns  pulumi.StringMapOutput `pulumi:"repositoryArns"`
	RepositoryUrls  pulumi.StringMapOutput `pulumi:"repositoryUrls"`
}

// NewDirect registers the children with the given inputs, and nothing else.
func NewDirect(ctx *pulumi.Context, name string, args DirectArgs, opts ...pulumi.ResourceOption) (*Direct, error) {
	comp := &Direct{}
	if err := ctx.RegisterComponentResource("bench:index:Direct", name, comp, opts...); err != nil {
		return nil, err
	}
	names, arns, urls := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
	for _, key := range args.Repositories {
		repo, err := ecr.NewRepository(ctx, name+"/"+key, &ecr.RepositoryArgs{
			Name:                       pulumi.String(key),
			ImageTagMutability:         pulumi.String("IMMUTABLE"),
			ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(true)},
			EncryptionConfigurations:   ecr.RepositoryEncryptionConfigurationArray{&ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String("AES256")}},
			ForceDelete:                pulumi.Bool(false),
		}, pulumi.Parent(comp), pulumi.DeleteBeforeReplace(true), pulumi.IgnoreChanges([]string{"encryptionConfigurations"}))
		if err != nil {
			return nil, err
		}
		if _, err := ecr.NewLifecyclePolicy(ctx, name+"/"+key, &ecr.LifecyclePolicyArgs{Repository: repo.Name, Policy: pulumi.String(args.Lifecycle)},
			pulumi.Parent(comp), pulumi.DeleteBeforeReplace(true)); err != nil {
			return nil, err
		}
		if _, err := ecr.NewRepositoryPolicy(ctx, name+"/"+key, &ecr.RepositoryPolicyArgs{Repository: repo.Name, Policy: pulumi.String(args.Policy)},
			pulumi.Parent(comp)); err != nil {
			return nil, err
		}
		names[key], arns[key], urls[key] = repo.Name, repo.Arn, repo.RepositoryUrl
	}
	comp.RepositoryNames, comp.RepositoryArns, comp.RepositoryUrls = names.ToStringMapOutput(), arns.ToStringMapOutput(), urls.ToStringMapOutput()
	return comp, nil
}

func benchServer(b *testing.B, prov p.Provider, name string) integration.Server {
	b.Helper()
	server, err := integration.NewServer(context.Background(), name, semver.MustParse("0.1.0"),
		integration.WithProvider(prov), integration.WithMocks(newMonitor().mocks()))
	if err != nil {
		b.Fatal(err)
	}
	return server
}

func BenchmarkConstructVsLogicFree(b *testing.B) {
	const n = 1000
	keys := make([]string, n)
	registryRepos := map[string]property.Value{}
	for i := range keys {
		keys[i] = fmt.Sprintf("team-%04d/service", i)
		registryRepos[keys[i]] = property.New(map[string]property.Value{"access": property.New(map[string]property.Value{
			"pullAccountIds": property.New([]property.Value{property.New("111111111111"), property.New("222222222222")}),
		})})
	}
	doc, err := policy.RepositoryPolicy(policy.Access{Partition: "aws", PullAccountIDs: []string{"111111111111", "222222222222"}})
	if err != nil {
		b.Fatal(err)
	}
	directKeys := make([]property.Value, n)
	for i, k := range keys {
		directKeys[i] = property.New(k)
	}

	prov, err := provider.New()
	if err != nil {
		b.Fatal(err)
	}
	registry := benchServer(b, prov, provider.Name)
	directProv, err := infer.NewProviderBuilder().WithNamespace("bench").WithComponents(infer.ComponentF(NewDirect)).
		WithModuleMap(map[tokens.ModuleName]tokens.ModuleName{"tests": "index"}).Build()
	if err != nil {
		b.Fatal(err)
	}
	direct := benchServer(b, directProv, "bench")

	registryReq := p.ConstructRequest{Urn: registryURN, Inputs: property.NewMap(map[string]property.Value{"repositories": property.New(registryRepos)})}
	directReq := p.ConstructRequest{Urn: "urn:pulumi:stack::project::bench:index:Direct::main", Inputs: property.NewMap(map[string]property.Value{
		"repositories": property.New(directKeys), "policy": property.New(doc), "lifecycle": property.New(lifecycle.DefaultPolicy().JSON()),
	})}
	var rounds benchpair.Rounds
	for range b.N {
		rounds.Run(func() {
			if _, err := registry.Construct(registryReq); err != nil {
				b.Fatal(err)
			}
		}, func() {
			if _, err := direct.Construct(directReq); err != nil {
				b.Fatal(err)
			}
		})
	}
	rounds.Report(b, "x-logic-free")
}
