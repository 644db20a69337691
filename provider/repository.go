package provider

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// ImageTagMutability says whether a tag can be moved to another image.
type ImageTagMutability string

// The tag mutability settings pulumi-aws v6 supports.
const (
	ImageTagMutabilityMutable   ImageTagMutability = "MUTABLE"
	ImageTagMutabilityImmutable ImageTagMutability = "IMMUTABLE"
)

// Values lists the enum for the schema.
func (ImageTagMutability) Values() []infer.EnumValue[ImageTagMutability] {
	return []infer.EnumValue[ImageTagMutability]{
		{Name: "Mutable", Value: ImageTagMutabilityMutable, Description: "Tags can be overwritten by a later push."},
		{Name: "Immutable", Value: ImageTagMutabilityImmutable, Description: "A pushed tag can never point to another image (what checkov CKV_AWS_51 and trivy AVD-AWS-0031 require)."},
	}
}

// EncryptionType is how ECR encrypts a repository's images at rest.
type EncryptionType string

// The encryption types for a repository.
const (
	EncryptionTypeAES256 EncryptionType = "AES256"
	EncryptionTypeKMS    EncryptionType = "KMS"
)

// Values lists the enum for the schema.
func (EncryptionType) Values() []infer.EnumValue[EncryptionType] {
	return []infer.EnumValue[EncryptionType]{
		{Name: "AES256", Value: EncryptionTypeAES256, Description: "Amazon S3-managed keys."},
		{Name: "KMS", Value: EncryptionTypeKMS, Description: "An AWS KMS key: `kmsKeyArn`, or the AWS-managed `aws/ecr` key when it is not set."},
	}
}

// Built-in defaults, used when neither the repository nor `defaults` sets a field.
const (
	defaultImageTagMutability = ImageTagMutabilityImmutable
	defaultScanOnPush         = true
	defaultEncryptionType     = EncryptionTypeAES256
	defaultForceDelete        = false
)

// RepositoryArgs are the settings of one repository (schema type Repository).
// The same type is used for `defaults`.
type RepositoryArgs struct {
	ImageTagMutability *ImageTagMutability   `pulumi:"imageTagMutability,optional"`
	ScanOnPush         *bool                 `pulumi:"scanOnPush,optional"`
	EncryptionType     *EncryptionType       `pulumi:"encryptionType,optional"`
	KmsKeyArn          pulumi.StringInput    `pulumi:"kmsKeyArn,optional"`
	ForceDelete        *bool                 `pulumi:"forceDelete,optional"`
	AllowReplace       *bool                 `pulumi:"allowReplace,optional"`
	RetainOnDelete     *bool                 `pulumi:"retainOnDelete,optional"`
	Tags               pulumi.StringMapInput `pulumi:"tags,optional"`

	// Access control (access_policy.go).
	PullAccountIds        pulumi.StringArrayInput `pulumi:"pullAccountIds,optional"`
	PushAccountIds        pulumi.StringArrayInput `pulumi:"pushAccountIds,optional"`
	PullPrincipalArns     pulumi.StringArrayInput `pulumi:"pullPrincipalArns,optional"`
	PushPrincipalArns     pulumi.StringArrayInput `pulumi:"pushPrincipalArns,optional"`
	PullOrganizationIds   pulumi.StringArrayInput `pulumi:"pullOrganizationIds,optional"`
	PushOrganizationIds   pulumi.StringArrayInput `pulumi:"pushOrganizationIds,optional"`
	PullOrganizationPaths pulumi.StringArrayInput `pulumi:"pullOrganizationPaths,optional"`
	LambdaPullAccountIds  pulumi.StringArrayInput `pulumi:"lambdaPullAccountIds,optional"`
	AllowOnlyPrincipals   pulumi.StringArrayInput `pulumi:"allowOnlyPrincipals,optional"`
	StrictDeny            *bool                   `pulumi:"strictDeny,optional"`
	AllowPublicPull       *bool                   `pulumi:"allowPublicPull,optional"`
	PolicyStatements      []map[string]any        `pulumi:"policyStatements,optional"`
	Policy                pulumi.StringInput      `pulumi:"policy,optional"`

	// Lifecycle (lifecycle.go).
	Lifecycle *LifecycleArgs `pulumi:"lifecycle,optional"`
}

