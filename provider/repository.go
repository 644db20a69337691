package provider

import (
	"reflect"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// ImageTagMutability says whether a tag can be moved to another image.
type ImageTagMutability string

// The tag mutability settings pulumi-aws v6 supports.
const (
	ImageTagMutabilityMutable   ImageTagMutability = "MUTABLE"
	ImageTagMutabilityImmutable ImageTagMutability = "IMMUTABLE"
)

// TypeDescription describes the enum type in the schema.
func (ImageTagMutability) TypeDescription() string {
	return "Whether a pushed tag can later point to another image."
}

// Values lists the enum for the schema.
func (ImageTagMutability) Values() []infer.EnumValue[ImageTagMutability] {
	return []infer.EnumValue[ImageTagMutability]{
		{Name: "Mutable", Value: ImageTagMutabilityMutable, Description: "Tags can be overwritten by a later push."},
		{Name: "Immutable", Value: ImageTagMutabilityImmutable, Description: "A pushed tag can never point to another image (what checkov CKV_AWS_51 and trivy AVD-AWS-0031 require)."},
	}
}

// RepositoryArgs are the settings of one repository (schema type
// Repository); the same type is used for `defaults`. Each concern is a field
// or a nested object whose type lives in the concern's own file.
type RepositoryArgs struct {
	ImageTagMutability *ImageTagMutability   `pulumi:"imageTagMutability,optional"`
	ScanOnPush         *bool                 `pulumi:"scanOnPush,optional"`
	ForceDelete        *bool                 `pulumi:"forceDelete,optional"`
	RetainOnDelete     *bool                 `pulumi:"retainOnDelete,optional"`
	ImportExisting     *bool                 `pulumi:"importExisting,optional"`
	Tags               pulumi.StringMapInput `pulumi:"tags,optional"`
	EncryptionType     *EncryptionType       `pulumi:"encryptionType,optional"` // encryption.go
	KmsKeyArn          pulumi.StringInput    `pulumi:"kmsKeyArn,optional"`
	AllowReplace       *bool                 `pulumi:"allowReplace,optional"`
	Access             *AccessArgs           `pulumi:"access,optional"`    // repository_policy.go
	Lifecycle          *LifecycleArgs        `pulumi:"lifecycle,optional"` // lifecycle_policy.go
}

var _ infer.Annotated = (*RepositoryArgs)(nil)

// Annotate documents the repository settings.
func (r *RepositoryArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Repository")
	a.Describe(r, "Settings of one ECR repository. Every field is optional; unset fields come from `defaults`, then from the built-in defaults.")
	a.Describe(&r.ImageTagMutability, "`MUTABLE` or `IMMUTABLE` (default `IMMUTABLE`, the only value compliance scanners accept). "+
		"pulumi-aws v6 has no `IMMUTABLE_WITH_EXCLUSION`, so it is refused.")
	a.Describe(&r.ScanOnPush, "Scan each image for vulnerabilities when it is pushed (default `true`).")
	a.Describe(&r.ForceDelete, "Delete the repository even if it still holds images (default `false`: deleting a repository that holds images fails, so images are never lost by accident). "+
		"Must be deployed before the `destroy` that relies on it.")
	a.Describe(&r.RetainOnDelete, "Keep the repository, its images and its policies in AWS when it is removed from `repositories` "+
		"or the stack is destroyed: Pulumi only stops managing them (CDK's RemovalPolicy.RETAIN). Default `false`. "+
		"For deletion protection, pass Pulumi's `protect` option to the Registry: its children inherit it.")
	a.Describe(&r.ImportExisting, "Adopt a repository that already exists in AWS instead of creating it (Pulumi's `import`): its images stay. "+
		"The settings declared here must match the repository as it is, or the preview fails listing the differences; change them after the import. "+
		"Its repository and lifecycle policies are replaced by the ones declared here. Ignored once the repository is in the stack. Default `false`.")
	a.Describe(&r.Tags, "Tags for this repository, merged over the registry `tags` and `defaults.tags`; the most specific value wins. Values may be outputs (including secrets).")
	describeEncryption(a, r)
	a.Describe(&r.Access, "Who may pull and push: generates the repository policy. No access settings (the default) means no repository policy, "+
		"so only IAM policies in the registry's own account grant access. Fields are inherited from `defaults.access` one by one.")
	a.Describe(&r.Lifecycle, "The lifecycle policy: which images ECR expires. Default: untagged images older than 14 days expire. "+
		"A repository's `lifecycle` replaces `defaults.lifecycle` as a whole.")
}

func (r *RepositoryArgs) toConfig(in *arguments) config.Repository {
	c := config.Repository{
		ImageTagMutability: (*string)(r.ImageTagMutability),
		ScanOnPush:         r.ScanOnPush,
		EncryptionType:     (*string)(r.EncryptionType),
		KmsKeyArn:          in.text(r.KmsKeyArn),
		ForceDelete:        r.ForceDelete,
		AllowReplace:       r.AllowReplace,
		RetainOnDelete:     r.RetainOnDelete,
		ImportExisting:     r.ImportExisting,
		Tags:               in.mapOf(r.Tags),
	}
	if r.Access != nil {
		c.Access = r.Access.toConfig(in)
	}
	if r.Lifecycle != nil {
		c.Lifecycle = r.Lifecycle.spec()
	}
	return c
}

// repository is one declared repository once its aws.ecr.Repository is
// registered: what every per-repository child needs, built once.
type repository struct {
	plan     *config.RepositoryPlan
	resource *ecr.Repository
	// name is the repository's name, released only once its actual
	// encryption has been compared with the arguments (encryption.go):
	// children that name it wait for the check.
	name pulumi.StringOutput
	// childName is the logical name of its children; opts are the options
	// every child shares (parent, retain on delete, the registry's gate).
	childName string
	opts      []pulumi.ResourceOption
	// legacy is the name its children had before the current naming scheme.
	legacy string

	// Filled in by the child steps, for the outputs.
	policy          pulumi.StringInput // nil: no repository policy
	lifecyclePolicy string             // "": no lifecycle policy
}

// registerRepository registers the aws.ecr.Repository of one repository and
// returns its handle.
func (r *registration) registerRepository(p *config.RepositoryPlan) (*repository, error) {
	repo := &repository{plan: p, childName: r.childName(p.Key), legacy: legacyChildName(r.name, p.Key)}
	repo.opts = append(repo.opts, pulumi.Parent(r.comp))
	if p.RetainOnDelete {
		repo.opts = append(repo.opts, pulumi.RetainOnDelete(true))
	}
	if r.gate != nil {
		repo.opts = append(repo.opts, r.gate)
	}
	// The name is fixed, so a replacement (an encryption change) can only
	// delete the old repository first; creating first would collide.
	opts := append([]pulumi.ResourceOption{pulumi.DeleteBeforeReplace(true)}, repo.childOptions(r, repositoryType)...)
	opts = append(opts, encryptionOptions(p)...)
	if p.ImportExisting {
		// ECR identifies a repository by its name.
		opts = append(opts, pulumi.Import(pulumi.ID(p.Name)))
	}
	var err error
	repo.resource, err = ecr.NewRepository(r.ctx, repo.childName, &ecr.RepositoryArgs{
		Name:                       pulumi.String(p.Name),
		ImageTagMutability:         pulumi.String(p.ImageTagMutability),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(p.ScanOnPush)},
		EncryptionConfigurations:   ecr.RepositoryEncryptionConfigurationArray{r.encryptionArgs(p)},
		ForceDelete:                pulumi.Bool(p.ForceDelete),
		Tags:                       r.tagsInput(p),
	}, opts...)
	if err != nil {
		return nil, err
	}
	repo.name = r.guardEncryption(p, repo.resource)
	return repo, nil
}

