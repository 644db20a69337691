package lifecycle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Values of the lifecycle policy document
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html).
const (
	TagStatusTagged   = "tagged"
	TagStatusUntagged = "untagged"
	TagStatusAny      = "any"

	CountTypeImageCountMoreThan     = "imageCountMoreThan"
	CountTypeSinceImagePushed       = "sinceImagePushed"
	CountTypeSinceImagePulled       = "sinceImagePulled"
	CountTypeSinceImageTransitioned = "sinceImageTransitioned"

	CountUnitDays = "days"

	StorageClassStandard = "standard"
	StorageClassArchive  = "archive"

	ActionExpire     = "expire"
	ActionTransition = "transition"
)

// ECR limits on one lifecycle policy document, none adjustable: 50 rules and
// 30,720 characters
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html),
// at least 100 characters (LifecyclePolicyText in
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutLifecyclePolicy.html),
// four '*' per pattern
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html)
// and 90 days in archive before a lifecycle rule may delete an image
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/archive-image.html).
const (
	MaxRules          = 50
	MinPolicyLength   = 100
	MaxPolicyLength   = 30720
	MaxPatternStars   = 4
	MinArchivedDays   = 90 // sinceImageTransitioned + expire: images stay in archive at least 90 days
	defaultPolicyDays = 14
)

// Policy is one ECR lifecycle policy document. Rules keep the order they were
// given in (Parse keeps document order, so rules[i] in a problem path is the
// i-th rule of the user's text); JSON sorts them.
type Policy struct{ Rules []PolicyRule }

// PolicyRule is one rule of the document.
type PolicyRule struct {
	RulePriority int
	Description  string
	Selection    Selection
	Action       Action
}

// Selection is a rule's "selection" object. StorageClass empty means the
// document omits it, which ECR reads as "standard".
type Selection struct {
	TagStatus      string
	TagPrefixList  []string
	TagPatternList []string
	CountType      string
	CountUnit      string
	CountNumber    int
	StorageClass   string
}

// Action is a rule's "action" object.
type Action struct {
	Type               string
	TargetStorageClass string
}

// The JSON shapes. Field order here is the key order of the canonical text.
type docJSON struct {
	Rules []ruleJSON `json:"rules"`
}

type ruleJSON struct {
	RulePriority int           `json:"rulePriority"`
	Description  string        `json:"description,omitempty"`
	Selection    selectionJSON `json:"selection"`
	Action       actionJSON    `json:"action"`
}

type selectionJSON struct {
	TagStatus      string   `json:"tagStatus,omitempty"`
	TagPrefixList  []string `json:"tagPrefixList,omitempty"`
	TagPatternList []string `json:"tagPatternList,omitempty"`
	CountType      string   `json:"countType,omitempty"`
	CountUnit      string   `json:"countUnit,omitempty"`
	CountNumber    int      `json:"countNumber"`
	StorageClass   string   `json:"storageClass,omitempty"`
}

type actionJSON struct {
	Type               string `json:"type,omitempty"`
	TargetStorageClass string `json:"targetStorageClass,omitempty"`
}

