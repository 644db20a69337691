package tests

import (
	"context"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
)

// registrySpec is the part of the program each step of the scenario changes.
type registrySpec struct {
	apiScanOnPush   bool
	apiTags         map[string]string
	apiPullAccounts []string
	apiLifecycle    *ecrrepos.LifecycleArgs
	webEncryption   ecrrepos.EncryptionType
	webReplace      bool
	withTools       bool
}

// previewPolicy and previewImages are the lifecycle preview every language's
// program asks the provider for: rule 1 keeps the newest release, rule 2 keeps
// the newest two images overall but may not expire releases rule 1 selected.
const previewPolicy = `{"rules":[` +
	`{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["release"],"countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},` +
	`{"rulePriority":2,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":2},"action":{"type":"expire"}}]}`

var previewImages = []ecrrepos.LifecycleImage{
	{Digest: "release-new", Tags: []string{"release-2"}, PushedAt: "2024-05-31T00:00:00Z"},
	{Digest: "release-old", Tags: []string{"release-1"}, PushedAt: "2024-05-22T00:00:00Z"},
	{Digest: "dev-new", Tags: []string{"dev-3"}, PushedAt: "2024-05-30T00:00:00Z"},
	{Digest: "dev-old", Tags: []string{"dev-1"}, PushedAt: "2024-05-12T00:00:00Z"},
	{Digest: "untagged", PushedAt: "2024-05-02T00:00:00Z"},
}

// ciRoleTrust lets EC2 assume the example role; its content does not matter here.
const ciRoleTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func (s registrySpec) program() pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		apiTags := pulumi.StringMap{}
		for k, v := range s.apiTags {
			apiTags[k] = pulumi.String(v)
		}
		// A role created in the same program: its ARN is unknown until it exists.
		role, err := iam.NewRole(ctx, "ci", &iam.RoleArgs{Name: pulumi.String("ci-puller"), AssumeRolePolicy: pulumi.String(ciRoleTrust)})
		if err != nil {
			return err
		}
		repos := ecrrepos.RepositoryMap{
			"team/api": &ecrrepos.RepositoryArgs{
				ScanOnPush: pulumi.Bool(s.apiScanOnPush),
				Tags:       apiTags,
				Access: &ecrrepos.AccessArgs{
					PullPrincipalArns: pulumi.StringArray{role.Arn},
					PullAccountIds:    pulumi.ToStringArray(s.apiPullAccounts),
					PushAccountIds:    pulumi.StringArray{pulumi.String("210987654321")},
				},
				Lifecycle: s.apiLifecycle,
			},
			// A secret tag value must reach AWS and stay secret in state.
			"team/web": &ecrrepos.RepositoryArgs{
				Tags:           pulumi.StringMap{"owner": pulumi.ToSecret(pulumi.String("web-team")).(pulumi.StringOutput)},
				EncryptionType: s.webEncryption,
				AllowReplace:   pulumi.Bool(s.webReplace),
			},
		}
		if s.withTools {
			repos["tools/ci"] = &ecrrepos.RepositoryArgs{ImageTagMutability: ecrrepos.ImageTagMutabilityMutable}
			// Kept in AWS when it leaves the program.
			repos["tools/cache"] = &ecrrepos.RepositoryArgs{RetainOnDelete: pulumi.Bool(true)}
		}
		reg, err := ecrrepos.NewRegistry(ctx, "main", &ecrrepos.RegistryArgs{
			Tags:         pulumi.StringMap{"owner": pulumi.String("platform")},
			Defaults:     &ecrrepos.RepositoryArgs{Tags: pulumi.StringMap{"env": pulumi.String("test")}},
			Repositories: repos,
		})
		if err != nil {
			return err
		}
		ctx.Export("repositoryUrls", reg.RepositoryUrls)
		ctx.Export("repositoryArns", reg.RepositoryArns)
		ctx.Export("registryUrl", reg.RegistryUrl)
		ctx.Export("registryId", reg.RegistryId)
		ctx.Export("repositoryPolicies", reg.RepositoryPolicies)
		ctx.Export("pullPolicyJson", reg.PullPolicyJson)
		ctx.Export("lifecyclePolicies", reg.LifecyclePolicies)

		// The offline lifecycle simulator, invoked through the engine.
		now := "2024-06-01T00:00:00Z"
		preview, err := ecrrepos.PreviewLifecyclePolicy(ctx, &ecrrepos.PreviewLifecyclePolicyArgs{Policy: previewPolicy, Images: previewImages, Now: &now})
		if err != nil {
			return err
		}
		var expired []string
		for _, e := range preview.Expired {
			expired = append(expired, fmt.Sprintf("%s@%d", e.Digest, e.RulePriority))
		}
		ctx.Export("previewExpired", pulumi.ToStringArray(expired))
		ctx.Export("previewRetained", pulumi.ToStringArray(preview.Retained))
		return nil
	}
}

