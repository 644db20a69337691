package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
)

// LifecycleTemplate names a predefined set of lifecycle helpers.
type LifecycleTemplate string

// TypeDescription describes the enum type in the schema.
func (LifecycleTemplate) TypeDescription() string {
	return "A predefined lifecycle policy; each promises what it keeps of tagged images."
}

// Values lists the templates for the schema. The descriptions are the
// templates' own (internal/lifecycle), so the schema, the README and the
// simulator's retention tests say the same thing.
func (LifecycleTemplate) Values() []infer.EnumValue[LifecycleTemplate] {
	names := map[string]string{"development": "Development", "production": "Production", "cost_optimization": "CostOptimization", "compliance": "Compliance"}
	var values []infer.EnumValue[LifecycleTemplate]
	for _, t := range lifecycle.Templates() {
		values = append(values, infer.EnumValue[LifecycleTemplate]{
			Name: names[t.Name], Value: LifecycleTemplate(t.Name), Description: t.Summary + " " + t.VersusLgallard,
		})
	}
	return values
}

// TagStatus selects images by whether they carry tags.
type TagStatus string

// TypeDescription describes the enum type in the schema.
func (TagStatus) TypeDescription() string {
	return "Which images a lifecycle rule selects by their tags."
}

// Values lists the tag statuses for the schema.
func (TagStatus) Values() []infer.EnumValue[TagStatus] {
	return []infer.EnumValue[TagStatus]{
		{Name: "Tagged", Value: "tagged", Description: "Images with a tag matching every entry of `tagPrefixes` or `tagPatterns` (one of them is required)."},
		{Name: "Untagged", Value: "untagged", Description: "Images without tags."},
		{Name: "Any", Value: "any", Description: "All images. Only one such rule, evaluated last."},
	}
}

// CountType is how a rule decides which selected images expire.
type CountType string

// TypeDescription describes the enum type in the schema.
func (CountType) TypeDescription() string {
	return "How a lifecycle rule decides which of its selected images it acts on."
}

// Values lists the count types for the schema.
func (CountType) Values() []infer.EnumValue[CountType] {
	return []infer.EnumValue[CountType]{
		{Name: "ImageCountMoreThan", Value: "imageCountMoreThan", Description: "Keep the newest `countNumber` selected images (by push time); expire the rest."},
		{Name: "SinceImagePushed", Value: "sinceImagePushed", Description: "Act on selected images pushed more than `countNumber` days ago."},
		{Name: "SinceImagePulled", Value: "sinceImagePulled", Description: "Act on selected images not pulled for more than `countNumber` days (never pulled: since pushed). Only with `action: transition`."},
		{Name: "SinceImageTransitioned", Value: "sinceImageTransitioned", Description: "Act on archived images archived more than `countNumber` days ago (at least 90). Only with `action: expire`; the rule selects archived images."},
	}
}

// LifecycleAction is what a rule does to the images it selects.
type LifecycleAction string

// TypeDescription describes the enum type in the schema.
func (LifecycleAction) TypeDescription() string {
	return "What a lifecycle rule does to the images it selects."
}

// Values lists the actions for the schema.
func (LifecycleAction) Values() []infer.EnumValue[LifecycleAction] {
	return []infer.EnumValue[LifecycleAction]{
		{Name: "Expire", Value: "expire", Description: "Delete the images (the default)."},
		{Name: "Transition", Value: "transition", Description: "Move the images to the archive storage class: kept, cheaper to store, restored before they can be pulled."},
	}
}

