package lifecycle

import (
	"fmt"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Rule is one typed lifecycle rule. It expires images, or with Action
// "transition" moves them to the archive storage class (the only target ECR
// has). The storage class a rule selects follows from its count type:
// sinceImageTransitioned selects archived images (and must expire them, at
// least 90 days after they were archived); every other count type selects
// active (standard) images. sinceImagePulled needs Action "transition".
type Rule struct {
	Priority    *int // nil = assign automatically; an explicit value must be at least 1
	Description string
	TagStatus   string // "tagged" | "untagged" | "any"
	TagPrefixes []string
	TagPatterns []string
	CountType   string // "imageCountMoreThan" | "sinceImagePushed" | "sinceImagePulled" | "sinceImageTransitioned"
	CountNumber int
	Action      string // "" or "expire" (the default) | "transition" (to the archive storage class)
}

// storageClass is the storage class the rule selects.
func (r Rule) storageClass() string {
	if r.CountType == CountTypeSinceImageTransitioned {
		return StorageClassArchive
	}
	return StorageClassStandard
}

// Spec is one repository's `lifecycle` object; nil pointers are unset.
type Spec struct {
	Disabled                bool
	Template                string // "" | "development" | "production" | "cost_optimization" | "compliance"
	Rules                   []Rule
	KeepLatest              *int     // keep the newest N tagged images when an untagged rule exists, else the newest N images
	ExpireUntaggedAfterDays *int     // untagged images older than N days
	ExpireTaggedAfterDays   *int     // tagged images (tagPatternList ["*"]) older than N days
	ExpireAllAfterDays      *int     // all images older than N days
	ProtectTags             []string // tag prefixes, or patterns (an entry containing '*'), whose images the other rules never expire
	PolicyJSON              string   // a complete ECR lifecycle policy document, used as given (still validated)

	// ArchiveNotPulledAfterDays moves images not pulled for N days (never
	// pulled: pushed N days ago) to the archive storage class: one
	// tagStatus any, sinceImagePulled, transition rule, the last rule for
	// active images. It acts on the images no earlier rule selects, so it
	// combines with protectTags, expireUntaggedAfterDays and typed tagged
	// rules, not with keepLatest, expireTaggedAfterDays, expireAllAfterDays
	// or a typed tagStatus any rule (which would select the same images
	// first).
	ArchiveNotPulledAfterDays *int
	// ExpireArchivedAfterDays deletes archived images N days after they were
	// archived (at least 90: ECR's minimum storage duration in archive): one
	// tagStatus any, storageClass archive, sinceImageTransitioned rule.
	ExpireArchivedAfterDays *int
}

// The protective rule needs an action that never fires. The common idiom
// (an AWS engineer's advice in https://github.com/aws/amazon-ecs-agent/issues/1373,
// used in https://github.com/alphagov/govuk-infrastructure/pull/765) is
// imageCountMoreThan 9999; it fires once 10,000 images carry a protected tag,
// which the 100,000-images-per-repository quota
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html)
// allows, and would then silently delete protected images. An age of 36,500
// days (100 years) cannot be reached by any image ECR (launched 2015) holds.
const (
	ProtectCountType   = CountTypeSinceImagePushed
	ProtectCountNumber = 36500
)

// DefaultPolicy is the policy of a repository that says nothing about its
// lifecycle: expire untagged images older than 14 days.
func DefaultPolicy() *Policy {
	return &Policy{Rules: []PolicyRule{{
		RulePriority: 1,
		Description:  fmt.Sprintf("Expire untagged images older than %d days", defaultPolicyDays),
		Selection: Selection{
			TagStatus:   TagStatusUntagged,
			CountType:   CountTypeSinceImagePushed,
			CountUnit:   CountUnitDays,
			CountNumber: defaultPolicyDays,
		},
		Action: Action{Type: ActionExpire},
	}}}
}

func (s *Spec) empty() bool {
	return !s.Disabled && s.Template == "" && len(s.Rules) == 0 && s.KeepLatest == nil &&
		s.ExpireUntaggedAfterDays == nil && s.ExpireTaggedAfterDays == nil &&
		s.ExpireAllAfterDays == nil && len(s.ProtectTags) == 0 && s.PolicyJSON == "" &&
		s.ArchiveNotPulledAfterDays == nil && s.ExpireArchivedAfterDays == nil
}

type setField struct{ name, value string }

// setFields lists the fields other than Disabled and PolicyJSON that are set.
func (s *Spec) setFields() []setField {
	var fs []setField
	if s.Template != "" {
		fs = append(fs, setField{"template", fmt.Sprintf("%q", s.Template)})
	}
	if len(s.Rules) > 0 {
		fs = append(fs, setField{"rules", fmt.Sprintf("%d rules", len(s.Rules))})
	}
	for _, h := range []struct {
		name string
		v    *int
	}{
		{"keepLatest", s.KeepLatest},
		{"expireUntaggedAfterDays", s.ExpireUntaggedAfterDays},
		{"expireTaggedAfterDays", s.ExpireTaggedAfterDays},
		{"expireAllAfterDays", s.ExpireAllAfterDays},
		{"archiveNotPulledAfterDays", s.ArchiveNotPulledAfterDays},
		{"expireArchivedAfterDays", s.ExpireArchivedAfterDays},
	} {
		if h.v != nil {
			fs = append(fs, setField{h.name, fmt.Sprint(*h.v)})
		}
	}
	if len(s.ProtectTags) > 0 {
		fs = append(fs, setField{"protectTags", fmt.Sprintf("%q", s.ProtectTags)})
	}
	return fs
}

// Build validates the spec (paths under path, e.g.
// `repositories["x"].lifecycle`) and returns the policy to apply, its rules
// sorted by priority. A nil *Policy with no problems means "no lifecycle
// policy" (Disabled); a nil or entirely empty spec gives DefaultPolicy. When
// there are errors the policy is nil; warnings (validate.Problem.Warning)
// come with the policy. The translation is described in the package
// documentation.
func Build(path string, spec *Spec) (*Policy, validate.Problems) {
	if spec == nil || spec.empty() {
		return DefaultPolicy(), nil
	}
	var ps validate.Problems
	if spec.Disabled {
		fields := spec.setFields()
		if spec.PolicyJSON != "" {
			fields = append(fields, setField{"policyJson", "a document"})
		}
		for _, f := range fields {
			ps.Addf(validate.Field(path, f.name), "%s must not be set when disabled is true (disabled means the repository gets no lifecycle policy), got %s", f.name, f.value)
		}
		return nil, ps
	}
	if spec.PolicyJSON != "" {
		return buildFromJSON(path, spec)
	}
	return buildTyped(path, spec)
}

func buildFromJSON(path string, spec *Spec) (*Policy, validate.Problems) {
	var ps validate.Problems
	for _, f := range spec.setFields() {
		ps.Addf(validate.Field(path, f.name), "%s must not be set together with policyJson (policyJson is the complete lifecycle policy document, used as given), got %s", f.name, f.value)
	}
	at := validate.Field(path, "policyJson")
	p, err := Parse(spec.PolicyJSON)
	if err != nil {
		ps.Addf(at, "policyJson must be an ECR lifecycle policy document: %v", err)
		return nil, ps
	}
	for _, q := range Validate("", p) {
		msg := q.Message
		if q.Path != "" {
			msg = q.Path + ": " + msg
		}
		ps.Add(validate.Problem{Path: at, Message: msg, Warning: q.Warning})
	}
	if len(ps.Errors()) > 0 {
		return nil, ps
	}
	return p, ps
}
