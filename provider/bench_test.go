package provider

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/benchpair"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
)

// The component should cost no more than registering its children by hand.
// BenchmarkNewRegistryVsDirect runs, in interleaved rounds of the same
// benchmark (internal/benchpair), NewRegistry under pulumi.WithMocks for a
// registry of n repositories (pull accounts and the default lifecycle policy)
// and a program that registers the same children with the same inputs
// directly, both awaiting every output, and reports the median ratio
// (x-direct) with the time, allocations and bytes per repository of each.

func benchArgs(n int) RegistryArgs {
	repositories := make(map[string]RepositoryArgs, n)
	for i := range n {
		repositories[fmt.Sprintf("team-%04d/service", i)] = RepositoryArgs{
			Access: &AccessArgs{PullAccountIds: strs("111111111111", "222222222222")},
		}
	}
	return RegistryArgs{Repositories: repositories}
}

// runComponent registers the Registry and awaits all of its outputs.
func runComponent(b *testing.B, args RegistryArgs) {
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		reg, err := NewRegistry(ctx, "main", args)
		if err != nil {
			return err
		}
		for name, o := range map[string]pulumi.Output{
			"names": reg.RepositoryNames, "arns": reg.RepositoryArns, "urls": reg.RepositoryUrls, "repositories": reg.Repositories,
			"id": reg.RegistryId, "url": reg.RegistryUrl, "pull": reg.PullPolicyDocuments, "push": reg.PushPolicyDocuments,
		} {
			ctx.Export(name, o)
		}
		return nil
	}, pulumi.WithMocks("project", "stack", &mocks{existingEncryption: map[string]string{}}))
	if err != nil {
		b.Fatal(err)
	}
}

// runDirect registers the same children with the same inputs and awaits the
// same values, as a program written by hand would.
func runDirect(b *testing.B, n int) {
	doc, err := policy.RepositoryPolicy(policy.Access{Partition: "aws", PullAccountIDs: []string{"111111111111", "222222222222"}})
	if err != nil {
		b.Fatal(err)
	}
	lifecycleDoc := lifecycle.DefaultPolicy().JSON()
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		names, arns, urls := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
		for i := range n {
			key := fmt.Sprintf("team-%04d/service", i)
			repo, err := ecr.NewRepository(ctx, "main/"+key, &ecr.RepositoryArgs{
				Name:                       pulumi.String(key),
				ImageTagMutability:         pulumi.String("IMMUTABLE"),
				ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(true)},
				EncryptionConfigurations:   ecr.RepositoryEncryptionConfigurationArray{&ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String("AES256")}},
				ForceDelete:                pulumi.Bool(false),
			}, pulumi.DeleteBeforeReplace(true), pulumi.IgnoreChanges([]string{"encryptionConfigurations"}))
			if err != nil {
				return err
			}
			if _, err := ecr.NewLifecyclePolicy(ctx, "main/"+key, &ecr.LifecyclePolicyArgs{Repository: repo.Name, Policy: pulumi.String(lifecycleDoc)}, pulumi.DeleteBeforeReplace(true)); err != nil {
				return err
			}
			if _, err := ecr.NewRepositoryPolicy(ctx, "main/"+key, &ecr.RepositoryPolicyArgs{Repository: repo.Name, Policy: pulumi.String(doc)}); err != nil {
				return err
			}
			names[key], arns[key], urls[key] = repo.Name, repo.Arn, repo.RepositoryUrl
		}
		ctx.Export("names", names)
		ctx.Export("arns", arns)
		ctx.Export("urls", urls)
		return nil
	}, pulumi.WithMocks("project", "stack", &mocks{existingEncryption: map[string]string{}}))
	if err != nil {
		b.Fatal(err)
	}
}

func BenchmarkNewRegistryVsDirect(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("repositories=%d", n), func(b *testing.B) {
			args := benchArgs(n)
			var rounds benchpair.Rounds
			for range b.N {
				rounds.Run(func() { runComponent(b, args) }, func() { runDirect(b, n) })
			}
			component, direct := rounds.PerRound()
			per := float64(n)
			b.ReportMetric(rounds.Ratio(), "x-direct")
			b.ReportMetric(float64(component.Elapsed.Microseconds())/per, "µs/repo")
			b.ReportMetric(float64(direct.Elapsed.Microseconds())/per, "µs/repo-direct")
			b.ReportMetric(float64(component.Allocs)/per, "allocs/repo")
			b.ReportMetric(float64(direct.Allocs)/per, "allocs/repo-direct")
			b.ReportMetric(float64(component.Bytes)/per/1024, "KB/repo")
			b.ReportMetric(float64(direct.Bytes)/per/1024, "KB/repo-direct")
		})
	}
}

// The two halves on their own, for profiling one against the other
// (go test -bench 'RegistryOnly|DirectOnly' -memprofile …; pprof -diff_base).
func BenchmarkRegistryOnly(b *testing.B) {
	args := benchArgs(1000)
	for range b.N {
		runComponent(b, args)
	}
}

func BenchmarkDirectOnly(b *testing.B) {
	for range b.N {
		runDirect(b, 1000)
	}
}
