package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/monitoring"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// RegistryToken is the component's type token. It is spelled out rather than
// derived because under pulumi.WithMocks the provider cannot supply it.
const RegistryToken = "ecrrepos:index:Registry"

// RegistryArgs is everything a platform team declares about its ECR
// registry: per-repository settings (repositories, defaults, tags) and, as
// nested objects, the settings that apply to the registry as a whole.
type RegistryArgs struct {
	Repositories map[string]RepositoryArgs `pulumi:"repositories,optional"`
	Defaults     *RepositoryArgs           `pulumi:"defaults,optional"`
	Tags         pulumi.StringMapInput     `pulumi:"tags,optional"`
	NamePrefix   *string                   `pulumi:"namePrefix,optional"`

	// Registry-wide settings (issue #11), each in the file named after the
	// AWS resource it creates; nothing registry-wide is created unless asked.
	Replication       *ReplicationArgs       `pulumi:"replication,optional"`       // replication_configuration.go
	PullThroughCache  *PullThroughCacheArgs  `pulumi:"pullThroughCache,optional"`  // pull_through_cache_rule.go
	Scanning          *ScanningArgs          `pulumi:"scanning,optional"`          // registry_scanning_configuration.go
	RegistryPolicy    *RegistryPolicyArgs    `pulumi:"registryPolicy,optional"`    // registry_policy.go
	CreationTemplates *CreationTemplatesArgs `pulumi:"creationTemplates,optional"` // repository_creation_template.go
	// issue #12: kms_key.go, monitoring.go
	Encryption *RegistryEncryptionArgs `pulumi:"encryption,optional"`
	Monitoring *MonitoringArgs         `pulumi:"monitoring,optional"`
}

var _ infer.Annotated = (*RegistryArgs)(nil)

// Annotate documents the arguments for the schema and the SDKs.
func (a *RegistryArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Repositories, "The ECR repositories to manage, keyed by repository name (for example `team/api`). "+
		"The key is the ECR repository name, after `namePrefix` if one is set: renaming a key replaces that repository. "+
		"Keys must be known when the program runs (they decide which resources exist).")
	an.Describe(&a.Defaults, "Settings applied to every repository. A field set on a repository overrides the default field by field "+
		"(within `access` too); `tags` are merged (registry `tags` < `defaults.tags` < repository `tags`); `lifecycle` is taken as a whole.")
	an.Describe(&a.Tags, "Tags for every resource the component creates. Merged with `defaults.tags` and each repository's `tags`; the most specific value wins. "+
		"Values may be outputs (including secrets).")
	an.Describe(&a.NamePrefix, "Put before every key of `repositories` to make its ECR repository name: with `staging/`, the key `team/api` is the repository "+
		"`staging/team/api`. One program can then deploy a registry per environment into one account, each stack with its own prefix. "+
		"Outputs, `monitoring.alarms[].repositories` and child resource names keep using the keys. "+
		"Lowercase letters and digits, separated by single `.`, `_`, `-` or `/`, optionally ending with one of them; each whole name must still be a valid ECR name. "+
		"Changing it renames every repository, which ECR can only do by deleting and creating it again (with its images): set it when a stack is created.")
	describeRegistryWide(an, a) // issue #11
	// issue #12
	an.Describe(&a.Encryption, "Encryption settings of the registry as a whole: a KMS key made for ECR (`kms`).")
	an.Describe(&a.Monitoring, "CloudWatch and EventBridge monitoring: an event log, scan-finding alerts, alarms and a dashboard.")
}

// toConfig converts the arguments into the resolver's mirror.
func (a *RegistryArgs) toConfig(in *arguments) config.Registry {
	cfg := config.Registry{Tags: in.mapOf(a.Tags), NamePrefix: a.NamePrefix, Repositories: make(map[string]config.Repository, len(a.Repositories))}
	for _, key := range sortedKeys(a.Repositories) { // refs are numbered in a stable order
		repo := a.Repositories[key]
		cfg.Repositories[key] = repo.toConfig(in)
	}
	if a.Defaults != nil {
		d := a.Defaults.toConfig(in)
		cfg.Defaults = &d
	}
	// Registry-wide settings (issue #11); each method is nil-safe.
	cfg.Replication = a.Replication.toConfig(in)
	cfg.PullThroughCache = a.PullThroughCache.toConfig(in)
	cfg.Scanning = a.Scanning.toConfig()
	cfg.RegistryPolicy = a.RegistryPolicy.toConfig(in)
	cfg.CreationTemplates = a.CreationTemplates.toConfig(in)
	// issue #12
	cfg.Encryption, cfg.Monitoring = a.Encryption.toConfig(in), a.Monitoring.toConfig(in)
	return cfg
}

