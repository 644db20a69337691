package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
	"github.com/ecrrepos/pulumi-ecrrepos/tests/fakeaws/world"
)

// region is where the end-to-end stacks deploy (AWS_REGION of the test double).
const region = "us-east-1"

// registrySpec is the part of the program each step of the scenario changes.
type registrySpec struct {
	apiScanOnPush   bool
	apiTags         map[string]string
	apiPullAccounts []string
	apiLifecycle    *ecrrepos.LifecycleArgs
	webEncryption   ecrrepos.EncryptionType
	webReplace      bool
	withTools       bool

	preview   lifecyclePreview // testdata/lifecycle-preview.json
	roleTrust string           // testdata/role-trust-policy.json
}

func (s registrySpec) program() pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		apiTags := pulumi.StringMap{}
		for k, v := range s.apiTags {
			apiTags[k] = pulumi.String(v)
		}
		// A role created in the same program: its ARN is unknown until it exists.
		role, err := iam.NewRole(ctx, "ci", &iam.RoleArgs{Name: pulumi.String("ci-puller"), AssumeRolePolicy: pulumi.String(s.roleTrust)})
		if err != nil {
			return err
		}
		repos := map[string]ecrrepos.RepositoryArgs{
			"team/api": {
				ScanOnPush: pulumi.BoolRef(s.apiScanOnPush),
				Tags:       apiTags,
				Access: &ecrrepos.AccessArgs{
					PullPrincipalArns: pulumi.StringArray{role.Arn},
					PullAccountIds:    pulumi.ToStringArray(s.apiPullAccounts),
					PushAccountIds:    pulumi.StringArray{pulumi.String("210987654321")},
				},
				Lifecycle: s.apiLifecycle,
			},
			// A secret tag value must reach AWS and stay secret in state.
			"team/web": {
				Tags:           pulumi.StringMap{"owner": pulumi.ToSecret(pulumi.String("web-team")).(pulumi.StringOutput)},
				EncryptionType: &s.webEncryption,
				AllowReplace:   pulumi.BoolRef(s.webReplace),
			},
		}
		if s.withTools {
			mutable := ecrrepos.ImageTagMutabilityMutable
			repos["tools/ci"] = ecrrepos.RepositoryArgs{ImageTagMutability: &mutable}
			// Kept in AWS when it leaves the program.
			repos["tools/cache"] = ecrrepos.RepositoryArgs{RetainOnDelete: pulumi.BoolRef(true)}
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
		ctx.Export("pullPolicyJson", reg.PullPolicyJson)
		// The applied policies, from the per-repository output objects.
		ctx.Export("repositoryPolicies", reg.Repositories.ApplyT(func(rs map[string]ecrrepos.RepositoryInfo) map[string]string {
			return policiesOf(rs, func(r ecrrepos.RepositoryInfo) string { return r.RepositoryPolicy })
		}))
		ctx.Export("lifecyclePolicies", reg.Repositories.ApplyT(func(rs map[string]ecrrepos.RepositoryInfo) map[string]string {
			return policiesOf(rs, func(r ecrrepos.RepositoryInfo) string { return r.LifecyclePolicy })
		}))

		// The offline lifecycle simulator, invoked through the engine.
		var images []ecrrepos.LifecycleImage
		if err := json.Unmarshal(s.preview.Images, &images); err != nil {
			return err
		}
		preview, err := ecrrepos.PreviewLifecyclePolicy(ctx, &ecrrepos.PreviewLifecyclePolicyArgs{
			Policy: string(s.preview.Policy), Images: images, Now: &s.preview.Now})
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

// policiesOf picks one non-empty policy per repository.
func policiesOf(rs map[string]ecrrepos.RepositoryInfo, pick func(ecrrepos.RepositoryInfo) string) map[string]string {
	out := map[string]string{}
	for k, r := range rs {
		if p := pick(r); p != "" {
			out[k] = p
		}
	}
	return out
}

// newGoStack makes a stack for an inline Go program on a local file backend,
// with the provider and the aws test double loaded from the build.
func newGoStack(t testing.TB, env e2eEnv, aws awsWorld, project string, program pulumi.RunFunc) auto.Stack {
	t.Helper()
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: env.cliRoot, SkipVersionCheck: true})
	require.NoError(t, err)
	stack, err := auto.UpsertStackInlineSource(context.Background(), "dev", project, program,
		auto.Pulumi(cli),
		auto.PulumiHome(t.TempDir()),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(project),
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
			world.StateDirEnv:          aws.dir,
			"AWS_REGION":               region,
		}),
	)
	require.NoError(t, err)
	return stack
}

// step runs one named step of a scenario; the scenario stops at the first
// step that fails, since every later one builds on it.
func step(t *testing.T, name string, fn func(t *testing.T)) {
	t.Helper()
	if !t.Run(name, fn) {
		t.FailNow()
	}
}