// Annotate documents the repository settings.
func (r *RepositoryArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Repository")
	a.Describe(r, "Settings of one ECR repository. Every field is optional; unset fields come from `defaults`, then from the built-in defaults.")
	a.Describe(&r.ImageTagMutability, "`MUTABLE` or `IMMUTABLE` (default `IMMUTABLE`, the only value compliance scanners accept).")
	a.Describe(&r.ScanOnPush, "Scan each image for vulnerabilities when it is pushed (default `true`).")
	a.Describe(&r.EncryptionType, "`AES256` (default) or `KMS`. ECR fixes encryption when a repository is created: changing it replaces the repository.")
	a.Describe(&r.KmsKeyArn, "ARN of the KMS key to encrypt with; only with `encryptionType: KMS` (without it ECR uses the AWS-managed `aws/ecr` key). "+
		"Must be a key ARN, not an alias. May be an output, e.g. the ARN of a key created in the same program.")
	a.Describe(&r.ForceDelete, "Delete the repository even if it still holds images (default `false`: deleting a repository that holds images fails, so images are never lost by accident). "+
		"Must be deployed before the `destroy` that relies on it.")
	a.Describe(&r.AllowReplace, "Allow a change that ECR can only make by replacing the repository (a new `encryptionType` or `kmsKeyArn`): "+
		"the repository is deleted, with its images, and created again. Default `false`: such a change fails the preview with an explanation.")
	a.Describe(&r.RetainOnDelete, "Keep the repository, its images and its policies in AWS when it is removed from `repositories` "+
		"or the stack is destroyed: Pulumi only stops managing them (CDK's RemovalPolicy.RETAIN). Default `false`.")
	a.Describe(&r.Tags, "Tags for this repository, merged over the registry `tags` and `defaults.tags`. Values may be outputs (including secrets).")

	const replaces = " A repository's value replaces the default's."
	a.Describe(&r.PullAccountIds, "12-digit AWS account IDs whose principals may pull (granted to `arn:<partition>:iam::<id>:root`)."+replaces)
	a.Describe(&r.PushAccountIds, "12-digit AWS account IDs whose principals may push and pull."+replaces)
	a.Describe(&r.PullPrincipalArns, "IAM role or user ARNs that may pull. Accepts outputs, e.g. the ARN of a role created in the same program; "+
		"the policy is applied after the role exists. Use the role ARN, not an assumed-role session ARN."+replaces)
	a.Describe(&r.PushPrincipalArns, "IAM role or user ARNs that may push and pull. Accepts outputs."+replaces)
	a.Describe(&r.PullOrganizationIds, "AWS Organizations IDs (`o-…`) whose accounts may pull (condition `aws:PrincipalOrgID`)."+replaces)
	a.Describe(&r.PushOrganizationIds, "AWS Organizations IDs (`o-…`) whose accounts may push and pull (condition `aws:PrincipalOrgID`)."+replaces)
	a.Describe(&r.PullOrganizationPaths, "Organization paths (`o-abc…/r-ab12/ou-ab12-xyz…/*`) whose accounts may pull (condition `aws:PrincipalOrgPaths`)."+replaces)
	a.Describe(&r.LambdaPullAccountIds, "Accounts whose Lambda functions may be created from these images: the account may read the images and "+
		"`lambda.amazonaws.com` may pull for that account's functions (condition `aws:SourceArn`)."+replaces)
	a.Describe(&r.AllowOnlyPrincipals, "Principal ARNs or IAM unique IDs (`AROA…`, `AIDA…`): every image action by anyone else is denied "+
		"(deny-all-else). The deploying role must be listed when `strictDeny` is set."+replaces)
	a.Describe(&r.StrictDeny, "Also deny repository-policy changes, lifecycle changes and repository deletion to everyone outside `allowOnlyPrincipals`. Needs `allowOnlyPrincipals`.")
	a.Describe(&r.AllowPublicPull, "Let any authenticated AWS principal pull (principal `\"*\"`); without it a principal `\"*\"` is refused unless a condition limits it.")
	a.Describe(&r.PolicyStatements, "Extra IAM policy statements (JSON objects with `Effect`, `Principal` and `Action`) appended after the generated ones. "+
		"`ecr:GetAuthorizationToken` and `Resource` are refused (ECR rejects them)."+replaces)
	a.Describe(&r.Lifecycle, "The lifecycle policy: which images ECR expires. Default: untagged images older than 14 days expire. "+
		"A repository's `lifecycle` replaces `defaults.lifecycle` as a whole.")
	a.Describe(&r.Policy, "A complete repository policy document (JSON) that replaces the generated one; it is validated and canonicalized. "+
		"May be an output, e.g. from `aws.iam.getPolicyDocument`. Not combined with the other access fields.")
}

