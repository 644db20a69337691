package config

import (
	"maps"
	"slices"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Built-in defaults, used when neither a repository nor `defaults` sets a field.
const (
	DefaultImageTagMutability = "IMMUTABLE"
	DefaultScanOnPush         = true
	DefaultEncryptionType     = "AES256"
)

// The enumerations pulumi-aws v6 accepts.
var (
	ImageTagMutabilities = []string{"MUTABLE", "IMMUTABLE"}
	EncryptionTypes      = []string{"AES256", "KMS"}
)

// Plan is what the arguments resolve to: everything the provider registers.
type Plan struct {
	// Repositories in key order, so the same arguments always register the
	// same resources in the same order.
	Repositories []*RepositoryPlan
	// Refs are the deferred values anything in the plan waits for.
	Refs []Ref

	// Registry-wide settings (issue #11): nil (empty) unless asked for, each
	// resolved by its own file.
	Replication       *ReplicationPlan        // replication.go
	PullThroughCache  *PullThroughCachePlan   // pull_through_cache.go
	Scanning          *ScanningPlan           // scanning.go
	RegistryPolicy    *RegistryPolicyPlan     // registry_policy.go
	CreationTemplates []*CreationTemplatePlan // creation_templates.go
	// issue #12: the key the Registry creates and its monitoring (nil: none).
	Kms        *KmsKeyPlan
	Monitoring *MonitoringPlan
}

// RepositoryPlan is one repository with defaults applied and checked.
type RepositoryPlan struct {
	Key                string // its key in `repositories`: outputs and child names use it
	Name               string // the ECR repository name: namePrefix + Key
	Path               string // repositories["<key>"], for messages
	ImageTagMutability string
	ScanOnPush         bool
	EncryptionType     string
	KmsKeyArn          *Text // nil: no customer key
	KmsKeyArnPath      string
	CreatedKey         bool // issue #12: encrypted with the key encryption.kms creates
	ForceDelete        bool
	AllowReplace       bool
	RetainOnDelete     bool
	ImportExisting     bool
	Tags               Tags
	Policy             *Document         // nil: no repository policy
	Lifecycle          *lifecycle.Policy // nil: no lifecycle policy
	// Refs are the deferred values this repository's resources wait for.
	Refs []Ref
}

// Document is a generated JSON document, or the deferred values it waits for.
type Document struct {
	JSON string
	Refs []Ref // non-empty: built once these resolve
}

// Resolve merges defaults into every repository and checks every rule whose
// inputs are known. Problems carry the path each value was written at; the
// plan is complete only when there are none and Refs is empty.
func Resolve(r Registry, env Env) (*Plan, validate.Problems) {
	var ps validate.Problems
	defaults := r.defaults()
	ps.Add(checkRepositoryObject("defaults", defaults)...)
	ps.Add(checkDefaultKey(defaults)...)
	ps.Add(checkTagLayer("tags", r.Tags)...)
	ps.Add(checkTagLayer("defaults.tags", defaults.Tags)...)
	ps.Add(checkNamePrefix(r.NamePrefix)...)

	plan := &Plan{Repositories: make([]*RepositoryPlan, 0, len(r.Repositories))}
	memo := newMemo()
	for _, key := range slices.Sorted(maps.Keys(r.Repositories)) {
		repo, problems := resolveRepository(r, key, defaults, env, memo)
		ps.Add(problems...)
		plan.Repositories = append(plan.Repositories, repo)
		plan.Refs = append(plan.Refs, repo.Refs...)
	}
	for _, resolve := range registryWide {
		ps.Add(resolve(r, env, plan)...)
	}
	plan.Refs = sortedRefs(plan.Refs)
	return plan, ps
}

// registryWide resolve the registry-wide settings into the plan, each in a
// file of its own, after the repositories (some rules relate the two: a
// pull-through cache prefix must not be a declared repository). Each adds the
// refs it waits for to plan.Refs.
var registryWide []func(r Registry, env Env, plan *Plan) validate.Problems

// registryWideFill fill the registry-wide settings in Registry.Fill, one
// per file, like registryWide.
var registryWideFill []func(out *Registry, in Registry, v Values)

// ResolveRepository resolves one repository, as Resolve does. The provider
// calls it when the outputs one of the repository's resources needs have
// resolved.
func ResolveRepository(r Registry, key string, env Env) (*RepositoryPlan, validate.Problems) {
	return resolveRepository(r, key, r.defaults(), env, newMemo())
}

func (r Registry) defaults() *Repository {
	if r.Defaults != nil {
		return r.Defaults
	}
	return &Repository{}
}

func resolveRepository(r Registry, key string, defaults *Repository, env Env, memo *memo) (*RepositoryPlan, validate.Problems) {
	path := validate.Key("repositories", key)
	own := r.Repositories[key]
	var ps validate.Problems
	name := r.RepositoryName(key)
	if r.NamePrefix == nil || validate.NamePrefix("namePrefix", *r.NamePrefix) == nil { // a bad prefix is reported once, not per key
		ps.Add(validate.RepositoryName(path, name)...)
	}
	p, problems := resolveSettings(r, path, &own, defaults, env, memo)
	p.Key, p.Name = key, name
	return p, append(ps, problems...)
}

// resolveSettings merges defaults into one object of repository settings
// written at path (a repository, or a creation template's settings for the
// repositories ECR creates) and checks and builds it.
func resolveSettings(r Registry, path string, own, defaults *Repository, env Env, memo *memo) (*RepositoryPlan, validate.Problems) {
	var ps validate.Problems
	ps.Add(checkRepositoryObject(path, own)...)

	p := &RepositoryPlan{
		Path:               path,
		ImageTagMutability: firstOf(own.ImageTagMutability, defaults.ImageTagMutability, DefaultImageTagMutability),
		ScanOnPush:         firstOf(own.ScanOnPush, defaults.ScanOnPush, DefaultScanOnPush),
		EncryptionType:     firstOf(own.EncryptionType, defaults.EncryptionType, DefaultEncryptionType),
		ForceDelete:        firstOf(own.ForceDelete, defaults.ForceDelete, false),
		AllowReplace:       firstOf(own.AllowReplace, defaults.AllowReplace, false),
		RetainOnDelete:     firstOf(own.RetainOnDelete, defaults.RetainOnDelete, false),
		ImportExisting:     firstOf(own.ImportExisting, defaults.ImportExisting, false),
	}

	var problems validate.Problems
	p.KmsKeyArn, p.KmsKeyArnPath, problems = resolveKmsKey(path, own, defaults, p.EncryptionType, env)
	ps.Add(problems...)
	if p.KmsKeyArn != nil && p.KmsKeyArn.Ref != 0 {
		p.Refs = append(p.Refs, p.KmsKeyArn.Ref)
	}
	// issue #12: a KMS repository without a key of its own (or from defaults)
	// uses the key the Registry creates, when it creates one.
	if p.EncryptionType == "KMS" && p.KmsKeyArn == nil && r.createsKey() {
		p.CreatedKey, p.KmsKeyArnPath = true, validate.Field(path, "encryptionType")
	}

	p.Tags, problems = resolveTags(path, r.Tags, defaults.Tags, own.Tags)
	ps.Add(problems...)
	p.Refs = append(p.Refs, p.Tags.refs...)

	p.Policy, problems = resolveAccess(path, own.Access, defaults.Access, env, memo)
	ps.Add(problems...)
	if p.Policy != nil {
		p.Refs = append(p.Refs, p.Policy.Refs...)
	}

	p.Lifecycle, problems = memo.lifecycle(path, own.Lifecycle, defaults.Lifecycle)
	ps.Add(problems...)

	p.Refs = sortedRefs(p.Refs)
	return p, ps
}

// checkNamePrefix checks namePrefix on its own; each name it makes is
// checked with its repository.
func checkNamePrefix(prefix *string) validate.Problems {
	if prefix == nil {
		return nil
	}
	return validate.NamePrefix("namePrefix", *prefix)
}

// checkRepositoryObject checks the plain fields of one Repository object as
// written (a repository or the defaults), before merging.
func checkRepositoryObject(path string, r *Repository) validate.Problems {
	var ps validate.Problems
	if r.ImageTagMutability != nil {
		ps.Add(validate.OneOf(validate.Field(path, "imageTagMutability"), *r.ImageTagMutability, ImageTagMutabilities...)...)
	}
	if r.EncryptionType != nil {
		ps.Add(validate.OneOf(validate.Field(path, "encryptionType"), *r.EncryptionType, EncryptionTypes...)...)
	}
	if r.KmsKeyArn != nil && r.KmsKeyArn.IsKnown() {
		ps.Add(validate.KmsKeyArn(validate.Field(path, "kmsKeyArn"), r.KmsKeyArn.Value)...)
	}
	ps.Add(checkAccessObject(path, r.Access)...)
	return ps
}

// resolveLifecycle builds the repository's lifecycle policy: its own
// `lifecycle` as a whole, else the default's, else the built-in default.
func resolveLifecycle(path string, own, inherited *lifecycle.Spec) (*lifecycle.Policy, validate.Problems) {
	switch {
	case own != nil:
		return lifecycle.Build(validate.Field(path, "lifecycle"), own)
	case inherited != nil:
		return lifecycle.Build("defaults.lifecycle", inherited)
	}
	return lifecycle.Build(validate.Field(path, "lifecycle"), nil)
}

func firstOf[T any](own, inherited *T, builtin T) T {
	if own != nil {
		return *own
	}
	if inherited != nil {
		return *inherited
	}
	return builtin
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}
