// Package config is the one resolver of a Registry's arguments. It holds a
// plain mirror of the arguments in which every value that may be an output
// is known-or-deferred (Text, List, Map), merges `defaults` into each
// repository once while recording where each value was written (so a problem
// is reported at `repositories["x"].access.pullAccountIds[0]` or at
// `defaults.access.pullAccountIds[0]`), checks every rule whose inputs are
// known, and builds the documents (repository policy, lifecycle policy) whose
// inputs are all known.
//
// The provider runs the same Resolve twice: when the component is
// constructed, on what is known then (every problem at once, nothing
// registered), and again when the outputs the arguments carry have resolved
// (Fill them in, Resolve again: the same rules, the same wording). It has no
// Pulumi dependency, so every rule is a plain table test.
package config

import (
	"maps"
	"slices"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/monitoring"
)

// Registry mirrors the component's arguments.
type Registry struct {
	Repositories map[string]Repository
	Defaults     *Repository
	Tags         *Map
	// NamePrefix is put before each key of Repositories to make its ECR
	// repository name (nil: the key is the name).
	NamePrefix *string

	// Registry-wide settings (issue #11), nil unless asked for; each is
	// mirrored, filled and resolved in a file of its own.
	Replication       *Replication       // replication.go
	PullThroughCache  *PullThroughCache  // pull_through_cache.go
	Scanning          *Scanning          // scanning.go
	RegistryPolicy    *RegistryPolicy    // registry_policy.go
	CreationTemplates *CreationTemplates // creation_templates.go
	// issue #12: the key the Registry creates and its monitoring (kms.go,
	// monitoring.go); Names are what their physical names derive from.
	Encryption *Encryption
	Monitoring *Monitoring
	Names      monitoring.Names
}

// RepositoryName is the ECR name of the repository declared under key.
func (r Registry) RepositoryName(key string) string {
	if r.NamePrefix == nil {
		return key
	}
	return *r.NamePrefix + key
}

// repositoryNames are the ECR names of every declared repository, sorted
// (one prefix before every key keeps the keys' order).
func (r Registry) repositoryNames() []string {
	names := slices.Sorted(maps.Keys(r.Repositories))
	for i, key := range names {
		names[i] = r.RepositoryName(key)
	}
	return names
}

// Repository mirrors one `repositories` entry, or `defaults`. nil means unset.
type Repository struct {
	ImageTagMutability *string
	ScanOnPush         *bool
	EncryptionType     *string
	KmsKeyArn          *Text
	ForceDelete        *bool
	AllowReplace       *bool
	RetainOnDelete     *bool
	ImportExisting     *bool
	Tags               *Map
	Access             *Access
	Lifecycle          *lifecycle.Spec
}

// Access mirrors a repository's `access` object. nil means unset; a set but
// empty list replaces the default's list (and grants nothing).
type Access struct {
	PullAccountIds        *List
	PushAccountIds        *List
	PullPrincipalArns     *List
	PushPrincipalArns     *List
	PullOrganizationIds   *List
	PushOrganizationIds   *List
	PullOrganizationPaths *List
	LambdaPullAccountIds  *List
	AllowOnlyPrincipals   *List
	StrictDeny            *bool
	// AllowAnyAwsAccountPull, and its deprecated spelling AllowPublicPull.
	AllowAnyAwsAccountPull *bool
	AllowPublicPull        *bool
	// PolicyStatements are IAM statements as JSON objects, each deferred
	// while any value inside it is an output.
	PolicyStatements *List
	Policy           *Text
}

// Env is what the component learns from the aws provider it runs with.
type Env struct {
	AccountID Text
	Region    Text
	Partition Text
}

// notYet stands for a value that is not known yet and is never filled in.
const notYet Ref = -1

// EnvNotYetKnown is the environment before the aws provider has been asked:
// Resolve then checks everything that does not depend on it.
func EnvNotYetKnown() Env {
	return Env{AccountID: Deferred(notYet), Region: Deferred(notYet), Partition: Deferred(notYet)}
}

// Fill returns a copy of r with the values of resolved outputs filled in.
// Values it has no entry for stay deferred.
func (r Registry) Fill(v Values) Registry {
	out := Registry{Tags: v.mapOf(r.Tags), NamePrefix: r.NamePrefix, Repositories: make(map[string]Repository, len(r.Repositories))}
	for k, repo := range r.Repositories {
		out.Repositories[k] = repo.fill(v)
	}
	if r.Defaults != nil {
		d := r.Defaults.fill(v)
		out.Defaults = &d
	}
	for _, fill := range registryWideFill { // issue #11
		fill(&out, r, v)
	}
	// issue #12
	out.Encryption, out.Monitoring, out.Names = r.Encryption.fill(v), r.Monitoring.fill(v), r.Names
	return out
}

// Fill returns a copy of e with the values of resolved outputs filled in.
func (e Env) Fill(v Values) Env {
	return Env{AccountID: v.text(e.AccountID), Region: v.text(e.Region), Partition: v.text(e.Partition)}
}

func (r Repository) fill(v Values) Repository {
	out := r
	out.KmsKeyArn = v.textPtr(r.KmsKeyArn)
	out.Tags = v.mapOf(r.Tags)
	if r.Access != nil {
		a := *r.Access
		for _, f := range accessLists {
			*f.in(&a) = v.list(*f.in(r.Access))
		}
		a.PolicyStatements = v.list(r.Access.PolicyStatements)
		a.Policy = v.textPtr(r.Access.Policy)
		out.Access = &a
	}
	return out
}