// resolvedRepository is one repository with defaults applied: what gets registered.
type resolvedRepository struct {
	name               string
	path               string // repositories["<name>"], for messages
	imageTagMutability ImageTagMutability
	scanOnPush         bool
	encryptionType     EncryptionType
	kmsKeyArn          pulumi.StringInput // nil: not set
	forceDelete        bool
	allowReplace       bool
	retainOnDelete     bool
	tags               pulumi.StringMapInput // nil: no tags
	access             resolvedAccess
	lifecycle          *lifecycle.Policy // nil: no lifecycle policy
}

// resolveRepositories merges defaults into every repository and checks every
// rule whose inputs are known now. Values that are still outputs are checked
// when they resolve (see checkedString).
func resolveRepositories(args RegistryArgs) ([]resolvedRepository, validate.Problems) {
	var problems validate.Problems
	defaults := RepositoryArgs{}
	if args.Defaults != nil {
		defaults = *args.Defaults
	}
	problems.Add(checkRepositoryFields("defaults", defaults)...)
	if defaults.KmsKeyArn != nil && derefOr(defaults.EncryptionType, defaultEncryptionType) != EncryptionTypeKMS {
		problems.Addf("defaults.kmsKeyArn", "only allowed when encryptionType is KMS (defaults.encryptionType is %s)",
			derefOr(defaults.EncryptionType, defaultEncryptionType))
	}
	registryTags := tagLayer{path: "tags", tags: args.Tags}
	defaultTags := tagLayer{path: "defaults.tags", tags: defaults.Tags}
	problems.Add(registryTags.check()...)
	problems.Add(defaultTags.check()...)

	repos := make([]resolvedRepository, 0, len(args.Repositories))
	for _, name := range sortedKeys(args.Repositories) {
		repo := args.Repositories[name]
		path := validate.Key("repositories", name)
		problems.Add(validate.RepositoryName(path, name)...)
		problems.Add(checkRepositoryFields(path, repo)...)

		r := resolvedRepository{
			name:               name,
			path:               path,
			imageTagMutability: firstOf(repo.ImageTagMutability, defaults.ImageTagMutability, defaultImageTagMutability),
			scanOnPush:         firstOf(repo.ScanOnPush, defaults.ScanOnPush, defaultScanOnPush),
			encryptionType:     firstOf(repo.EncryptionType, defaults.EncryptionType, defaultEncryptionType),
			forceDelete:        firstOf(repo.ForceDelete, defaults.ForceDelete, defaultForceDelete),
			allowReplace:       firstOf(repo.AllowReplace, defaults.AllowReplace, false),
			retainOnDelete:     firstOf(repo.RetainOnDelete, defaults.RetainOnDelete, false),
		}
		switch {
		case repo.KmsKeyArn != nil:
			if r.encryptionType != EncryptionTypeKMS {
				problems.Addf(validate.Field(path, "kmsKeyArn"), "only allowed when encryptionType is KMS (it resolves to %s)", r.encryptionType)
			}
			r.kmsKeyArn = checkedString(validate.Field(path, "kmsKeyArn"), repo.KmsKeyArn, validate.KmsKeyArn)
		case defaults.KmsKeyArn != nil && r.encryptionType == EncryptionTypeKMS:
			// A repository that chose another encryption type drops the default key.
			r.kmsKeyArn = checkedString("defaults.kmsKeyArn", defaults.KmsKeyArn, validate.KmsKeyArn)
		}

		var lifecycleProblems validate.Problems
		r.lifecycle, lifecycleProblems = lifecyclePolicyFor(path, &repo, &defaults)
		problems.Add(lifecycleProblems...)
		r.access = resolveAccess(path, &repo, &defaults)
		problems.Add(r.access.check()...)

		repoTags := tagLayer{path: validate.Field(path, "tags"), tags: repo.Tags}
		problems.Add(repoTags.check()...)
		var tagProblems validate.Problems
		r.tags, tagProblems = mergeTags(validate.Field(path, "tags"), registryTags, defaultTags, repoTags)
		problems.Add(tagProblems...)
		repos = append(repos, r)
	}
	return repos, problems
}