// Types of the children of a repository.
const (
	repositoryType       = "aws:ecr/repository:Repository"
	repositoryPolicyType = "aws:ecr/repositoryPolicy:RepositoryPolicy"
	lifecyclePolicyType  = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
)

// childOptions are the options of the repository's child of type typ: the
// shared ones and, so that stacks deployed before 0.1.0 keep their
// resources, the URN the child had under the former name as an alias.
func (repo *repository) childOptions(r *registration, typ string) []pulumi.ResourceOption {
	legacy := knownURN(r.ctx, r.legacyPrefix+typ+"::"+repo.legacy)
	return append(append([]pulumi.ResourceOption(nil), repo.opts...), pulumi.Aliases([]pulumi.Alias{{URN: legacy}}))
}

// knownURN is urn as a resolved output, what an alias takes. The SDK's own
// ways to make one (an alias given by name, pulumi.URN(urn).ToURNOutput(), an
// apply) each start a goroutine and await it through reflection: for three
// aliases per repository that was 21 allocations per repository more than
// this (BenchmarkNewRegistryVsDirect), and an alias by name cost 250 more. An
// output the context makes and resolves at once starts no goroutine.
func knownURN(ctx *pulumi.Context, urn string) pulumi.URNOutput {
	out, resolve, _ := ctx.NewOutput()
	resolve(pulumi.URN(urn))
	return pulumi.URNOutput{OutputState: out.(pulumi.AnyOutput).OutputState}
}

