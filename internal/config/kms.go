package config

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/monitoring"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/policy"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Encryption mirrors RegistryArgs.encryption.
type Encryption struct {
	Kms *KmsKey
}

// KmsKey mirrors encryption.kms: a KMS key the Registry creates for its
// repositories. nil fields are unset.
type KmsKey struct {
	Create               *bool
	Alias                *string
	Description          *string
	EnableKeyRotation    *bool
	RotationPeriodInDays *int
	DeletionWindowInDays *int
	MultiRegion          *bool
	Protect              *bool
	AdministratorArns    *List
	UserArns             *List
}

// Defaults and limits of the key (terraform-provider-aws internal/service/kms,
// the KMS API).
const (
	DefaultDeletionWindowInDays = 30
	MinDeletionWindowInDays     = 7
	MaxDeletionWindowInDays     = 30
	MinRotationPeriodInDays     = 90
	MaxRotationPeriodInDays     = 2560
	MaxKeyDescriptionLength     = 8192
	MaxAliasLength              = 256
)

// aliasRe is the alias name KMS and terraform-provider-aws accept.
var aliasRe = regexp.MustCompile(`^alias/[a-zA-Z0-9:/_-]+$`)

// KmsKeyPlan is the key the Registry creates, with defaults applied.
type KmsKeyPlan struct {
	Alias                string
	Description          string
	EnableKeyRotation    bool
	RotationPeriodInDays int // 0: KMS's default
	DeletionWindowInDays int
	MultiRegion          bool
	// Protect: the key and its alias are protected from deletion.
	Protect bool
	// Policy is the key policy; it waits for Refs (principal lists that are
	// outputs, the environment).
	Policy Document
}

func init() { registryWide = append(registryWide, resolveKms) }

// createsKey reports whether the Registry creates a key for its repositories.
func (r Registry) createsKey() bool {
	return r.Encryption != nil && r.Encryption.Kms != nil && deref(r.Encryption.Kms.Create)
}

func (e *Encryption) fill(v Values) *Encryption {
	if e == nil || e.Kms == nil {
		return e
	}
	k := *e.Kms
	k.AdministratorArns = v.list(k.AdministratorArns)
	k.UserArns = v.list(k.UserArns)
	return &Encryption{Kms: &k}
}