// checkRepositoryFields checks the fields of one Repository object as written
// (a repository or the defaults), before merging.
func checkRepositoryFields(path string, r RepositoryArgs) validate.Problems {
	var problems validate.Problems
	if r.ImageTagMutability != nil {
		problems.Add(validate.OneOf(validate.Field(path, "imageTagMutability"), string(*r.ImageTagMutability),
			string(ImageTagMutabilityMutable), string(ImageTagMutabilityImmutable))...)
	}
	if r.EncryptionType != nil {
		problems.Add(validate.OneOf(validate.Field(path, "encryptionType"), string(*r.EncryptionType),
			string(EncryptionTypeAES256), string(EncryptionTypeKMS))...)
	}
	if v, ok := knownString(r.KmsKeyArn); ok {
		problems.Add(validate.KmsKeyArn(validate.Field(path, "kmsKeyArn"), v)...)
	}
	return problems
}

// registerRepository registers the aws.ecr.Repository of one repository and
// returns it with its name guarded by the encryption check (encryption.go).
func registerRepository(ctx *pulumi.Context, registry string, r resolvedRepository, opts ...pulumi.ResourceOption) (*ecr.Repository, pulumi.StringOutput, error) {
	// The name is fixed, so a replacement (an encryption change) can only
	// delete the old repository first; creating first would collide.
	opts = append(opts, pulumi.DeleteBeforeReplace(true))
	opts = append(opts, r.childOptions()...)
	repo, err := ecr.NewRepository(ctx, childName(registry, r.name), &ecr.RepositoryArgs{
		Name:                       pulumi.String(r.name),
		ImageTagMutability:         pulumi.String(string(r.imageTagMutability)),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(r.scanOnPush)},
		EncryptionConfigurations:   ecr.RepositoryEncryptionConfigurationArray{encryptionArgs(r)},
		ForceDelete:                pulumi.Bool(r.forceDelete),
		Tags:                       r.tags,
	}, append(opts, encryptionOptions(r)...)...)
	if err != nil {
		return nil, pulumi.StringOutput{}, err
	}
	return repo, guardEncryption(r, repo), nil
}

// childOptions are the resource options every child of the repository shares.
func (r resolvedRepository) childOptions() []pulumi.ResourceOption {
	if r.retainOnDelete {
		return []pulumi.ResourceOption{pulumi.RetainOnDelete(true)}
	}
	return nil
}

// childName is the logical name of a repository's child resources:
// "<registry>-<repository>" with "/" written as "--". ECR names never contain
// two separators in a row, so distinct repositories never share a child name.
func childName(registry, repository string) string {
	return registry + "-" + strings.ReplaceAll(repository, "/", "--")
}

func firstOf[T any](repo, defaults *T, builtin T) T {
	if repo != nil {
		return *repo
	}
	return derefOr(defaults, builtin)
}

func derefOr[T any](v *T, fallback T) T {
	if v != nil {
		return *v
	}
	return fallback
}