// LifecycleArgs is a repository's lifecycle policy (schema type Lifecycle).
type LifecycleArgs struct {
	Disabled                  *bool               `pulumi:"disabled,optional"`
	Template                  *LifecycleTemplate  `pulumi:"template,optional"`
	Rules                     []LifecycleRuleArgs `pulumi:"rules,optional"`
	KeepLatest                *int                `pulumi:"keepLatest,optional"`
	ExpireUntaggedAfterDays   *int                `pulumi:"expireUntaggedAfterDays,optional"`
	ExpireTaggedAfterDays     *int                `pulumi:"expireTaggedAfterDays,optional"`
	ExpireAllAfterDays        *int                `pulumi:"expireAllAfterDays,optional"`
	ProtectTags               []string            `pulumi:"protectTags,optional"`
	ArchiveNotPulledAfterDays *int                `pulumi:"archiveNotPulledAfterDays,optional"`
	ExpireArchivedAfterDays   *int                `pulumi:"expireArchivedAfterDays,optional"`
	PolicyJson                *string             `pulumi:"policyJson,optional"`
}

// Annotate documents the lifecycle settings.
func (l *LifecycleArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "Lifecycle")
	a.Describe(l, "A repository's lifecycle policy: typed rules, helpers and templates, or a raw policy document. "+
		"When no lifecycle is set anywhere, untagged images older than 14 days expire. A repository's `lifecycle` replaces `defaults.lifecycle` as a whole.")
	a.Describe(&l.Disabled, "Create no lifecycle policy for this repository (images are never expired). Not combined with other fields. Default `false`.")
	a.Describe(&l.Template, "A predefined policy: `development`, `production`, `cost_optimization` or `compliance`. Helper fields set alongside override the template's.")
	a.Describe(&l.Rules, "Typed rules (`LifecycleRule`: `priority`, `description`, `tagStatus`, `tagPrefixes` or `tagPatterns`, `countType`, `countNumber`, `action`), "+
		"validated against every ECR rule. Rules without `priority` get one automatically; an explicit one is at least 1.")
	a.Describe(&l.KeepLatest, "Keep the newest N images and expire older ones. When an untagged rule exists (from `expireUntaggedAfterDays`, a template or a typed rule) "+
		"it keeps the newest N *tagged* images: ECR still counts images another rule has claimed, so counting untagged images would expire in-use tagged ones after a burst of untagged pushes. "+
		"Not combined with `expireTaggedAfterDays` (both would select every tagged image).")
	a.Describe(&l.ExpireUntaggedAfterDays, "Expire untagged images pushed more than N days ago.")
	a.Describe(&l.ExpireTaggedAfterDays, "Expire tagged images (`tagPatternList [\"*\"]`) pushed more than N days ago.")
	a.Describe(&l.ExpireAllAfterDays, "Expire every image pushed more than N days ago (an `any` rule; not combined with `keepLatest`).")
	a.Describe(&l.ProtectTags, "Tag prefixes, or patterns with `*`, whose images the other rules never expire (a higher-priority rule claims them). "+
		"Protected images still count toward `keepLatest`. With only untagged rules beside it, it protects nothing: a warning says so.")
	a.Describe(&l.ArchiveNotPulledAfterDays, "Move images not pulled for N days (never pulled: pushed N days ago) to the archive storage class instead of deleting them. "+
		"Acts on the images no other rule selects; not combined with `keepLatest`, `expireTaggedAfterDays` or `expireAllAfterDays`.")
	a.Describe(&l.ExpireArchivedAfterDays, "Delete archived images N days after they were archived (at least 90, ECR's minimum time in archive).")
	a.Describe(&l.PolicyJson, "A complete ECR lifecycle policy document, used as given after validation and canonicalization. Not combined with other fields.")
}

// LifecycleRuleArgs is one typed lifecycle rule (schema type LifecycleRule).
type LifecycleRuleArgs struct {
	Priority    *int             `pulumi:"priority,optional"`
	Description *string          `pulumi:"description,optional"`
	TagStatus   TagStatus        `pulumi:"tagStatus"`
	TagPrefixes []string         `pulumi:"tagPrefixes,optional"`
	TagPatterns []string         `pulumi:"tagPatterns,optional"`
	CountType   CountType        `pulumi:"countType"`
	CountNumber int              `pulumi:"countNumber"`
	Action      *LifecycleAction `pulumi:"action,optional"`
}