// Parse reads a lifecycle policy document. It is strict about shape, not about
// ECR's rules (that is Validate's job): the text must be one JSON object with
// no trailing data, every key must be one ECR defines (a misspelt key is an
// error rather than silently ignored), and numbers must be integers. Field
// names match case-insensitively, as in encoding/json.
func Parse(text string) (*Policy, error) {
	trimmed := strings.TrimLeft(text, " \t\r\n")
	if trimmed == "" {
		return nil, errors.New("the document is empty")
	}
	if trimmed[0] != '{' {
		return nil, errors.New(`the document must be a JSON object like {"rules":[...]}`)
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	var d docJSON
	if err := dec.Decode(&d); err != nil {
		return nil, describeJSONError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON object")
	}
	p := &Policy{Rules: make([]PolicyRule, 0, len(d.Rules))}
	for _, r := range d.Rules {
		p.Rules = append(p.Rules, PolicyRule{
			RulePriority: r.RulePriority,
			Description:  r.Description,
			Selection: Selection{
				TagStatus:      r.Selection.TagStatus,
				TagPrefixList:  r.Selection.TagPrefixList,
				TagPatternList: r.Selection.TagPatternList,
				CountType:      r.Selection.CountType,
				CountUnit:      r.Selection.CountUnit,
				CountNumber:    r.Selection.CountNumber,
				StorageClass:   r.Selection.StorageClass,
			},
			Action: Action{Type: r.Action.Type, TargetStorageClass: r.Action.TargetStorageClass},
		})
	}
	return p, nil
}

func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			field = "the document"
		}
		return fmt.Errorf("%s must be %s, got a JSON %s", field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return fmt.Errorf("not valid JSON at byte %d: %v", syntaxErr.Offset, syntaxErr)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("not valid JSON: the document ends early")
	}
	return fmt.Errorf("not a lifecycle policy document: %v", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(goKind string) string {
	switch goKind {
	case "int":
		return "an integer"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct":
		return "an object"
	}
	return "a " + goKind
}

// JSON returns the canonical text of the policy, the one the component sends
// to ECR and compares with what ECR returns:
//
//   - compact, no HTML escaping; keys in the order rulePriority, description,
//     selection {tagStatus, tagPrefixList, tagPatternList, countType,
//     countUnit, countNumber, storageClass}, action {type,
//     targetStorageClass};
//   - rules sorted by ascending rulePriority (ECR returns them that way:
//     https://github.com/hashicorp/terraform-provider-aws/issues/22639);
//     rules with equal priorities, which
//     Validate refuses, are ordered by their own text so the output still
//     does not depend on input order;
//   - tagPrefixList and tagPatternList sorted and de-duplicated (their entries
//     are ANDed, so order and repetition carry no meaning); empty lists and
//     empty strings omitted; rulePriority and countNumber always written;
//   - invalid UTF-8 (which Validate refuses) written as U+FFFD.
//
// A nil policy has no document and gives "".
func (p *Policy) JSON() string {
	if p == nil {
		return ""
	}
	type keyed struct {
		priority int
		text     []byte
		rule     ruleJSON
	}
	rules := make([]keyed, len(p.Rules))
	for i, r := range p.Rules {
		rj := ruleJSON{
			RulePriority: r.RulePriority,
			Description:  utf8Text(r.Description),
			Selection: selectionJSON{
				TagStatus:      utf8Text(r.Selection.TagStatus),
				TagPrefixList:  sortedSet(r.Selection.TagPrefixList),
				TagPatternList: sortedSet(r.Selection.TagPatternList),
				CountType:      utf8Text(r.Selection.CountType),
				CountUnit:      utf8Text(r.Selection.CountUnit),
				CountNumber:    r.Selection.CountNumber,
				StorageClass:   utf8Text(r.Selection.StorageClass),
			},
			Action: actionJSON{Type: utf8Text(r.Action.Type), TargetStorageClass: utf8Text(r.Action.TargetStorageClass)},
		}
		rules[i] = keyed{priority: r.RulePriority, text: marshal(rj), rule: rj}
	}
	slices.SortStableFunc(rules, func(a, b keyed) int {
		if a.priority != b.priority {
			if a.priority < b.priority {
				return -1
			}
			return 1
		}
		return bytes.Compare(a.text, b.text)
	})
	var b bytes.Buffer
	b.WriteString(`{"rules":[`)
	for i, r := range rules {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(r.text)
	}
	b.WriteString(`]}`)
	return b.String()
}

// marshal encodes v compactly without HTML escaping.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only strings, ints and slices of strings: encoding cannot fail.
		panic(fmt.Sprintf("lifecycle: encoding a rule: %v", err))
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

func sortedSet(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = utf8Text(x)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// utf8Text replaces invalid UTF-8 by U+FFFD before encoding, as Parse reads
// it, so the canonical text is a fixed point (Validate refuses such strings).
func utf8Text(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

// storageClassOf is the storage class a rule selects: omitted means standard.
func storageClassOf(r PolicyRule) string {
	if r.Selection.StorageClass == "" {
		return StorageClassStandard
	}
	return r.Selection.StorageClass
}
