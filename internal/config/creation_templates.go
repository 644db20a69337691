package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// CreationTemplates mirrors `creationTemplates`: repository creation
// templates by prefix, the settings ECR gives the repositories it creates
// itself (pull through cache, replication).
type CreationTemplates struct {
	Templates      map[string]CreationTemplate
	RetainOnDelete *bool
}

// CreationTemplate mirrors one template.
type CreationTemplate struct {
	AppliedFor    []string
	Description   *string
	CustomRoleArn *Text
	// InheritDefaults (default true): the template's settings fall back to
	// the Registry's `defaults` and take the registry `tags`, like a declared
	// repository; false: only the template's own settings and the built-in
	// defaults.
	InheritDefaults *bool
	// Settings are the repository settings the template gives: tag
	// mutability, encryption, tags, access (repository policy), lifecycle.
	Settings Repository
}

// What a template applies to (RCTAppliedFor in pulumi-aws v6.83.2;
// CREATE_ON_PUSH came later).
const (
	AppliedForPullThroughCache = "PULL_THROUGH_CACHE"
	AppliedForReplication      = "REPLICATION"
)

var (
	// The API's Prefix pattern, anchored (terraform-provider-aws's is not);
	// terraform-provider-aws allows 2 to 256 characters.
	templatePrefixRe = regexp.MustCompile(`^(?:ROOT|(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)$`)
	// The API's KmsKeyForRepositoryCreationTemplate: a full key ARN.
	templateKmsKeyRe = regexp.MustCompile(`^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key/[a-z0-9-]+$`)
)

// CreationTemplatePlan is one resolved template.
type CreationTemplatePlan struct {
	Prefix        string
	Path          string
	AppliedFor    []string // sorted
	Description   string
	CustomRoleArn *Text
	// Settings are the repository settings, resolved exactly as for a
	// declared repository (defaults merged, checked, documents built).
	Settings *RepositoryPlan
	// RetainOnDelete comes from creationTemplates.retainOnDelete.
	RetainOnDelete bool
	Refs           []Ref
}

func init() {
	registryWide = append(registryWide, resolveCreationTemplates)
	registryWideFill = append(registryWideFill, func(out *Registry, in Registry, v Values) {
		if in.CreationTemplates == nil {
			return
		}
		c := *in.CreationTemplates
		c.Templates = make(map[string]CreationTemplate, len(in.CreationTemplates.Templates))
		for k, t := range in.CreationTemplates.Templates {
			t.CustomRoleArn = v.textPtr(t.CustomRoleArn)
			t.Settings = t.Settings.fill(v)
			c.Templates[k] = t
		}
		out.CreationTemplates = &c
	})
}

func resolveCreationTemplates(r Registry, env Env, plan *Plan) validate.Problems {
	c := r.CreationTemplates
	if c == nil {
		return nil
	}
	var ps validate.Problems
	if len(c.Templates) == 0 {
		ps.Addf("creationTemplates.templates", "is empty; remove creationTemplates or add templates")
	}
	for _, prefix := range slices.Sorted(maps.Keys(c.Templates)) {
		t, problems := resolveCreationTemplate(r, prefix, env)
		ps.Add(problems...)
		plan.CreationTemplates = append(plan.CreationTemplates, t)
		plan.Refs = append(plan.Refs, t.Refs...)
	}
	return ps
}

// ResolveCreationTemplate resolves one template, as Resolve does; the
// provider calls it when the outputs a template input needs have resolved.
func ResolveCreationTemplate(r Registry, prefix string, env Env) (*CreationTemplatePlan, validate.Problems) {
	return resolveCreationTemplate(r, prefix, env)
}