// Registry is the ecrrepos:index:Registry component.
type Registry struct {
	pulumi.ResourceState

	RepositoryNames pulumi.StringMapOutput `pulumi:"repositoryNames"`
	RepositoryArns  pulumi.StringMapOutput `pulumi:"repositoryArns"`
	RepositoryUrls  pulumi.StringMapOutput `pulumi:"repositoryUrls"`
	RegistryId      pulumi.StringOutput    `pulumi:"registryId"`
	RegistryUrl     pulumi.StringOutput    `pulumi:"registryUrl"`

	Repositories RepositoryInfoMapOutput `pulumi:"repositories"`

	PullActions         pulumi.StringArrayOutput `pulumi:"pullActions"`
	PushActions         pulumi.StringArrayOutput `pulumi:"pushActions"`
	PullPolicyJson      pulumi.StringOutput      `pulumi:"pullPolicyJson"`
	PushPolicyJson      pulumi.StringOutput      `pulumi:"pushPolicyJson"`
	PullPolicyDocuments pulumi.StringArrayOutput `pulumi:"pullPolicyDocuments"`
	PushPolicyDocuments pulumi.StringArrayOutput `pulumi:"pushPolicyDocuments"`

	// Registry-wide settings (issue #11); always set, maps may be empty.
	PullThroughCacheUrls       pulumi.StringMapOutput `pulumi:"pullThroughCacheUrls"`       // pull_through_cache_rule.go
	PullThroughCacheSecretArns pulumi.StringMapOutput `pulumi:"pullThroughCacheSecretArns"` // pull_through_cache_rule.go
	RegistryPolicyJson         pulumi.StringOutput    `pulumi:"registryPolicyJson"`         // registry_policy.go
	OwnershipLocks             pulumi.StringMapOutput `pulumi:"ownershipLocks"`             // ownership.go

	// issue #12 (kms_key.go, monitoring.go): "" and {} when not created.
	KmsKeyArn         pulumi.StringOutput    `pulumi:"kmsKeyArn"`
	KmsKeyAlias       pulumi.StringOutput    `pulumi:"kmsKeyAlias"`
	EventLogGroupName pulumi.StringOutput    `pulumi:"eventLogGroupName"`
	AlertTopicArn     pulumi.StringOutput    `pulumi:"alertTopicArn"`
	DashboardUrl      pulumi.StringOutput    `pulumi:"dashboardUrl"`
	AlarmArns         pulumi.StringMapOutput `pulumi:"alarmArns"`
}

var _ infer.Annotated = (*Registry)(nil)

// Annotate documents the component and its outputs.
func (r *Registry) Annotate(a infer.Annotator) {
	a.SetToken("index", "Registry")
	a.Describe(r, registryDoc)
	a.Describe(&r.RepositoryNames, "Repository names, keyed like `repositories`. Depends on the repositories, so consumers wait for them to exist.")
	a.Describe(&r.RepositoryArns, "Repository ARNs, keyed like `repositories`.")
	a.Describe(&r.RepositoryUrls, "Repository URLs (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`), keyed like `repositories`.")
	a.Describe(&r.RegistryId, "The registry ID: the AWS account ID that owns the repositories.")
	a.Describe(&r.RegistryUrl, "The registry host name, `<account>.dkr.ecr.<region>.amazonaws.com`, to use with `docker login`.")
	a.Describe(&r.Repositories, "Each repository as one object, keyed like `repositories`: its name, ARN, URL, registry ID, and the "+
		"repository and lifecycle policy JSON applied (empty when it has none; canonical, so the same settings always give the same text).")
	a.Describe(&r.PullActions, "The ECR actions a pull grant allows.")
	a.Describe(&r.PushActions, "The ECR actions a push grant allows (pull actions included).")
	a.Describe(&r.PullPolicyJson, "An IAM identity policy granting pull on every repository of this registry plus `ecr:GetAuthorizationToken` "+
		"(CDK's grantPull); attach it to a role. Empty when the registry is too large for one managed policy (6,144 characters, about 80 repositories): "+
		"then attach each of `pullPolicyDocuments`.")
	a.Describe(&r.PushPolicyJson, "An IAM identity policy granting push and pull on every repository of this registry plus `ecr:GetAuthorizationToken` "+
		"(CDK's grantPullPush). Empty when the registry is too large for one managed policy: then attach each of `pushPolicyDocuments`.")
	a.Describe(&r.PullPolicyDocuments, "The pull grant on every repository of this registry as IAM policies of at most 6,144 characters each, "+
		"together granting exactly this registry's repositories (one document unless the registry is large).")
	a.Describe(&r.PushPolicyDocuments, "The push-and-pull grant as IAM policies of at most 6,144 characters each (one unless the registry is large).")
	describeRegistryWideOutputs(a, r) // issue #11

	// issue #12
	a.Describe(&r.KmsKeyArn, "ARN of the KMS key `encryption.kms` created; empty when none is created.")
	a.Describe(&r.KmsKeyAlias, "Alias of the KMS key `encryption.kms` created (`alias/…`); empty when none is created.")
	a.Describe(&r.EventLogGroupName, "Name of the event log's CloudWatch log group; empty without `monitoring.eventLog`.")
	a.Describe(&r.AlertTopicArn, "ARN of the SNS topic alerts go to (created or given); empty without `monitoring.alerts`.")
	a.Describe(&r.DashboardUrl, "Console address of the registry's CloudWatch dashboard; empty without `monitoring.dashboard`.")
	a.Describe(&r.AlarmArns, "ARNs of the CloudWatch alarms, keyed `<alarm>/<repository>` (RepositoryPullCount) or `<alarm>` (CallCount); empty without alarms.")
}

