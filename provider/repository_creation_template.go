package provider

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// TemplateAppliedFor is what makes ECR create a repository from a template.
type TemplateAppliedFor string

// TypeDescription describes the enum type in the schema.
func (TemplateAppliedFor) TypeDescription() string {
	return "Which repositories ECR creates by itself a creation template applies to."
}

// Values lists what templates apply to in pulumi-aws v6.83.2.
func (TemplateAppliedFor) Values() []infer.EnumValue[TemplateAppliedFor] {
	return []infer.EnumValue[TemplateAppliedFor]{
		{Name: "PullThroughCache", Value: config.AppliedForPullThroughCache, Description: "Repositories ECR creates on the first pull through a pull through cache rule of this registry."},
		{Name: "Replication", Value: config.AppliedForReplication, Description: "Repositories ECR creates in this registry when another registry replicates into it (a template of the destination Region and account)."},
	}
}

// CreationTemplatesArgs are the registry's repository creation templates
// (schema type CreationTemplates): an aws.ecr.RepositoryCreationTemplate per
// prefix.
type CreationTemplatesArgs struct {
	Templates      map[string]CreationTemplateArgs `pulumi:"templates"`
	RetainOnDelete *bool                           `pulumi:"retainOnDelete,optional"`
}

// CreationTemplateArgs is one template: what it applies to, and the
// repository settings it gives, which default to the Registry's `defaults`.
type CreationTemplateArgs struct {
	AppliedFor         []TemplateAppliedFor  `pulumi:"appliedFor"`
	Description        *string               `pulumi:"description,optional"`
	CustomRoleArn      pulumi.StringInput    `pulumi:"customRoleArn,optional"`
	InheritDefaults    *bool                 `pulumi:"inheritDefaults,optional"`
	ImageTagMutability *ImageTagMutability   `pulumi:"imageTagMutability,optional"`
	EncryptionType     *EncryptionType       `pulumi:"encryptionType,optional"`
	KmsKeyArn          pulumi.StringInput    `pulumi:"kmsKeyArn,optional"`
	Tags               pulumi.StringMapInput `pulumi:"tags,optional"`
	Access             *AccessArgs           `pulumi:"access,optional"`
	Lifecycle          *LifecycleArgs        `pulumi:"lifecycle,optional"`
}

var (
	_ infer.Annotated = (*CreationTemplatesArgs)(nil)
	_ infer.Annotated = (*CreationTemplateArgs)(nil)
)

// describeCreationTemplates is the description of RegistryArgs.creationTemplates.
const describeCreationTemplates = "Repository creation templates: the settings ECR gives the repositories it creates by itself — on the first pull through " +
	"a pull through cache rule, or when another registry replicates into this one — which otherwise get mutable tags, AES256, no lifecycle and no policy. " +
	"By default a template carries this Registry's `defaults` (tag mutability, encryption, lifecycle, repository policy, tags), so those repositories " +
	"are as safe as the declared ones. Default: none. Removing a template deletes it; repositories already created keep their settings."

// Annotate documents the creation templates.
func (a *CreationTemplatesArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "CreationTemplates")
	an.Describe(a, "Repository creation templates by prefix.")
	an.Describe(&a.Templates, "The templates, keyed by prefix: a repository name prefix of whole segments (`prod` matches `prod/...`), 2 to 256 characters, "+
		"or `ROOT` for repositories no other template matches. Use a pull through cache rule's prefix for its template. The key decides the template's identity: renaming it replaces the template.")
	an.Describe(&a.RetainOnDelete, "Leave the templates in AWS when they are removed from the program or the stack is destroyed. Default `false`.")
}

// Annotate documents one creation template.
func (a *CreationTemplateArgs) Annotate(an infer.Annotator) {
	an.SetToken("index", "CreationTemplate")
	an.Describe(a, "One repository creation template. Its repository settings are resolved exactly like a declared repository's: "+
		"a field set here wins over `defaults`, then the built-in defaults (tags merge registry `tags` < `defaults.tags` < `tags`).")
	an.Describe(&a.AppliedFor, "What the template applies to: `PULL_THROUGH_CACHE`, `REPLICATION` or both (required).")
	an.Describe(&a.Description, "The template's description (at most 256 characters). Default: one naming the prefix and this Registry.")
	an.Describe(&a.CustomRoleArn, "A role ECR assumes to create the repositories, trusted by `ecr.amazonaws.com`. Required, by ECR, when the template "+
		"sets KMS encryption or tags — including tags and KMS inherited from the Registry: a template that needs one and lacks it is refused "+
		"(without it pulls through the cache fail, aws/containers-roadmap#2398). May be an output.")
	an.Describe(&a.InheritDefaults, "Fall back to the Registry's `defaults` and registry `tags` (default `true`). With `false` the template has only its own settings "+
		"and the built-in defaults (for example to leave out inherited tags, which need `customRoleArn`).")
	an.Describe(&a.ImageTagMutability, "`MUTABLE` or `IMMUTABLE`. Default: the Registry's, but `MUTABLE` for a template that applies to `PULL_THROUGH_CACHE`, "+
		"because ECR must be able to move a cached tag to the upstream's new image (AWS recommends mutable tags there).")
	an.Describe(&a.EncryptionType, "`AES256` or `KMS` for the created repositories. Default: the Registry's (`AES256`). KMS needs `customRoleArn`.")
	an.Describe(&a.KmsKeyArn, "The KMS key, as a full key ARN in this Region (templates take no aliases). Only with `encryptionType: KMS`.")
	an.Describe(&a.Tags, "Tags for the created repositories, merged over registry `tags` and `defaults.tags`. Tags need `customRoleArn`.")
	an.Describe(&a.Access, "The created repositories' repository policy, as for a declared repository; inherited from `defaults.access` field by field.")
	an.Describe(&a.Lifecycle, "The created repositories' lifecycle policy, as for a declared repository (default: `defaults.lifecycle`, else untagged images expire after 14 days).")
}