// Annotate documents a lifecycle rule.
func (r *LifecycleRuleArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "LifecycleRule")
	a.Describe(r, "One lifecycle rule. Rules are applied in ascending priority; an image selected by a higher-priority rule is never expired by a lower one.")
	a.Describe(&r.Priority, "The rule priority (a positive integer, unique); assigned automatically when absent. The `any` rule must have the highest.")
	a.Describe(&r.Description, "A description shown in the ECR console.")
	a.Describe(&r.TagStatus, "`tagged`, `untagged` or `any`.")
	a.Describe(&r.TagPrefixes, "With `tagged`: images with a tag starting with each prefix (all of them must match). Not combined with `tagPatterns`.")
	a.Describe(&r.TagPatterns, "With `tagged`: images with a tag matching each pattern, `*` matching any characters (at most four per pattern).")
	a.Describe(&r.CountType, "`imageCountMoreThan` (keep the newest `countNumber`), `sinceImagePushed`, `sinceImagePulled` or `sinceImageTransitioned` (after `countNumber` days).")
	a.Describe(&r.CountNumber, "A positive integer: an image count or a number of days.")
	a.Describe(&r.Action, "`expire` (default) deletes the selected images; `transition` moves them to the archive storage class.")
}

func (l *LifecycleArgs) spec() *lifecycle.Spec {
	s := &lifecycle.Spec{
		Disabled:                  derefOr(l.Disabled, false),
		Template:                  string(derefOr(l.Template, "")),
		KeepLatest:                l.KeepLatest,
		ExpireUntaggedAfterDays:   l.ExpireUntaggedAfterDays,
		ExpireTaggedAfterDays:     l.ExpireTaggedAfterDays,
		ExpireAllAfterDays:        l.ExpireAllAfterDays,
		ProtectTags:               l.ProtectTags,
		PolicyJSON:                derefOr(l.PolicyJson, ""),
		ArchiveNotPulledAfterDays: l.ArchiveNotPulledAfterDays,
		ExpireArchivedAfterDays:   l.ExpireArchivedAfterDays,
	}
	for _, r := range l.Rules {
		s.Rules = append(s.Rules, lifecycle.Rule{
			Priority:    r.Priority,
			Description: derefOr(r.Description, ""),
			TagStatus:   string(r.TagStatus),
			TagPrefixes: r.TagPrefixes,
			TagPatterns: r.TagPatterns,
			CountType:   string(r.CountType),
			CountNumber: r.CountNumber,
			Action:      string(derefOr(r.Action, "")),
		})
	}
	return s
}

// registerLifecyclePolicy registers a repository's aws.ecr.LifecyclePolicy
// unless its lifecycle is disabled. pulumi-aws replaces the policy on every
// change of the document; deleting first keeps a single
// PutLifecyclePolicy-equivalent and never leaves two policies racing.
func (r *registration) registerLifecyclePolicy(repo *repository) error {
	if repo.plan.Lifecycle == nil {
		return nil
	}
	document, ok := r.lifecycleJSON[repo.plan.Lifecycle]
	if !ok { // repositories that inherit one lifecycle share its policy
		document = repo.plan.Lifecycle.JSON()
		r.lifecycleJSON[repo.plan.Lifecycle] = document
	}
	_, err := ecr.NewLifecyclePolicy(r.ctx, repo.childName, &ecr.LifecyclePolicyArgs{
		Repository: repo.name,
		Policy:     pulumi.String(document),
	}, append([]pulumi.ResourceOption{pulumi.DeleteBeforeReplace(true)}, repo.childOptions(r, lifecyclePolicyType)...)...)
	repo.lifecyclePolicy = document
	return err
}

func derefOr[T any](v *T, fallback T) T {
	if v != nil {
		return *v
	}
	return fallback
}
