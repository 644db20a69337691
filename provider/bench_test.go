package provider

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
)

// The component should cost no more than registering its children by hand.
// BenchmarkNewRegistryVsDirect runs, in the same benchmark, NewRegistry under
// pulumi.WithMocks for a registry of n repositories (pull accounts and the
// default lifecycle policy) and a program that registers the same children
// with the same inputs directly, both awaiting every output, and reports the
// ratio (x-direct) with the time, allocations and bytes per repository of each.

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

// measure runs f and returns its duration, allocations and bytes allocated.
func measure(f func()) (time.Duration, uint64, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	f()
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return elapsed, after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc
}

func BenchmarkNewRegistryVsDirect(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("repositories=%d", n), func(b *testing.B) {
			args := benchArgs(n)
			var component, direct time.Duration
			var componentAllocs, directAllocs, componentBytes, directBytes uint64
			for range b.N {
				d, a, by := measure(func() { runComponent(b, args) })
				component, componentAllocs, componentBytes = component+d, componentAllocs+a, componentBytes+by
				d, a, by = measure(func() { runDirect(b, n) })
				direct, directAllocs, directBytes = direct+d, directAllocs+a, directBytes+by
			}
			per := float64(b.N * n)
			b.ReportMetric(float64(component)/float64(direct), "x-direct")
			b.ReportMetric(float64(component.Microseconds())/per, "µs/repo")
			b.ReportMetric(float64(direct.Microseconds())/per, "µs/repo-direct")
			b.ReportMetric(float64(componentAllocs)/per, "allocs/repo")
			b.ReportMetric(float64(directAllocs)/per, "allocs/repo-direct")
			b.ReportMetric(float64(componentBytes)/per/1024, "KB/repo")
			b.ReportMetric(float64(directBytes)/per/1024, "KB/repo-direct")
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
