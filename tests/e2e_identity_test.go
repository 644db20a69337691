package tests

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// Identity: what the engine sees of the Registry's children over time —
// adopting repositories that exist, moving from an older naming scheme,
// renaming a Registry, and refusing an output where a plain value is needed.

// A team with repositories made by hand brings them under a Registry with
// importExisting: nothing is created or deleted in AWS, the images stay.
func TestAdoptExistingRepositoriesGo(t *testing.T) {
	env := locateBuild(t)
	ctx := context.Background()
	aws := awsWorld{dir: t.TempDir()}
	require.NoError(t, world.Seed(aws.dir, func(w *world.World) {
		for _, name := range []string{"legacy/app", "legacy/worker"} {
			w.Region(region).Repositories[name] = &world.Repository{ImageTagMutability: "MUTABLE", Tags: map[string]string{"owner": "legacy"}}
		}
	}))
	scanOnPush := false
	program := func(ctx *pulumi.Context) error {
		mutable := ecrrepos.ImageTagMutabilityMutable
		_, err := ecrrepos.NewRegistry(ctx, "adopted", &ecrrepos.RegistryArgs{
			Defaults: &ecrrepos.RepositoryArgs{
				ImportExisting:     pulumi.BoolRef(true),
				ImageTagMutability: &mutable,
				ScanOnPush:         &scanOnPush,
				Tags:               pulumi.StringMap{"owner": pulumi.String("legacy")},
			},
			Repositories: map[string]ecrrepos.RepositoryArgs{"legacy/app": {}, "legacy/worker": {}},
		})
		return err
	}
	stack := newGoStack(t, env, aws, "ecrrepos-e2e-adopt", program)

	step(t, "up imports the repositories instead of creating them", func(t *testing.T) {
		up, err := stack.Up(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, (*up.Summary.ResourceChanges)["import"])
		for _, op := range aws.since(t, 0) {
			assert.NotContains(t, op, "aws:ecr/repository:Repository", "no repository is created or deleted: %v", aws.since(t, 0))
		}
		assert.Contains(t, aws.since(t, 0), "create aws:ecr/lifecyclePolicy:LifecyclePolicy legacy/app", "the declared lifecycle policy is put")
	})
	step(t, "a second preview shows no changes", func(t *testing.T) { noChanges(t, stack) })
	step(t, "after the import, settings change in place", func(t *testing.T) {
		scanOnPush = true
		_, did := upWith(t, stack, aws, program)
		assert.ElementsMatch(t, []string{
			"update aws:ecr/repository:Repository legacy/app", "update aws:ecr/repository:Repository legacy/worker",
		}, did)
	})
}

// A stack deployed when children were named <registry>-<repository> (with
// "/" as "--") moves to <registry>/<repository> without replacing anything.
// The old program registers the component and its children locally, under
// the same types and names the provider used to give them.
func TestOlderChildNamesMoveWithoutReplacementGo(t *testing.T) {
	env := locateBuild(t)
	ctx := context.Background()
	aws := awsWorld{dir: t.TempDir()}
	old := func(ctx *pulumi.Context) error {
		var comp pulumi.ResourceState
		if err := ctx.RegisterComponentResource("ecrrepos:index:Registry", "main", &comp); err != nil {
			return err
		}
		_, err := ecr.NewRepository(ctx, "main-team--api", &ecr.RepositoryArgs{
			Name: pulumi.String("team/api"), ImageTagMutability: pulumi.String("IMMUTABLE"), ForceDelete: pulumi.Bool(false),
			ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(true)},
			EncryptionConfigurations:   ecr.RepositoryEncryptionConfigurationArray{&ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String("AES256")}},
		}, pulumi.Parent(&comp))
		return err
	}
	stack := newGoStack(t, env, aws, "ecrrepos-e2e-names", old)
	_, err := stack.Up(ctx)
	require.NoError(t, err)

	movesWithoutChanges(t, stack, aws, func(ctx *pulumi.Context) error {
		_, err := ecrrepos.NewRegistry(ctx, "main", &ecrrepos.RegistryArgs{
			Repositories: map[string]ecrrepos.RepositoryArgs{"team/api": {Lifecycle: &ecrrepos.LifecycleArgs{Disabled: pulumi.BoolRef(true)}}},
		})
		return err
	})
}

// Renaming a Registry with an alias moves it and its children: nothing is
// replaced.
func TestRenamingARegistryWithAnAliasReplacesNothingGo(t *testing.T) {
	env := locateBuild(t)
	ctx := context.Background()
	aws := awsWorld{dir: t.TempDir()}
	program := func(name string, opts ...pulumi.ResourceOption) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			_, err := ecrrepos.NewRegistry(ctx, name, &ecrrepos.RegistryArgs{
				Repositories: map[string]ecrrepos.RepositoryArgs{"team/api": {Access: &ecrrepos.AccessArgs{PullAccountIds: pulumi.ToStringArray([]string{"111111111111"})}}},
			}, opts...)
			return err
		}
	}
	stack := newGoStack(t, env, aws, "ecrrepos-e2e-rename", program("platform"))
	_, err := stack.Up(ctx)
	require.NoError(t, err)

	movesWithoutChanges(t, stack, aws, program("main", pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String("platform")}})))
}

// An output where the Registry needs a plain value fails with the field's
// path instead of go-provider's internal copy error. The typed SDKs refuse it
// at compile time; an untyped program (or a cast) reaches the provider.
func TestOutputForAPlainArgumentNamesTheFieldGo(t *testing.T) {
	env := locateBuild(t)
	aws := awsWorld{dir: t.TempDir()}
	stack := newGoStack(t, env, aws, "ecrrepos-e2e-plain", func(ctx *pulumi.Context) error {
		var reg pulumi.ResourceState
		scan := pulumi.ToSecret(pulumi.Bool(false))
		return ctx.RegisterRemoteComponentResource("ecrrepos:index:Registry", "main", pulumi.Map{
			"repositories": pulumi.Map{"api": pulumi.Map{"scanOnPush": scan}},
		}, &reg)
	})
	_, err := stack.Preview(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `repositories["api"].scanOnPush: must be a plain value the Registry knows when it is constructed`)
	assert.NotContains(t, err.Error(), "failed to copy inputs")
}