// resolveKms checks encryption.kms and plans the key and its policy.
func resolveKms(r Registry, env Env, plan *Plan) validate.Problems {
	if r.Encryption == nil || r.Encryption.Kms == nil {
		return nil
	}
	const path = "encryption.kms"
	at := validate.Under(path)
	k := r.Encryption.Kms
	var ps validate.Problems
	if !deref(k.Create) {
		for field, set := range map[string]bool{
			"alias": k.Alias != nil, "description": k.Description != nil, "enableKeyRotation": k.EnableKeyRotation != nil,
			"rotationPeriodInDays": k.RotationPeriodInDays != nil, "deletionWindowInDays": k.DeletionWindowInDays != nil,
			"multiRegion": k.MultiRegion != nil, "protect": k.Protect != nil,
			"administratorArns": k.AdministratorArns != nil, "userArns": k.UserArns != nil,
		} {
			if set {
				ps.Addf(at(field), "only with create: true: the component configures only a key it creates (for an existing key, set kmsKeyArn on the repositories or defaults)")
			}
		}
		return ps
	}

	p := &KmsKeyPlan{
		Alias:                firstOf(k.Alias, nil, r.Names.DefaultAlias()),
		Description:          firstOf(k.Description, nil, fmt.Sprintf("Encrypts the images of the ECR repositories of the ecrrepos Registry %s (%s/%s)", r.Names.Registry, r.Names.Project, r.Names.Stack)),
		EnableKeyRotation:    firstOf(k.EnableKeyRotation, nil, true),
		RotationPeriodInDays: deref(k.RotationPeriodInDays),
		DeletionWindowInDays: firstOf(k.DeletionWindowInDays, nil, DefaultDeletionWindowInDays),
		MultiRegion:          deref(k.MultiRegion),
		Protect:              firstOf(k.Protect, nil, true),
	}
	ps.Add(checkAlias(at("alias"), p.Alias)...)
	if n := len(p.Description); n > MaxKeyDescriptionLength {
		ps.Addf(at("description"), "must be at most %d characters, got %d", MaxKeyDescriptionLength, n)
	}
	if w := p.DeletionWindowInDays; w < MinDeletionWindowInDays || w > MaxDeletionWindowInDays {
		ps.Addf(at("deletionWindowInDays"), "must be %d to %d days (KMS waits that long before deleting a key scheduled for deletion), got %d",
			MinDeletionWindowInDays, MaxDeletionWindowInDays, w)
	}
	if k.RotationPeriodInDays != nil {
		switch r := *k.RotationPeriodInDays; {
		case !p.EnableKeyRotation:
			ps.Addf(at("rotationPeriodInDays"), "only with enableKeyRotation: true (it is the period of the automatic rotation), got %d with rotation off", r)
		case r < MinRotationPeriodInDays || r > MaxRotationPeriodInDays:
			ps.Addf(at("rotationPeriodInDays"), "must be %d to %d days, got %d", MinRotationPeriodInDays, MaxRotationPeriodInDays, r)
		}
	}

	var refs []Ref
	lists := map[string]*List{"administratorArns": k.AdministratorArns, "userArns": k.UserArns}
	values := map[string][]string{}
	for field, l := range lists {
		items, known := l.strings()
		refs = l.refs(refs)
		if known {
			values[field] = items
			partition := env.Partition.Value
			if !env.Partition.IsKnown() {
				partition = arnPartitionOr(items, "aws")
			}
			ps.Add(policy.CheckPrincipalArns(at(field), items, partition)...)
		}
	}
	var logGroups []string
	if group, ok := r.encryptedEventLog(); ok {
		if env.Partition.IsKnown() && env.Region.IsKnown() && env.AccountID.IsKnown() {
			logGroups = []string{monitoring.LogGroupArn(env.Partition.Value, env.Region.Value, env.AccountID.Value, group)}
		}
	}
	for _, t := range []Text{env.Partition, env.Region, env.AccountID} {
		if t.Ref != 0 {
			refs = append(refs, t.Ref)
		}
	}
	p.Policy.Refs = sortedRefs(refs)
	if len(p.Policy.Refs) == 0 && len(ps.Errors()) == 0 {
		doc, err := policy.KeyPolicy{
			Partition: env.Partition.Value, AccountID: env.AccountID.Value, Region: env.Region.Value,
			AdministratorArns: values["administratorArns"], UserArns: values["userArns"], LogGroupArns: logGroups,
		}.Document()
		if err != nil {
			ps.Addf(path, "%v", err)
		}
		p.Policy.JSON = doc
	}
	plan.Kms = p
	plan.Refs = append(plan.Refs, p.Policy.Refs...)
	return ps
}

// checkAlias checks a KMS alias name.
func checkAlias(path, alias string) validate.Problems {
	var ps validate.Problems
	switch {
	case !strings.HasPrefix(alias, "alias/"):
		ps.Addf(path, "must start with \"alias/\" (for example alias/ecr/platform), got %q", alias)
	case strings.HasPrefix(alias, "alias/aws"):
		ps.Addf(path, "must not start with \"alias/aws\": KMS reserves it for AWS managed keys, got %q", alias)
	case len(alias) > MaxAliasLength:
		ps.Addf(path, "must be at most %d characters, got %d", MaxAliasLength, len(alias))
	case !aliasRe.MatchString(alias):
		ps.Addf(path, "may contain only letters, digits and / _ - : after \"alias/\" (pattern %s), got %q", aliasRe, alias)
	}
	return ps
}

// arnPartitionOr is the partition of the first ARN, for checking a list
// before the environment is known.
func arnPartitionOr(arns []string, fallback string) string {
	for _, a := range arns {
		if parts := strings.SplitN(a, ":", 3); len(parts) == 3 && parts[0] == "arn" {
			return parts[1]
		}
	}
	return fallback
}