// NewRegistry resolves the arguments and registers the component and its
// children. Invalid arguments register nothing; a value that arrives as an
// output is checked by the same rules when it resolves, and no AWS resource
// of the registry is created until it has passed.
func NewRegistry(ctx *pulumi.Context, name string, args RegistryArgs, opts ...pulumi.ResourceOption) (*Registry, error) {
	return onFreshStack(func() (*Registry, error) { return newRegistry(ctx, name, args, opts...) })
}

func newRegistry(ctx *pulumi.Context, name string, args RegistryArgs, opts ...pulumi.ResourceOption) (*Registry, error) {
	in := &arguments{}
	cfg := args.toConfig(in)
	cfg.Names = monitoring.Names{Project: ctx.Project(), Stack: ctx.Stack(), Registry: name} // issue #12
	subject := fmt.Sprintf("arguments for Registry %q", name)
	_, problems := config.Resolve(cfg, config.EnvNotYetKnown())
	problems.Add(checkRegistryName(name)...)
	if err := problems.Err(subject); err != nil {
		return nil, err
	}

	comp := &Registry{}
	if err := ctx.RegisterComponentResource(RegistryToken, name, comp, opts...); err != nil {
		return nil, err
	}
	env, err := lookupEnvironment(ctx, comp, in)
	if err != nil {
		return nil, err
	}
	plan, problems := config.Resolve(cfg, env.Env)
	if err := problems.Err(subject); err != nil {
		return nil, err
	}
	warn(ctx, comp, problems.Warnings())
	// Registry-wide singletons have one owner per account and Region
	// (ownership.go, issue #11): claimed before anything is registered.
	claims, err := claimOwnership(ctx, name, cfg, env)
	if err != nil {
		return nil, err
	}
	legacyPrefix, err := childURNPrefix(ctx, comp)
	if err != nil {
		return nil, err
	}

	r := &registration{
		ctx: ctx, name: name, comp: comp, in: in, cfg: cfg, env: env, subject: subject, claims: claims,
		lifecycleJSON: map[*lifecycle.Policy]string{},
		legacyPrefix:  legacyPrefix,
		gate: in.gate(plan.Refs, func(v config.Values) error {
			_, problems := config.Resolve(cfg.Fill(v), env.Fill(v))
			return problems.Err(subject)
		}),
	}
	for _, step := range beforeRepositories {
		if err := step(r, plan, nil); err != nil {
			return nil, err
		}
	}
	repos := make([]*repository, 0, len(plan.Repositories))
	for _, p := range plan.Repositories {
		repo, err := r.registerRepository(p)
		if err != nil {
			return nil, err
		}
		if err := r.registerLifecyclePolicy(repo); err != nil {
			return nil, err
		}
		if err := r.registerRepositoryPolicy(repo); err != nil {
			return nil, err
		}
		repos = append(repos, repo)
	}
	for _, step := range afterRepositories {
		if err := step(r, plan, repos); err != nil {
			return nil, err
		}
	}
	r.setOutputs(repos)
	return comp, nil
}