// legacyChildName is the name children had before the naming scheme of
// registration.childName: "<registry>-<repository>" with "/" written as "--",
// which two registries could share (apps + web-api, apps-web + api).
func legacyChildName(registry, repository string) string {
	return registry + "-" + strings.ReplaceAll(repository, "/", "--")
}

// RepositoryInfo is one repository as the Registry outputs it (schema type
// RepositoryInfo).
type RepositoryInfo struct {
	Name             string `pulumi:"name"`
	Arn              string `pulumi:"arn"`
	Url              string `pulumi:"url"`
	RegistryId       string `pulumi:"registryId"`
	RepositoryPolicy string `pulumi:"repositoryPolicy"`
	LifecyclePolicy  string `pulumi:"lifecyclePolicy"`
}

var _ infer.Annotated = (*RepositoryInfo)(nil)

// Annotate documents the output object.
func (i *RepositoryInfo) Annotate(a infer.Annotator) {
	a.SetToken("index", "RepositoryInfo")
	a.Describe(i, "One repository of the Registry.")
	a.Describe(&i.Name, "The repository name.")
	a.Describe(&i.Arn, "The repository ARN.")
	a.Describe(&i.Url, "The repository URL, `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: what `docker push` and `docker pull` take, with `:<tag>`.")
	a.Describe(&i.RegistryId, "The registry ID: the AWS account that owns the repository.")
	a.Describe(&i.RepositoryPolicy, "The repository policy JSON applied, or empty when the repository has no access settings.")
	a.Describe(&i.LifecyclePolicy, "The lifecycle policy JSON applied, or empty when its lifecycle is disabled. Preview it offline with `previewLifecyclePolicy`.")
}

// RepositoryInfoMapOutput is a map of RepositoryInfo as an output.
type RepositoryInfoMapOutput struct{ *pulumi.OutputState }

// ElementType is the map the output resolves to.
func (RepositoryInfoMapOutput) ElementType() reflect.Type {
	return reflect.TypeFor[map[string]RepositoryInfo]()
}

func init() { pulumi.RegisterOutputType(RepositoryInfoMapOutput{}) }

// repositoryInfos gathers every repository's outputs into one map, awaited
// together. When the environment is known, the ARN and URL are written from
// it as ECR forms them (as the identity policies and registryUrl are), so
// the map depends on each repository once, through its name: every output
// that is read from a resource carries that resource, and the engine
// resolves each copy when the component returns its outputs (the ARN and URL
// read from the repository tripled the copies, for every view of the map).
func (r *registration) repositoryInfos(repos []*repository) RepositoryInfoMapOutput {
	e := r.env
	written := e.AccountID.IsKnown() && e.Region.IsKnown() && e.Partition.IsKnown() && e.dnsSuffix.IsKnown()
	perRepository := 4
	if written {
		perRepository = 2
	}
	all := make([]any, 0, perRepository*len(repos)+1)
	all = append(all, e.input(e.AccountID))
	for _, repo := range repos {
		var policy pulumi.StringInput = pulumi.String("")
		if repo.policy != nil {
			policy = repo.policy
		}
		all = append(all, repo.name, policy)
		if !written {
			all = append(all, repo.resource.Arn, repo.resource.RepositoryUrl)
		}
	}
	host := ""
	if written {
		host = e.registryHost() + "/"
	}
	return pulumi.All(all...).ApplyT(func(v []any) map[string]RepositoryInfo {
		out := make(map[string]RepositoryInfo, len(repos))
		for i, repo := range repos {
			at := 1 + i*perRepository
			info := RepositoryInfo{
				Name: v[at].(string), RegistryId: v[0].(string),
				RepositoryPolicy: v[at+1].(string), LifecyclePolicy: repo.lifecyclePolicy,
			}
			if written {
				info.Arn, info.Url = e.repositoryArnText(repo.plan.Name), host+repo.plan.Name
			} else {
				info.Arn, info.Url = v[at+2].(string), v[at+3].(string)
			}
			out[repo.plan.Key] = info
		}
		return out
	}).(RepositoryInfoMapOutput)
}
