package provider

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
)

// RegistryToken is the component's type token. It is spelled out rather than
// derived because under pulumi.WithMocks the provider cannot supply it.
const RegistryToken = "ecrrepos:index:Registry"

// RegistryArgs is everything a platform team declares about its ECR repositories.
type RegistryArgs struct {
	Repositories map[string]RepositoryArgs `pulumi:"repositories,optional"`
	Defaults     *RepositoryArgs           `pulumi:"defaults,optional"`
	Tags         pulumi.StringMapInput     `pulumi:"tags,optional"`
}

// Annotate documents the arguments for the schema and the SDKs.
func (a *RegistryArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Repositories, "The ECR repositories to manage, keyed by repository name (for example `team/api`). "+
		"The key is the ECR repository name: renaming a key replaces that repository. Keys must be known when the program runs (they decide which resources exist).")
	an.Describe(&a.Defaults, "Settings applied to every repository. A field set on a repository overrides the default field by field; "+
		"`tags` are merged (registry `tags` < `defaults.tags` < repository `tags`).")
	an.Describe(&a.Tags, "Tags for every resource the component creates. Merged with `defaults.tags` and each repository's `tags`; the most specific value wins. "+
		"Values may be outputs (including secrets).")
}

// Registry is the ecrrepos:index:Registry component.
type Registry struct {
	pulumi.ResourceState

	RepositoryNames pulumi.StringMapOutput `pulumi:"repositoryNames"`
	RepositoryArns  pulumi.StringMapOutput `pulumi:"repositoryArns"`
	RepositoryUrls  pulumi.StringMapOutput `pulumi:"repositoryUrls"`
	RegistryId      pulumi.StringOutput    `pulumi:"registryId"`
	RegistryUrl     pulumi.StringOutput    `pulumi:"registryUrl"`

	RepositoryPolicies pulumi.StringMapOutput   `pulumi:"repositoryPolicies"`
	PullActions        pulumi.StringArrayOutput `pulumi:"pullActions"`
	PushActions        pulumi.StringArrayOutput `pulumi:"pushActions"`
	PullPolicyJson     pulumi.StringOutput      `pulumi:"pullPolicyJson"`
	PushPolicyJson     pulumi.StringOutput      `pulumi:"pushPolicyJson"`

	LifecyclePolicies pulumi.StringMapOutput `pulumi:"lifecyclePolicies"`
}

// Annotate documents the component and its outputs.
func (r *Registry) Annotate(a infer.Annotator) {
	a.SetToken("index", "Registry")
	a.Describe(r, "A set of Amazon ECR repositories declared as one resource: per-repository settings with registry-wide defaults, "+
		"validated before anything is created.")
	a.Describe(&r.RepositoryNames, "Repository names, keyed like `repositories`. Depends on the repositories, so consumers wait for them to exist.")
	a.Describe(&r.RepositoryArns, "Repository ARNs, keyed like `repositories`.")
	a.Describe(&r.RepositoryUrls, "Repository URLs (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`), keyed like `repositories`.")
	a.Describe(&r.RegistryId, "The registry ID: the AWS account ID that owns the repositories.")
	a.Describe(&r.RegistryUrl, "The registry host name, `<account>.dkr.ecr.<region>.amazonaws.com`, to use with `docker login`.")
	a.Describe(&r.RepositoryPolicies, "The repository policy JSON applied to each repository that has access settings, keyed like `repositories` "+
		"(canonical: the same settings always give the same text).")
	a.Describe(&r.LifecyclePolicies, "The lifecycle policy JSON applied to each repository that has one, keyed like `repositories` "+
		"(canonical: rules sorted by priority). Preview it offline with `previewLifecyclePolicy`.")
	a.Describe(&r.PullActions, "The ECR actions a pull grant allows.")
	a.Describe(&r.PushActions, "The ECR actions a push grant allows (pull actions included).")
	a.Describe(&r.PullPolicyJson, "An IAM identity policy granting pull on every repository of this registry plus `ecr:GetAuthorizationToken`; attach it to a role.")
	a.Describe(&r.PushPolicyJson, "An IAM identity policy granting push and pull on every repository of this registry plus `ecr:GetAuthorizationToken`.")
}

// NewRegistry validates args and registers the component and its children.
// Nothing is registered when the arguments are invalid.
func NewRegistry(ctx *pulumi.Context, name string, args RegistryArgs, opts ...pulumi.ResourceOption) (*Registry, error) {
	repos, problems := resolveRepositories(args)
	if err := problems.Err(fmt.Sprintf("arguments for Registry %q", name)); err != nil {
		return nil, err
	}

	comp := &Registry{}
	if err := ctx.RegisterComponentResource(RegistryToken, name, comp, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(comp)

	identity := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}, parent)
	region := aws.GetRegionOutput(ctx, aws.GetRegionOutputArgs{}, parent)
	partition := aws.GetPartitionOutput(ctx, aws.GetPartitionOutputArgs{}, parent)
	comp.RegistryId = identity.AccountId()
	comp.RegistryUrl = pulumi.Sprintf("%s.dkr.ecr.%s.%s", identity.AccountId(), region.Name(), partition.DnsSuffix())

	names, arns, urls := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
	policies, lifecyclePolicies := pulumi.StringMap{}, pulumi.StringMap{}
	allArns := pulumi.StringArray{}
	for _, repo := range repos {
		created, guardedName, err := registerRepository(ctx, name, repo, parent)
		if err != nil {
			return nil, err
		}
		names[repo.name] = guardedName
		arns[repo.name] = created.Arn
		urls[repo.name] = created.RepositoryUrl
		allArns = append(allArns, created.Arn)
		if repo.lifecycle != nil {
			document, err := registerLifecyclePolicy(ctx, name, repo, guardedName, append(repo.childOptions(), parent)...)
			if err != nil {
				return nil, err
			}
			lifecyclePolicies[repo.name] = pulumi.String(document)
		}
		if repo.access.wanted() {
			document, err := registerRepositoryPolicy(ctx, name, repo, guardedName, partition.Partition(), append(repo.childOptions(), parent)...)
			if err != nil {
				return nil, err
			}
			policies[repo.name] = document
		}
	}
	comp.RepositoryNames = names.ToStringMapOutput()
	comp.RepositoryArns = arns.ToStringMapOutput()
	comp.RepositoryUrls = urls.ToStringMapOutput()
	comp.RepositoryPolicies = policies.ToStringMapOutput()
	comp.LifecyclePolicies = lifecyclePolicies.ToStringMapOutput()
	comp.PullActions = pulumi.ToStringArray(policy.PullActions).ToStringArrayOutput()
	comp.PushActions = pulumi.ToStringArray(policy.PushActions).ToStringArrayOutput()
	comp.PullPolicyJson, comp.PushPolicyJson = identityPolicies(allArns)
	return comp, nil
}

// sortedKeys gives map keys in a stable order so that the same arguments always
// register the same resources in the same order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
