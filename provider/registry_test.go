package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegistryOutputs(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("team/api", RepositoryArgs{})}).ok(t)
	assert.Equal(t, map[string]string{"team/api": "team/api"}, r.stringMap("repositoryNames"))
	assert.Equal(t, map[string]string{"team/api": "arn:aws:ecr:eu-west-1:123456789012:repository/team/api"}, r.stringMap("repositoryArns"))
	assert.Equal(t, map[string]string{"team/api": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api"}, r.stringMap("repositoryUrls"))
	assert.Equal(t, testAccount, r.outputs["registryId"])
	assert.Equal(t, "123456789012.dkr.ecr.eu-west-1.amazonaws.com", r.outputs["registryUrl"])
	assert.Equal(t, RepositoryInfo{
		Name: "team/api", Arn: "arn:aws:ecr:eu-west-1:123456789012:repository/team/api", Url: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api",
		RegistryId: testAccount, LifecyclePolicy: r.one(t, lifecycleType, "main/team/api").input("policy").AsString(),
	}, r.info("team/api"), "the repository as one object; no access settings, no repository policy")
}

// The resolver's rules are table-tested in internal/config; these cases show
// that NewRegistry refuses what it refuses before registering anything, with
// every problem in one message.
func TestInvalidArgumentsRegisterNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args RegistryArgs
		want []string
	}{
		{"every problem at once", RegistryArgs{
			Defaults: &RepositoryArgs{EncryptionType: ptr(EncryptionType("kms"))},
			Repositories: map[string]RepositoryArgs{
				"ok-repo": {},
				"Bad":     {ImageTagMutability: ptr(ImageTagMutability("mutable"))},
			},
		}, []string{
			`invalid arguments for Registry "main" (3 problems)`,
			`defaults.encryptionType: must be AES256 or KMS, got "kms"`,
			`repositories["Bad"]: repository name "Bad" must be lowercase`,
			`repositories["Bad"].imageTagMutability: must be MUTABLE or IMMUTABLE, got "mutable"`,
		}},
		{"access", RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{PullAccountIds: strs("1234")}})},
			[]string{`repositories["api"].access.pullAccountIds[0]: must be a 12-digit AWS account ID, got "1234"`}},
		{"lifecycle", RegistryArgs{Repositories: repos("api", RepositoryArgs{Lifecycle: &LifecycleArgs{Template: ptr(LifecycleTemplate("prod"))}})},
			[]string{`repositories["api"].lifecycle.template`}},
		{"tags", RegistryArgs{Tags: pulumi.StringMap{"aws:x": pulumi.String("y")}, Repositories: repos("api", RepositoryArgs{})},
			[]string{`tags["aws:x"]: tag keys must not start with the reserved prefix`}},
		{"both spellings of any-account pull disagree", RegistryArgs{Repositories: repos("api", RepositoryArgs{Access: &AccessArgs{
			AllowAnyAwsAccountPull: ptr(true), AllowPublicPull: ptr(false),
		}})}, []string{`repositories["api"].access.allowPublicPull: is the deprecated name of allowAnyAwsAccountPull and says the opposite`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			run(t, tc.args).rejected(t, tc.want...)
		})
	}
}

// Problems that need the account, region or partition are found once the
// aws provider has answered: the component is registered, no AWS resource is.
func TestEnvironmentDependentProblemsCreateNoAwsResource(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{
		EncryptionType: ptr(EncryptionTypeKMS),
		KmsKeyArn:      pulumi.String("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
	})})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `repositories["api"].kmsKeyArn: must be a key in the repository's region eu-west-1`)
	assert.Equal(t, []string{registryType + "::main"}, r.names())
}

// A bad value that arrives as an output fails before any AWS resource of the
// registry is created, with the same path and wording as a known value: the
// component is registered, no repository is.
func TestInvalidOutputValueCreatesNoRepository(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"api": {Access: &AccessArgs{PullAccountIds: pulumi.StringArray{later("12345")}}},
		"web": {},
	}})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `invalid arguments for Registry "main": repositories["api"].access.pullAccountIds[0]: must be a 12-digit AWS account ID, got "12345"`)
	assert.Equal(t, []string{registryType + "::main"}, r.names(), "the gate holds every AWS resource back")
}

func TestSameArgumentsRegisterTheSameResources(t *testing.T) {
	t.Parallel()
	args := RegistryArgs{Repositories: map[string]RepositoryArgs{
		"cc": {}, "aa/bb": {Access: &AccessArgs{PullAccountIds: strs("111111111111")}}, "bb": {},
	}}
	first, second := run(t, args).ok(t), run(t, args).ok(t)
	assert.ElementsMatch(t, first.names(), second.names())
	for _, res := range first.resources {
		other := second.one(t, res.Type, res.Name)
		assert.True(t, res.Inputs.Equals(other.Inputs), "%s %s", res.Type, res.Name)
	}
	assert.Contains(t, first.names(), repositoryTyp+"::main/aa/bb")
}

// Children are named <registry>/<repository>: two registries of one stack
// never share a name (apps + web-api against apps-web + api used to), and the
// names children had before keep existing stacks through aliases.
func TestChildNamesNeverCollideAcrossRegistries(t *testing.T) {
	t.Parallel()
	m := &mocks{existingEncryption: map[string]string{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		if _, err := NewRegistry(ctx, "apps", RegistryArgs{Repositories: repos("web-api", RepositoryArgs{})}); err != nil {
			return err
		}
		_, err := NewRegistry(ctx, "apps-web", RegistryArgs{Repositories: repos("api-x", RepositoryArgs{})})
		return err
	}, pulumi.WithMocks("project", "stack", m))
	require.NoError(t, err)
	names := result{resources: m.registered()}.ofType(repositoryTyp)
	assert.ElementsMatch(t, []string{"apps/web-api", "apps-web/api-x"}, names)

	r := run(t, RegistryArgs{Repositories: repos("team/api", RepositoryArgs{})}).ok(t)
	repo := r.one(t, repositoryTyp, "main/team/api")
	assert.Equal(t, []string{"urn:pulumi:stack::project::ecrrepos:index:Registry$aws:ecr/repository:Repository::main-team--api"}, repo.AliasURNs,
		"the URN before 0.1.0")
	assert.Equal(t, []string{"urn:pulumi:stack::project::ecrrepos:index:Registry$aws:ecr/lifecyclePolicy:LifecyclePolicy::main-team--api"},
		r.one(t, lifecycleType, "main/team/api").AliasURNs)
	assert.Equal(t, "main-team--api", legacyChildName("main", "team/api"))

	run(t, RegistryArgs{}, named("a/b")).rejected(t, `name: must not contain "/"`)
}

// The Go SDK sends the caller's whole stack with every registration and the
// engine keeps it in state; NewRegistry registers from a fresh goroutine so
// that each child carries only the provider's own few frames, however deep
// the caller is (under Construct: the gRPC server and go-provider).
func TestChildrenCarryShortStacks(t *testing.T) {
	t.Parallel()
	var deep func(n int) result
	deep = func(n int) result {
		if n == 0 {
			return run(t, RegistryArgs{Repositories: repos("team/api", RepositoryArgs{Access: &AccessArgs{PullAccountIds: strs("111111111111")}})}).ok(t)
		}
		return deep(n - 1)
	}
	r := deep(50)
	for _, typ := range []string{repositoryTyp, lifecycleType, policyType} {
		child := r.one(t, typ, "main/team/api")
		assert.Positive(t, child.StackFrames, "%s: the SDK sends a stack", typ)
		assert.LessOrEqual(t, child.StackFrames, 8, "%s: not the 50 frames of its caller", typ)
	}
}
