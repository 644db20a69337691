package tests

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/benchpair"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
	"github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
)

// BenchmarkEngineUpVsDirect runs `up` through the real engine (the CLI built
// by make, a file backend, the aws test double) for a registry of 100
// repositories and for an inline program that registers the same children
// directly, and reports the median time ratio of the rounds and the state size of each (the file
// backend rewrites the whole state after each step, so time tracks it).
// It needs the binaries `make` builds and skips without them.
func BenchmarkEngineUpVsDirect(b *testing.B) {
	const n = 100
	env := locateBuild(b)
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("team-%03d/service", i)
	}
	registry := func(ctx *pulumi.Context) error {
		repos := make(map[string]ecrrepos.RepositoryArgs, n)
		for _, k := range keys {
			repos[k] = ecrrepos.RepositoryArgs{Access: &ecrrepos.AccessArgs{PullAccountIds: pulumi.ToStringArray([]string{"111111111111", "222222222222"})}}
		}
		_, err := ecrrepos.NewRegistry(ctx, "main", &ecrrepos.RegistryArgs{Repositories: repos})
		return err
	}
	doc, err := policy.RepositoryPolicy(policy.Access{Partition: "aws", PullAccountIDs: []string{"111111111111", "222222222222"}})
	if err != nil {
		b.Fatal(err)
	}
	direct := func(ctx *pulumi.Context) error {
		for _, k := range keys {
			repo, err := ecr.NewRepository(ctx, "main/"+k, &ecr.RepositoryArgs{
				Name: pulumi.String(k), ImageTagMutability: pulumi.String("IMMUTABLE"), ForceDelete: pulumi.Bool(false),
				ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(true)},
				EncryptionConfigurations:   ecr.RepositoryEncryptionConfigurationArray{&ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String("AES256")}},
			}, pulumi.DeleteBeforeReplace(true))
			if err != nil {
				return err
			}
			if _, err := ecr.NewLifecyclePolicy(ctx, "main/"+k, &ecr.LifecyclePolicyArgs{Repository: repo.Name, Policy: pulumi.String(lifecycle.DefaultPolicy().JSON())},
				pulumi.DeleteBeforeReplace(true)); err != nil {
				return err
			}
			if _, err := ecr.NewRepositoryPolicy(ctx, "main/"+k, &ecr.RepositoryPolicyArgs{Repository: repo.Name, Policy: pulumi.String(doc)}); err != nil {
				return err
			}
		}
		return nil
	}
	up := func(program pulumi.RunFunc, project string) (time.Duration, int) {
		stack := newGoStack(b, env, awsWorld{dir: b.TempDir()}, project, program)
		start := time.Now()
		if _, err := stack.Up(context.Background()); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		state, err := stack.Export(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		return elapsed, len(state.Deployment)
	}
	var rounds benchpair.Rounds
	var componentState, baselineState int
	for i := range b.N {
		var c, d time.Duration
		if i%2 == 0 { // alternate which goes first, as benchpair.Rounds.Run does
			c, componentState = up(registry, fmt.Sprintf("bench-registry-%d", i))
			d, baselineState = up(direct, fmt.Sprintf("bench-direct-%d", i))
		} else {
			d, baselineState = up(direct, fmt.Sprintf("bench-direct-%d", i))
			c, componentState = up(registry, fmt.Sprintf("bench-registry-%d", i))
		}
		rounds.Add(benchpair.Sample{Elapsed: c}, benchpair.Sample{Elapsed: d})
	}
	rounds.Report(b, "x-direct")
	b.ReportMetric(float64(componentState)/float64(baselineState), "x-state")
	b.ReportMetric(float64(componentState)/n, "state-bytes/repo")
	b.ReportMetric(float64(baselineState)/n, "state-bytes/repo-direct")
}