func resolveCreationTemplate(r Registry, prefix string, env Env) (*CreationTemplatePlan, validate.Problems) {
	t := r.CreationTemplates.Templates[prefix]
	path := validate.Key("creationTemplates.templates", prefix)
	at := validate.Under(path)
	var ps validate.Problems
	p := &CreationTemplatePlan{Prefix: prefix, Path: path, CustomRoleArn: t.CustomRoleArn, RetainOnDelete: deref(r.CreationTemplates.RetainOnDelete)}

	switch n := len(prefix); {
	case n < 2 || n > 256:
		ps.Addf(path, "a template prefix must be 2 to 256 characters long, got %d (%q)", n, prefix)
	case !templatePrefixRe.MatchString(prefix):
		ps.Addf(path, "must be ROOT or the beginning of repository names, whole segments only (lowercase letters and digits separated by '.', '_', '-' or '/'; ECR pattern %s), got %q", templatePrefixRe, prefix)
	}

	// appliedFor
	seen := map[string]bool{}
	for i, a := range t.AppliedFor {
		apath := fmt.Sprintf("%s[%d]", at("appliedFor"), i)
		if a == "CREATE_ON_PUSH" {
			ps.Addf(apath, "CREATE_ON_PUSH is not supported by pulumi-aws v6.83.2, which accepts PULL_THROUGH_CACHE and REPLICATION")
		} else {
			ps.Add(validate.OneOf(apath, a, AppliedForPullThroughCache, AppliedForReplication)...)
		}
		if seen[a] {
			ps.Addf(apath, "lists %s twice", a)
		}
		seen[a] = true
	}
	if len(t.AppliedFor) == 0 {
		ps.Addf(at("appliedFor"), "is required: PULL_THROUGH_CACHE, REPLICATION or both")
	}
	p.AppliedFor = slices.Sorted(maps.Keys(seen))
	if t.Description != nil {
		p.Description = *t.Description
		if n := len(p.Description); n > 256 {
			ps.Addf(at("description"), "must be at most 256 characters, got %d", n)
		}
	}

	// The repository settings, resolved like a declared repository's.
	own := t.Settings
	if own.ImageTagMutability == nil && seen[AppliedForPullThroughCache] {
		// AWS recommends MUTABLE for pull through cache repositories: ECR
		// must be able to move a cached tag to the upstream's new image
		// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html).
		mutable := "MUTABLE"
		own.ImageTagMutability = &mutable
	} else if own.ImageTagMutability != nil && *own.ImageTagMutability == "IMMUTABLE" && seen[AppliedForPullThroughCache] {
		ps.Warnf(at("imageTagMutability"), "IMMUTABLE tags in pull through cache repositories can keep ECR from updating cached images (AWS recommends MUTABLE for them)")
	}
	inherit := t.InheritDefaults == nil || *t.InheritDefaults
	registry, defaults := r, r.defaults()
	if !inherit {
		registry, defaults = Registry{}, &Repository{}
	}
	settings, problems := resolveSettings(registry, path, &own, defaults, env, newMemo())
	ps.Add(problems...)
	p.Settings = settings
	p.Refs = append(p.Refs, settings.Refs...)

	// What ECR needs a role for, and a key it can use.
	var needs []string
	if settings.EncryptionType == "KMS" {
		needs = append(needs, fmt.Sprintf("KMS encryption (%s)", encryptionSource(t.Settings, inherit)))
	}
	if settings.Tags.Deferred() || len(settings.Tags.Items) > 0 {
		needs = append(needs, "resource tags ("+tagSource(t.Settings, r, inherit)+")")
	}
	if len(needs) > 0 && t.CustomRoleArn == nil {
		hint := ""
		if inherit {
			hint = ", or set inheritDefaults: false to give the template only its own settings"
		}
		ps.Addf(at("customRoleArn"), "is required: the template sets %s, and ECR applies those only through a role it assumes (a role trusted by ecr.amazonaws.com with ecr:CreateRepository, ecr:ReplicateImage, ecr:TagResource and, for KMS, kms:CreateGrant, kms:RetireGrant and kms:DescribeKey; https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates-create-iam.html). Without it pulls through the cache fail (aws/containers-roadmap#2398); set customRoleArn%s",
			strings.Join(needs, " and "), hint)
	}
	if t.CustomRoleArn != nil {
		if t.CustomRoleArn.IsKnown() {
			ps.Add(checkRoleArn(at("customRoleArn"), t.CustomRoleArn.Value, env)...)
		} else {
			p.Refs = append(p.Refs, t.CustomRoleArn.Ref)
		}
	}
	if k := settings.KmsKeyArn; k != nil && k.IsKnown() && !templateKmsKeyRe.MatchString(k.Value) {
		ps.Addf(settings.KmsKeyArnPath, "a creation template takes a full key ARN in the aws partition with a lowercase key ID (ECR pattern %s), got %q", templateKmsKeyRe, k.Value)
	}
	p.Refs = sortedRefs(p.Refs)
	return p, ps
}

// encryptionSource says where a template's KMS encryption comes from.
func encryptionSource(own Repository, inherit bool) string {
	if own.EncryptionType != nil || !inherit {
		return "its encryptionType"
	}
	return "inherited from defaults.encryptionType"
}

// tagSource says where a template's tags come from.
func tagSource(own Repository, r Registry, inherit bool) string {
	var from []string
	if inherit && r.Tags != nil {
		from = append(from, "tags")
	}
	if inherit && r.Defaults != nil && r.Defaults.Tags != nil {
		from = append(from, "defaults.tags")
	}
	if own.Tags != nil {
		from = append(from, "its tags")
	}
	if len(from) == 0 {
		return "its tags"
	}
	if inherit && own.Tags == nil {
		return "inherited from " + strings.Join(from, " and ")
	}
	return "from " + strings.Join(from, " and ")
}
