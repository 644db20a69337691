package lifecycle

import (
	"fmt"
	"slices"
)

// Template is one predefined lifecycle template: the helper values it fills
// in (0 = not set), what it promises about tagged images, and two sentences
// for documentation (the provider's enum descriptions and README use them).
type Template struct {
	Name                    string
	KeepLatest              int // keep the newest N tagged images (the template always has an untagged rule)
	ExpireUntaggedAfterDays int
	ExpireTaggedAfterDays   int

	// TaggedRetention is what the template guarantees about tagged images,
	// whatever else is pushed. Tests check it against the simulator.
	TaggedRetention TaggedRetention
	// Summary says exactly what the template keeps and expires.
	Summary string
	// VersusLgallard says how it differs from lgallard/terraform-aws-ecr's
	// template of the same name.
	VersusLgallard string
}

// TaggedRetention is a promise about tagged images. Exactly one field is set.
// Protected tags (protectTags) are kept in any case.
type TaggedRetention struct {
	// NewestTagged: the newest N tagged images (by push time) are never
	// expired, however many untagged images are pushed and however old they
	// are. Older tagged images are expired.
	NewestTagged int
	// Days: no tagged image is expired within N days of its push (ECR
	// expires it once more than N days have passed), however many images
	// are pushed.
	Days int
}

// String describes the promise in one phrase, e.g. "the newest 50 tagged
// images" or "every tagged image for 90 days after its push".
func (r TaggedRetention) String() string {
	switch {
	case r.NewestTagged > 0:
		return fmt.Sprintf("the newest %d tagged images", r.NewestTagged)
	case r.Days > 0:
		return fmt.Sprintf("every tagged image for %d days after its push", r.Days)
	}
	return "no tagged image"
}

// templates are lgallard/terraform-aws-ecr's lifecycle templates, made safe.
// lgallard's README ("Available Templates",
// https://github.com/lgallard/terraform-aws-ecr#available-templates) lists:
//
//	Template           Keep Images  Untagged Expiry  Tagged Expiry  Tag Prefixes
//	development                 50           7 days              -  ["dev", "feature"]
//	production                 100          14 days        90 days  ["v", "release", "prod"]
//	cost_optimization           10           3 days        30 days  [] (all images)
//	compliance                 200          30 days       365 days  ["v", "release", "audit"]
//
// Its locals.tf (https://github.com/lgallard/terraform-aws-ecr/blob/master/locals.tf)
// turns a row into at most three rules: priority 1 untagged sinceImagePushed
// (untagged expiry); priority 2 imageCountMoreThan (keep images), tagged with
// tagPrefixList = the prefixes when there are any, else tagStatus any;
// priority 3 tagStatus any sinceImagePushed (tagged expiry). So:
//
//   - The keep rule of development, production and compliance is a tagged
//     rule whose prefixes ECR ANDs: it selects only images that carry a tag
//     starting with each prefix at once ("dev…" and "feature…"), which almost
//     no image does. It is almost inert, and the effective policy is the
//     untagged expiry plus, for production and compliance, the age rule
//     (which after the untagged rule reaches tagged images only).
//   - cost_optimization has two tagStatus any rules; ECR requires the any
//     rule to be the single rule with the highest priority, so ECR refuses it.
//
// The templates here keep lgallard's effective behaviour where it is valid
// and never delete a tagged image by count within days of its push:
// production and compliance are untagged + tagged expiry with no count;
// development and cost_optimization keep the newest N tagged images (a
// tagged rule, so untagged pushes do not count) and expire untagged images.
// keepLatest and expireTaggedAfterDays cannot be combined (both select every
// tagged image, and only the first could act), so no template sets both.
var templates = []Template{
	{
		Name: "development", KeepLatest: 50, ExpireUntaggedAfterDays: 7,
		TaggedRetention: TaggedRetention{NewestTagged: 50},
		Summary:         "Keeps the newest 50 tagged images, whatever their age (untagged images do not count toward the 50), and expires untagged images 7 days after their push.",
		VersusLgallard:  `lgallard's keep-50 rule selects images by tagPrefixList ["dev", "feature"], which ECR ANDs, so it almost never matches and lgallard only expires untagged images; this template caps tagged images at the newest 50.`,
	},
	{
		Name: "production", ExpireUntaggedAfterDays: 14, ExpireTaggedAfterDays: 90,
		TaggedRetention: TaggedRetention{Days: 90},
		Summary:         "Keeps every tagged image for 90 days after its push and expires it after that; expires untagged images 14 days after their push. No count limit.",
		VersusLgallard:  `lgallard's table also says "keep 100", but its keep rule uses tagPrefixList ["v", "release", "prod"], which ECR ANDs, so it almost never matches; its effective rules are these two expiries. The count is left out because it would expire tagged images younger than 90 days after a burst of pushes.`,
	},
	{
		Name: "cost_optimization", KeepLatest: 10, ExpireUntaggedAfterDays: 3,
		TaggedRetention: TaggedRetention{NewestTagged: 10},
		Summary:         "Keeps the newest 10 tagged images, whatever their age (untagged images do not count toward the 10), and expires untagged images 3 days after their push.",
		VersusLgallard:  "lgallard's version has two tagStatus any rules (keep 10, expire after 30 days), which ECR refuses; this template keeps the count for tagged images only and has no 30-day expiry.",
	},
	{
		Name: "compliance", ExpireUntaggedAfterDays: 30, ExpireTaggedAfterDays: 365,
		TaggedRetention: TaggedRetention{Days: 365},
		Summary:         "Keeps every tagged image for 365 days after its push and expires it after that; expires untagged images 30 days after their push. No count limit, so no tagged image is deleted before it is 365 days old.",
		VersusLgallard:  `lgallard's table also says "keep 200", but its keep rule uses tagPrefixList ["v", "release", "audit"], which ECR ANDs, so it almost never matches; its effective rules are these two expiries. A count would delete audit images after a burst of pushes, days after their push.`,
	},
}

// Templates returns the predefined templates, in documentation order.
func Templates() []Template { return slices.Clone(templates) }

// TemplateNames returns the accepted values of Spec.Template, without "".
func TemplateNames() []string {
	names := make([]string, len(templates))
	for i, t := range templates {
		names[i] = t.Name
	}
	return names
}

func lookupTemplate(name string) (Template, bool) {
	for _, t := range templates {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}