func (a *CreationTemplatesArgs) toConfig(in *arguments) *config.CreationTemplates {
	if a == nil {
		return nil
	}
	c := &config.CreationTemplates{Templates: make(map[string]config.CreationTemplate, len(a.Templates)), RetainOnDelete: a.RetainOnDelete}
	for _, prefix := range sortedKeys(a.Templates) { // refs are numbered in a stable order
		t := a.Templates[prefix]
		applied := make([]string, len(t.AppliedFor))
		for i, x := range t.AppliedFor {
			applied[i] = string(x)
		}
		settings := RepositoryArgs{
			ImageTagMutability: t.ImageTagMutability,
			EncryptionType:     t.EncryptionType,
			KmsKeyArn:          t.KmsKeyArn,
			Tags:               t.Tags,
			Access:             t.Access,
			Lifecycle:          t.Lifecycle,
		}
		c.Templates[prefix] = config.CreationTemplate{
			AppliedFor:      applied,
			Description:     t.Description,
			CustomRoleArn:   in.text(t.CustomRoleArn),
			InheritDefaults: t.InheritDefaults,
			Settings:        settings.toConfig(in),
		}
	}
	return c
}

func init() {
	afterRepositories = append(afterRepositories, registerRepositoryCreationTemplates)
}

// registerRepositoryCreationTemplates registers each template.
func registerRepositoryCreationTemplates(r *registration, plan *config.Plan, _ []*repository) error {
	for _, t := range plan.CreationTemplates {
		s := t.Settings
		description := t.Description
		if description == "" {
			description = fmt.Sprintf("Repositories ECR creates for %s under %s, with the settings of Registry %s (ecrrepos)",
				strings.Join(t.AppliedFor, " and "), t.Prefix, r.name)
		}
		encryption := &ecr.RepositoryCreationTemplateEncryptionConfigurationArgs{EncryptionType: pulumi.String(s.EncryptionType)}
		if s.KmsKeyArn != nil {
			encryption.KmsKey = r.in.input(*s.KmsKeyArn)
		}
		args := &ecr.RepositoryCreationTemplateArgs{
			Prefix:                   pulumi.String(t.Prefix),
			AppliedFors:              pulumi.ToStringArray(t.AppliedFor),
			Description:              pulumi.String(description),
			ImageTagMutability:       pulumi.String(s.ImageTagMutability),
			EncryptionConfigurations: ecr.RepositoryCreationTemplateEncryptionConfigurationArray{encryption},
			ResourceTags:             r.templateTags(t),
		}
		if t.CustomRoleArn != nil {
			args.CustomRoleArn = r.in.input(*t.CustomRoleArn)
		}
		if s.Lifecycle != nil {
			args.LifecyclePolicy = pulumi.String(s.Lifecycle.JSON())
		}
		if s.Policy != nil {
			args.RepositoryPolicy = r.templatePolicy(t)
		}
		if _, err := ecr.NewRepositoryCreationTemplate(r.ctx, r.childName(t.Prefix), args, r.wideOptions(t.RetainOnDelete)...); err != nil {
			return err
		}
	}
	return nil
}

// resolveTemplate resolves one template again once some of its deferred
// values have resolved.
func (r *registration) resolveTemplate(prefix string, v config.Values) (*config.CreationTemplatePlan, error) {
	plan, problems := config.ResolveCreationTemplate(r.cfg.Fill(v), prefix, r.env.Fill(v))
	return plan, problems.Err(r.subject)
}

// templatePolicy is a template's repository policy: plain text, or built when
// the values it needs resolve.
func (r *registration) templatePolicy(t *config.CreationTemplatePlan) pulumi.StringInput {
	doc := t.Settings.Policy
	if len(doc.Refs) == 0 {
		return pulumi.String(doc.JSON)
	}
	refs := doc.Refs
	return r.in.all(refs).ApplyT(func(resolved []any) (string, error) {
		again, err := r.resolveTemplate(t.Prefix, valuesOf(refs, resolved))
		if err != nil {
			return "", err
		}
		return again.Settings.Policy.JSON, nil
	}).(pulumi.StringOutput)
}

// templateTags are a template's merged tags as an input (nil: none).
func (r *registration) templateTags(t *config.CreationTemplatePlan) pulumi.StringMapInput {
	tags := t.Settings.Tags
	if tags.Deferred() {
		refs := tags.Refs()
		return r.in.all(refs).ApplyT(func(resolved []any) (map[string]string, error) {
			again, err := r.resolveTemplate(t.Prefix, valuesOf(refs, resolved))
			if err != nil {
				return nil, err
			}
			out := make(map[string]string, len(again.Settings.Tags.Items))
			for k, v := range again.Settings.Tags.Items {
				out[k] = v.Value
			}
			return out, nil
		}).(pulumi.StringMapOutput)
	}
	if len(tags.Items) == 0 {
		return nil
	}
	m := make(pulumi.StringMap, len(tags.Items))
	for k, v := range tags.Items {
		m[k] = r.in.input(v)
	}
	return m
}