// newGoStack makes a stack for an inline Go program on a local file backend,
// with the provider and the aws test double loaded from the build.
func newGoStack(t *testing.T, env e2eEnv, world awsWorld, program pulumi.RunFunc) auto.Stack {
	t.Helper()
	ctx := context.Background()
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: env.cliRoot, SkipVersionCheck: true})
	require.NoError(t, err)
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", "ecrrepos-e2e-go", program,
		auto.Pulumi(cli),
		auto.PulumiHome(t.TempDir()),
		auto.Project(workspace.Project{
			Name:    "ecrrepos-e2e-go",
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Plugins: &workspace.Plugins{Providers: []workspace.PluginOptions{
				{Name: "ecrrepos", Path: env.providerDir},
				{Name: "aws", Path: env.fakeAwsDir},
			}},
		}),
		auto.EnvVars(map[string]string{
			"PULUMI_BACKEND_URL":       "file://" + t.TempDir(),
			"PULUMI_CONFIG_PASSPHRASE": "e2e-passphrase",
			"PULUMI_SKIP_UPDATE_CHECK": "true",
			"FAKEAWS_STATE_DIR":        world.dir,
			"AWS_REGION":               "us-east-1",
		}),
	)
	require.NoError(t, err)
	return stack
}

func TestEndToEndGo(t *testing.T) {
	env := locateBuild(t)
	ctx := context.Background()
	world := awsWorld{dir: t.TempDir()}
	spec := registrySpec{apiScanOnPush: true, apiTags: map[string]string{"team": "api"}, webEncryption: ecrrepos.EncryptionTypeAES256, withTools: true}
	stack := newGoStack(t, env, world, spec.program())

	// up creates the repositories and the outputs.
	up, err := stack.Up(ctx)
	require.NoError(t, err, "up")
	urls := up.Outputs["repositoryUrls"].Value.(map[string]any)
	assert.Equal(t, map[string]any{
		"team/api":    "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api",
		"team/web":    "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web",
		"tools/ci":    "123456789012.dkr.ecr.us-east-1.amazonaws.com/tools/ci",
		"tools/cache": "123456789012.dkr.ecr.us-east-1.amazonaws.com/tools/cache",
	}, urls)
	assert.Equal(t, "arn:aws:ecr:us-east-1:123456789012:repository/team/api", up.Outputs["repositoryArns"].Value.(map[string]any)["team/api"])
	assert.Equal(t, "123456789012.dkr.ecr.us-east-1.amazonaws.com", up.Outputs["registryUrl"].Value)
	assert.Equal(t, "123456789012", up.Outputs["registryId"].Value)

	repos := world.repositories(t)
	require.Len(t, repos, 4)
	assert.Equal(t, "IMMUTABLE", repos["team/api"].ImageTagMutability)
	assert.Equal(t, "MUTABLE", repos["tools/ci"].ImageTagMutability)
	assert.True(t, repos["team/api"].ScanOnPush)
	assert.Equal(t, "AES256", repos["team/api"].EncryptionType)
	assert.Equal(t, map[string]string{"owner": "platform", "env": "test", "team": "api"}, repos["team/api"].Tags)
	assert.Equal(t, map[string]string{"owner": "web-team", "env": "test"}, repos["team/web"].Tags)

	// The role's ARN reached the repository policy, applied after the role existed.
	policies := up.Outputs["repositoryPolicies"].Value.(map[string]any)
	require.Len(t, policies, 1, "only team/api has access settings")
	require.NotNil(t, repos["team/api"].RepositoryPolicy)
	assert.JSONEq(t, policies["team/api"].(string), *repos["team/api"].RepositoryPolicy)
	assert.Contains(t, *repos["team/api"].RepositoryPolicy, `"arn:aws:iam::123456789012:role/ci-puller"`)
	assert.Contains(t, *repos["team/api"].RepositoryPolicy, `"arn:aws:iam::210987654321:root"`)
	assert.Nil(t, repos["team/web"].RepositoryPolicy)
	assert.Contains(t, up.Outputs["pullPolicyJson"].Value, "ecr:GetAuthorizationToken")

	// Every repository got the default lifecycle policy (untagged images expire
	// after 14 days), and the simulator answered through the engine.
	lifecycles := up.Outputs["lifecyclePolicies"].Value.(map[string]any)
	require.Len(t, lifecycles, 4)
	require.NotNil(t, repos["team/web"].LifecyclePolicy)
	assert.JSONEq(t, lifecycles["team/web"].(string), *repos["team/web"].LifecyclePolicy)
	assert.Contains(t, *repos["team/web"].LifecyclePolicy, `"countNumber":14`)
	assert.Equal(t, []any{"untagged@2", "dev-old@2", "release-old@1"}, up.Outputs["previewExpired"].Value)
	assert.Equal(t, []any{"release-new", "dev-new"}, up.Outputs["previewRetained"].Value)

	// A second preview of the same program shows no changes.
	preview, err := stack.Preview(ctx)
	require.NoError(t, err, "preview")
	assert.Equal(t, map[apitype.OpType]int{apitype.OpSame: preview.ChangeSummary[apitype.OpSame]}, preview.ChangeSummary)

	// Changing scanOnPush and tags updates the repository in place.
	mark := len(world.journal(t))
	spec.apiScanOnPush = false
	spec.apiTags = map[string]string{"team": "api", "tier": "gold"}
	stack.Workspace().SetProgram(spec.program())
	_, err = stack.Up(ctx)
	require.NoError(t, err, "up after changing scanOnPush and tags")
	assert.Equal(t, []string{"update aws:ecr/repository:Repository team/api"}, world.since(t, mark))
	assert.False(t, world.repositories(t)["team/api"].ScanOnPush)
	assert.Equal(t, "gold", world.repositories(t)["team/api"].Tags["tier"])

	// Changing an access list updates only the repository policy.
	mark = len(world.journal(t))
	spec.apiPullAccounts = []string{"111111111111"}
	stack.Workspace().SetProgram(spec.program())
	_, err = stack.Up(ctx)
	require.NoError(t, err, "up after changing pullAccountIds")
	assert.Equal(t, []string{"update aws:ecr/repositoryPolicy:RepositoryPolicy team/api"}, world.since(t, mark))
	assert.Contains(t, *world.repositories(t)["team/api"].RepositoryPolicy, `"arn:aws:iam::111111111111:root"`)

	// Changing lifecycle rules replaces only the LifecyclePolicy (as pulumi-aws
	// declares it, deleting first); the repository is untouched.
	mark = len(world.journal(t))
	spec.apiLifecycle = &ecrrepos.LifecycleArgs{KeepLatest: pulumi.Int(30), ExpireUntaggedAfterDays: pulumi.Int(7)}
	stack.Workspace().SetProgram(spec.program())
	up, err = stack.Up(ctx)
	require.NoError(t, err, "up after changing lifecycle rules")
	assert.Equal(t, []string{
		"delete aws:ecr/lifecyclePolicy:LifecyclePolicy team/api",
		"create aws:ecr/lifecyclePolicy:LifecyclePolicy team/api",
	}, world.since(t, mark))
	applied := *world.repositories(t)["team/api"].LifecyclePolicy
	assert.JSONEq(t, up.Outputs["lifecyclePolicies"].Value.(map[string]any)["team/api"].(string), applied)
	assert.Contains(t, applied, `"countNumber":30`)

	// ECR cannot change a repository's encryption: without allowReplace the
	// change fails with the reason and nothing is deleted.
	mark = len(world.journal(t))
	spec.webEncryption = ecrrepos.EncryptionTypeKMS
	stack.Workspace().SetProgram(spec.program())
	_, err = stack.Preview(ctx)
	require.Error(t, err, "the preview already explains it")
	assert.Contains(t, err.Error(), `repositories["team/web"].encryptionType: ECR cannot change the encryption of an existing repository`)
	_, err = stack.Up(ctx)
	require.Error(t, err, "an encryption change must not replace the repository silently")
	assert.Contains(t, err.Error(), `repositories["team/web"].encryptionType: ECR cannot change the encryption of an existing repository`)
	assert.NotContains(t, world.since(t, mark), "delete aws:ecr/repository:Repository team/web")
	assert.Equal(t, "AES256", world.repositories(t)["team/web"].EncryptionType)

	// With allowReplace the repository is deleted first and created again,
	// and its lifecycle policy comes back with it.
	mark = len(world.journal(t))
	spec.webReplace = true
	stack.Workspace().SetProgram(spec.program())
	_, err = stack.Up(ctx)
	require.NoError(t, err, "up with allowReplace")
	ops := world.since(t, mark)
	assert.Contains(t, ops, "delete aws:ecr/repository:Repository team/web")
	assert.Contains(t, ops, "create aws:ecr/repository:Repository team/web")
	assert.Less(t, indexOf(ops, "delete aws:ecr/repository:Repository team/web"), indexOf(ops, "create aws:ecr/repository:Repository team/web"))
	web := world.repositories(t)["team/web"]
	assert.Equal(t, "KMS", web.EncryptionType)
	assert.NotNil(t, web.LifecyclePolicy, "the lifecycle policy is recreated with the repository: %v", ops)
	preview, err = stack.Preview(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[apitype.OpType]int{apitype.OpSame: preview.ChangeSummary[apitype.OpSame]}, preview.ChangeSummary, "settled after the replacement")

	// Removing one key deletes only that repository's resources.
	mark = len(world.journal(t))
	spec.withTools = false
	stack.Workspace().SetProgram(spec.program())
	_, err = stack.Up(ctx)
	require.NoError(t, err, "up after removing tools/ci")
	assert.Equal(t, []string{
		"delete aws:ecr/lifecyclePolicy:LifecyclePolicy tools/ci",
		"delete aws:ecr/repository:Repository tools/ci",
	}, world.since(t, mark))
	assert.ElementsMatch(t, []string{"team/api", "team/web", "tools/cache"}, keys(world.repositories(t)),
		"tools/cache has retainOnDelete: it stays in the account, unmanaged")

	// destroy leaves nothing, in the stack or in the account.
	_, err = stack.Destroy(ctx)
	require.NoError(t, err, "destroy")
	assert.Equal(t, []string{"tools/cache"}, keys(world.repositories(t)), "only the retained repository is left")
	assert.Empty(t, world.roles(t))
	deployment, err := stack.Export(ctx)
	require.NoError(t, err)
	assert.NotContains(t, string(deployment.Deployment), "aws:ecr/repository:Repository")
}

func indexOf(xs []string, x string) int {
	for i, e := range xs {
		if e == x {
			return i
		}
	}
	return -1
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