func noChanges(t *testing.T, stack auto.Stack) {
	t.Helper()
	preview, err := stack.Preview(context.Background())
	require.NoError(t, err)
	assert.Equal(t, map[apitype.OpType]int{apitype.OpSame: preview.ChangeSummary[apitype.OpSame]}, preview.ChangeSummary)
}

// TestEndToEndGo runs the full scenario through the real engine, one step at a
// time over one stack.
func TestEndToEndGo(t *testing.T) {
	env := locateBuild(t)
	ctx := context.Background()
	aws := awsWorld{dir: t.TempDir()}
	spec := registrySpec{apiScanOnPush: true, apiTags: map[string]string{"team": "api"}, webEncryption: ecrrepos.EncryptionTypeAES256, withTools: true}
	testdata(t, "lifecycle-preview.json", &spec.preview)
	var trust json.RawMessage
	testdata(t, "role-trust-policy.json", &trust)
	spec.roleTrust = string(trust)
	stack := newGoStack(t, env, aws, "ecrrepos-e2e-go", spec.program())

	// apply runs up with the changed spec and returns what it did in AWS.
	apply := func(t *testing.T) (auto.UpResult, []string) {
		t.Helper()
		return upWith(t, stack, aws, spec.program())
	}
	var up auto.UpResult

	step(t, "up creates the repositories and the outputs", func(t *testing.T) {
		up, _ = apply(t)
		assert.Equal(t, map[string]any{
			"team/api":    "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api",
			"team/web":    "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web",
			"tools/ci":    "123456789012.dkr.ecr.us-east-1.amazonaws.com/tools/ci",
			"tools/cache": "123456789012.dkr.ecr.us-east-1.amazonaws.com/tools/cache",
		}, up.Outputs["repositoryUrls"].Value)
		assert.Equal(t, "arn:aws:ecr:us-east-1:123456789012:repository/team/api", up.Outputs["repositoryArns"].Value.(map[string]any)["team/api"])
		assert.Equal(t, "123456789012.dkr.ecr.us-east-1.amazonaws.com", up.Outputs["registryUrl"].Value)
		assert.Equal(t, "123456789012", up.Outputs["registryId"].Value)

		repos := aws.repositories(t, region)
		require.Len(t, repos, 4)
		assert.Equal(t, "IMMUTABLE", repos["team/api"].ImageTagMutability)
		assert.Equal(t, "MUTABLE", repos["tools/ci"].ImageTagMutability)
		assert.True(t, repos["team/api"].ScanOnPush())
		encryption, _ := repos["team/api"].Encryption()
		assert.Equal(t, "AES256", encryption)
		assert.Equal(t, map[string]string{"owner": "platform", "env": "test", "team": "api"}, repos["team/api"].Tags)
		assert.Equal(t, map[string]string{"owner": "web-team", "env": "test"}, repos["team/web"].Tags)
	})

	step(t, "the role's ARN reached the repository policy, applied after the role existed", func(t *testing.T) {
		repos := aws.repositories(t, region)
		policies := up.Outputs["repositoryPolicies"].Value.(map[string]any)
		require.Len(t, policies, 1, "only team/api has access settings")
		require.NotNil(t, repos["team/api"].RepositoryPolicy)
		assert.JSONEq(t, policies["team/api"].(string), *repos["team/api"].RepositoryPolicy)
		assert.Contains(t, *repos["team/api"].RepositoryPolicy, `"arn:aws:iam::123456789012:role/ci-puller"`)
		assert.Contains(t, *repos["team/api"].RepositoryPolicy, `"arn:aws:iam::210987654321:root"`)
		assert.Nil(t, repos["team/web"].RepositoryPolicy)
		assert.Contains(t, up.Outputs["pullPolicyJson"].Value, "ecr:GetAuthorizationToken")
	})

	step(t, "every repository has the default lifecycle policy and the simulator answers", func(t *testing.T) {
		repos := aws.repositories(t, region)
		lifecycles := up.Outputs["lifecyclePolicies"].Value.(map[string]any)
		require.Len(t, lifecycles, 4)
		require.NotNil(t, repos["team/web"].LifecyclePolicy)
		assert.JSONEq(t, lifecycles["team/web"].(string), *repos["team/web"].LifecyclePolicy)
		assert.Contains(t, *repos["team/web"].LifecyclePolicy, `"countNumber":14`, "untagged images expire after 14 days")
		assert.Equal(t, spec.preview.Expired, toStrings(up.Outputs["previewExpired"].Value))
		assert.Equal(t, spec.preview.Retained, toStrings(up.Outputs["previewRetained"].Value))
	})

	step(t, "a second preview shows no changes", func(t *testing.T) { noChanges(t, stack) })

	step(t, "scanOnPush and tags update the repository in place", func(t *testing.T) {
		spec.apiScanOnPush = false
		spec.apiTags = map[string]string{"team": "api", "tier": "gold"}
		_, ops := apply(t)
		assert.Equal(t, []string{"update aws:ecr/repository:Repository team/api"}, ops)
		assert.False(t, aws.repositories(t, region)["team/api"].ScanOnPush())
		assert.Equal(t, "gold", aws.repositories(t, region)["team/api"].Tags["tier"])
	})

	step(t, "an access list updates only the repository policy", func(t *testing.T) {
		spec.apiPullAccounts = []string{"111111111111"}
		_, ops := apply(t)
		assert.Equal(t, []string{"update aws:ecr/repositoryPolicy:RepositoryPolicy team/api"}, ops)
		assert.Contains(t, *aws.repositories(t, region)["team/api"].RepositoryPolicy, `"arn:aws:iam::111111111111:root"`)
	})

	step(t, "lifecycle rules replace only the lifecycle policy, deleting it first", func(t *testing.T) {
		spec.apiLifecycle = &ecrrepos.LifecycleArgs{KeepLatest: pulumi.IntRef(30), ExpireUntaggedAfterDays: pulumi.IntRef(7)}
		up, ops := apply(t)
		assert.Equal(t, []string{
			"delete aws:ecr/lifecyclePolicy:LifecyclePolicy team/api",
			"create aws:ecr/lifecyclePolicy:LifecyclePolicy team/api",
		}, ops, "as pulumi-aws declares it; the repository is untouched")
		applied := *aws.repositories(t, region)["team/api"].LifecyclePolicy
		assert.JSONEq(t, up.Outputs["lifecyclePolicies"].Value.(map[string]any)["team/api"].(string), applied)
		assert.Contains(t, applied, `"countNumber":30`)
	})

	const encryptionRefused = `repositories["team/web"].encryptionType: ECR cannot change the encryption of an existing repository`
	step(t, "an encryption change fails with the reason and deletes nothing", func(t *testing.T) {
		mark := len(aws.journal(t))
		spec.webEncryption = ecrrepos.EncryptionTypeKMS
		stack.Workspace().SetProgram(spec.program())
		_, err := stack.Preview(ctx)
		require.Error(t, err, "the preview already explains it")
		assert.Contains(t, err.Error(), encryptionRefused)
		_, err = stack.Up(ctx)
		require.Error(t, err, "an encryption change must not replace the repository silently")
		assert.Contains(t, err.Error(), encryptionRefused)
		assert.NotContains(t, aws.since(t, mark), "delete aws:ecr/repository:Repository team/web")
		encryption, _ := aws.repositories(t, region)["team/web"].Encryption()
		assert.Equal(t, "AES256", encryption)
	})

	step(t, "with allowReplace the repository is deleted first and created again with its lifecycle policy", func(t *testing.T) {
		spec.webReplace = true
		_, ops := apply(t)
		deleted := slices.Index(ops, "delete aws:ecr/repository:Repository team/web")
		created := slices.Index(ops, "create aws:ecr/repository:Repository team/web")
		require.True(t, deleted >= 0 && created >= 0, "%v", ops)
		assert.Less(t, deleted, created)
		web := aws.repositories(t, region)["team/web"]
		encryption, key := web.Encryption()
		assert.Equal(t, "KMS", encryption)
		assert.Equal(t, world.AWSManagedECRKey(region), key)
		assert.NotNil(t, web.LifecyclePolicy, "the lifecycle policy is recreated with the repository: %v", ops)
		noChanges(t, stack)
	})

	step(t, "removing a key deletes only that repository's resources", func(t *testing.T) {
		spec.withTools = false
		_, ops := apply(t)
		assert.Equal(t, []string{
			"delete aws:ecr/lifecyclePolicy:LifecyclePolicy tools/ci",
			"delete aws:ecr/repository:Repository tools/ci",
		}, ops)
		assert.Equal(t, []string{"team/api", "team/web", "tools/cache"}, world.Sorted(aws.repositories(t, region)),
			"tools/cache has retainOnDelete: it stays in the account, unmanaged")
	})

	step(t, "destroy leaves only the retained repository", func(t *testing.T) {
		_, err := stack.Destroy(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"tools/cache"}, world.Sorted(aws.repositories(t, region)))
		assert.Empty(t, aws.load(t).Roles)
		deployment, err := stack.Export(ctx)
		require.NoError(t, err)
		assert.NotContains(t, string(deployment.Deployment), "aws:ecr/repository:Repository")
	})
}

func toStrings(v any) []string {
	var out []string
	for _, e := range v.([]any) {
		out = append(out, e.(string))
	}
	return out
}