// A registryWideStep registers one registry-wide setting: a nested object of
// RegistryArgs, resolved into the plan by its part of internal/config, in a
// file named after the AWS resource it creates.
type registryWideStep func(r *registration, plan *config.Plan, repos []*repository) error

// beforeRepositories register what repositories use (a KMS key they are
// encrypted with); afterRepositories register the rest, in this order.
var (
	beforeRepositories []registryWideStep
	afterRepositories  []registryWideStep
)

// childURNPrefix is the start of the URN of each child of the registry:
// "urn:pulumi:<stack>::<project>::<registry's type chain>$". The registry's
// URN is awaited once: the engine gives it as soon as the component is
// registered.
func childURNPrefix(ctx *pulumi.Context, comp *Registry) (string, error) {
	got, err := internals.UnsafeAwaitOutput(ctx.Context(), comp.URN())
	if err != nil {
		return "", err
	}
	urn := resource.URN(got.Value.(pulumi.URN))
	return "urn:pulumi:" + string(urn.Stack()) + "::" + string(urn.Project()) + "::" + string(urn.QualifiedType()) + "$", nil
}

// childName is the logical name of a child of the registry:
// "<registry>/<key>", where key is what identifies the child among its type
// (a repository name, a pull-through cache prefix). "/" is refused in the
// registry's own name, so two registries of one stack never share a child
// name, and a name that starts with the registry's lets Pulumi carry an alias
// of the registry over to its children.
func (r *registration) childName(key string) string { return r.name + "/" + key }

// checkRegistryName refuses the one character child names depend on.
func checkRegistryName(name string) validate.Problems {
	var ps validate.Problems
	if strings.Contains(name, "/") {
		ps.Addf("name", "must not contain \"/\": the Registry's children are named <registry>/<repository>, got %q", name)
	}
	return ps
}

// registration is one NewRegistry call: what every register step shares.
type registration struct {
	ctx     *pulumi.Context
	name    string
	comp    *Registry
	in      *arguments
	cfg     config.Registry
	env     environment
	subject string
	// gate holds every AWS resource back until the values that arrive as
	// outputs have passed the checks (nil when nothing is deferred).
	gate pulumi.ResourceOption
	// lifecycleJSON holds each lifecycle policy's text, written once.
	lifecycleJSON map[*lifecycle.Policy]string
	// legacyPrefix is the start of a child URN under the registry:
	// "urn:pulumi:<stack>::<project>::<registry's type chain>$".
	legacyPrefix string
	// claims holds the registry-wide resources back until this Registry's
	// ownership claim is made, when the account or Region was not known in
	// time (ownership.go, issue #11; nil otherwise).
	claims pulumi.ResourceOption

	kms *createdKey // issue #12: the key encryption.kms created (kms_key.go)
}

// resolveRepository resolves one repository again once some of its deferred
// values have resolved, for a child input built from them: the same rules,
// the same wording as when the component was constructed.
func (r *registration) resolveRepository(key string, v config.Values) (*config.RepositoryPlan, error) {
	plan, problems := config.ResolveRepository(r.cfg.Fill(v), key, r.env.Fill(v))
	return plan, problems.Err(r.subject)
}

func (r *registration) setOutputs(repos []*repository) {
	c := r.comp
	// The per-repository objects await every repository's outputs once; the
	// maps are views of them.
	c.Repositories = r.repositoryInfos(repos)
	view := func(field func(RepositoryInfo) string) pulumi.StringMapOutput {
		return c.Repositories.ApplyT(func(infos map[string]RepositoryInfo) map[string]string {
			out := make(map[string]string, len(infos))
			for k, info := range infos {
				out[k] = field(info)
			}
			return out
		}).(pulumi.StringMapOutput)
	}
	c.RepositoryNames = view(func(i RepositoryInfo) string { return i.Name })
	c.RepositoryArns = view(func(i RepositoryInfo) string { return i.Arn })
	c.RepositoryUrls = view(func(i RepositoryInfo) string { return i.Url })
	c.RegistryId = r.env.input(r.env.AccountID).ToStringOutput()
	c.RegistryUrl = r.env.registryURL()
	r.setGrantOutputs(repos)
	r.setWideOutputDefaults() // issue #12
}

// warn shows warnings (settings that are valid but do less than they seem)
// on the component.
func warn(ctx *pulumi.Context, comp *Registry, warnings validate.Problems) {
	for _, w := range warnings {
		_ = ctx.Log.Warn(w.String(), &pulumi.LogArgs{Resource: comp})
	}
}

// sortedKeys gives map keys in a stable order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
