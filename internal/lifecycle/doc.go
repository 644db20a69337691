// Package lifecycle turns one repository's `lifecycle` settings into an ECR
// lifecycle policy document, checks documents against ECR's rules, writes
// them as one canonical JSON text, and simulates what a policy would expire.
// It has no Pulumi dependency. Rules and limits come from AWS's "Lifecycle
// policy properties"
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html),
// its examples
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_examples.html),
// the evaluation rules
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules),
// the archive storage class
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/archive-image.html)
// and the service quotas
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html).
//
// # Translation
//
// Build reads a Spec in this order:
//
//  1. A nil or entirely empty spec gives the default policy: one rule,
//     priority 1, expiring untagged images older than 14 days.
//  2. disabled: true gives no policy; any other field set with it is a
//     problem at that field.
//  3. policyJson is parsed, validated like any document (problems at
//     `<path>.policyJson`, the message starting with `rules[i]...`) and used
//     as given; any other field set with it is a problem at that field.
//  4. template fills the helpers left unset (see Templates). An explicit
//     helper always wins over the template's value of the same name, and a
//     template value yields to an explicit one it conflicts with.
//  5. Explicit combinations that ECR would accept but never apply as
//     written are refused, naming both fields (see Checks).
//  6. Rules are generated in the translation order below.
//  7. Priorities are assigned (see Priorities).
//  8. The result is checked (see Checks); with any error Build returns no
//     policy. Warnings come with the policy.
//
// Translation order, one or more rules per field:
//
//  1. protectTags: one protective rule per entry, in the order given (see
//     Protected tags).
//  2. expireUntaggedAfterDays: untagged, sinceImagePushed N days.
//  3. rules: the typed rules, in the order given; action "expire" unless
//     "transition" (then targetStorageClass "archive", the only target),
//     storageClass "archive" for sinceImageTransitioned (the only count
//     type that selects archived images; omitted otherwise, i.e. standard),
//     countUnit "days" for the since* count types, an empty description
//     generated from the rule.
//  4. expireTaggedAfterDays: tagged, tagPatternList ["*"], sinceImagePushed N
//     days. It comes after the typed rules, not before them: it selects every
//     tagged image, so a tagged rule evaluated after it could never expire
//     anything.
//  5. keepLatest or expireAllAfterDays, after the rules above.
//     keepLatest is imageCountMoreThan N over tagged images
//     (tagStatus tagged, tagPatternList ["*"], "Keep the newest N tagged
//     images") when the policy has an untagged rule (expireUntaggedAfterDays,
//     from a template or not, or a typed untagged rule), and over every
//     image (tagStatus any, "Keep the newest N images") only when it has
//     none. ECR counts images that a higher-priority rule claimed
//     (evaluation rule "Rules can never mark images that are marked by
//     higher priority rules, but can still identify them"), so an any count
//     next to an untagged rule ranks fresh untagged images, which only the
//     untagged rule may expire, among the newest N, and expires in-use
//     tagged images instead: 12 untagged pushes in a day would delete
//     `v1.0.0` and `latest` under keepLatest 10. expireAllAfterDays is
//     tagStatus any, sinceImagePushed N days.
//  6. archiveNotPulledAfterDays: tagStatus any, sinceImagePulled N days,
//     transition to archive, the last rule for active images. It archives
//     what no earlier rule selects: protected images, untagged images under
//     an untagged rule and images of typed rules stay where those rules put
//     them. Images never pulled count from their push.
//  7. expireArchivedAfterDays: tagStatus any, storageClass archive,
//     sinceImageTransitioned N days (N ≥ 90: "You cannot configure
//     lifecycle policies that delete images that have been in archive for
//     less than 90 days",
//     https://docs.aws.amazon.com/AmazonECR/latest/userguide/archive-image.html).
//     It also expires images archived by hand.
//
// # Priorities
//
// A typed rule's explicit priority is kept; it must be at least 1 (an
// explicit 0 is refused like rulePriority 0 in policyJson; leave it unset to
// have one assigned). Every other rule that is
// neither a tagStatus any rule nor keepLatest takes, in translation order,
// the lowest positive number not used yet, so generated rules fill the gaps
// around explicit numbers. Then keepLatest, and then each tagStatus any rule
// without a priority, takes one more than the highest number in the policy,
// so the any rule is last as ECR requires. An explicit priority on an any
// rule is kept and must end up the highest.
// Rules of the two storage classes are numbered together; each class has its
// own tagStatus any rule, and both come last. Because gap filling can put an
// explicit rule before a generated one, the checks below refuse the
// placements that change meaning.
//
// # Checks
//
// The generated document is checked against every ECR rule (see Validate),
// with problems reported at the spec field a rule came from, e.g.
// `<path>.rules[2].countNumber`, `<path>.keepLatest`, `<path>.protectTags[1]`
// (`<path>.template` for a value the template supplied). Build also refuses
// these combinations, which ECR would accept but never apply as written:
//
//   - keepLatest with expireTaggedAfterDays: both select every tagged image,
//     and expireTaggedAfterDays comes first and claims them, so keepLatest
//     could never cap tagged images (it could only expire untagged ones);
//   - keepLatest with expireAllAfterDays, or either with a typed tagStatus
//     any rule: ECR allows one tagStatus any rule per storage class, last,
//     and the first would claim every image so the second could never act;
//   - archiveNotPulledAfterDays with keepLatest, expireTaggedAfterDays,
//     expireAllAfterDays or a typed tagStatus any rule for active images:
//     each selects every tagged image before the archive rule, so no tagged
//     image would ever be archived; expireArchivedAfterDays with a typed
//     tagStatus any rule for archived images;
//   - the rules ECR documents for transitions and archived images, at the
//     field: sinceImagePulled only with action "transition",
//     sinceImageTransitioned only with "expire" and at least 90 days;
//   - more than 50 rules in total (each protectTags entry is one rule);
//   - a typed tagged rule whose explicit priority puts it before a
//     protectTags rule, as it could expire protected images;
//   - a rule (other than a protective one) that can never act on an image
//     because higher-priority rules of its storage class select every image
//     it selects, e.g.
//     expireAllAfterDays with both expireUntaggedAfterDays and
//     expireTaggedAfterDays, keepLatest after protectTags ["*"], or a typed
//     tagged rule numbered after expireTaggedAfterDays;
//   - protectTags with nothing else, which would expire nothing;
//   - an empty entry in a typed rule's tagPrefixes (it matches every tag) or
//     tagPatterns (it matches no tag), as protectTags refuses "".
//
// Warnings (validate.Problem.Warning) never fail Build; the policy comes with
// them:
//
//   - protectTags next to untagged rules only (or rules for archived images,
//     which protective rules never select): a protected tag can only keep
//     tagged active images away from other rules, and no other rule selects
//     them, so it protects nothing.
//
// # Templates
//
// A template fills in helpers. Each is lgallard/terraform-aws-ecr's template
// of the same name ("Available Templates" in
// https://github.com/lgallard/terraform-aws-ecr#available-templates, rules in
// https://github.com/lgallard/terraform-aws-ecr/blob/master/locals.tf) as ECR
// effectively applies it, made safe: no template deletes a tagged image by
// count within days of its push, and counts rank tagged images only.
//
//	template           helpers                                   tagged images kept
//	development        keepLatest 50, expireUntaggedAfterDays 7   the newest 50 tagged images
//	production         expireUntaggedAfterDays 14,                every tagged image for 90 days
//	                   expireTaggedAfterDays 90
//	cost_optimization  keepLatest 10, expireUntaggedAfterDays 3   the newest 10 tagged images
//	compliance         expireUntaggedAfterDays 30,                every tagged image for 365 days
//	                   expireTaggedAfterDays 365
//
// How they differ from lgallard's table (Template.VersusLgallard says the
// same per template):
//
//   - lgallard's "Keep Images" rule is tagged with its "Tag Prefixes" as
//     tagPrefixList, and ECR ANDs the entries of that list: it selects only
//     images carrying a tag starting with each prefix at once (for
//     development "dev…" and "feature…"), so it is almost inert. lgallard's
//     development therefore effectively only expires untagged images (here:
//     the newest 50 tagged images are kept, older ones go), and production
//     and compliance effectively are their two expiries (here: exactly that,
//     without the count; "keep 200" as an any count would delete audit
//     images 8–10 days old after 200 pushes).
//   - lgallard's "Tagged Expiry" rule is tagStatus any; after its untagged
//     rule it reaches tagged images only, which expireTaggedAfterDays says
//     directly.
//   - lgallard's cost_optimization has two tagStatus any rules (keep 10,
//     expire after 30 days); ECR refuses that, as the any rule must be the
//     single last rule. Here it keeps the newest 10 tagged images and has no
//     30-day expiry.
//   - The "Tag Prefixes" column is not carried over: mapping it to
//     protectTags would keep those images forever, a different policy.
//
// A template value yields to (is dropped for) an explicit setting it
// conflicts with:
//
//   - its keepLatest, to expireTaggedAfterDays, expireAllAfterDays or a typed
//     tagStatus any rule;
//   - its expireTaggedAfterDays, to keepLatest, expireAllAfterDays or a typed
//     tagStatus any rule;
//   - its expireUntaggedAfterDays, to a typed untagged rule, or when
//     expireTaggedAfterDays and an any rule (expireAllAfterDays or a typed any
//     rule) are set, which together select every image first.
//
// When conflicting values are all explicit, Build reports the conflict.
//
// # Protected tags
//
// ECR has no "retain" action (https://github.com/aws/containers-roadmap/issues/1129).
// Each protectTags entry becomes one rule, placed
// before every other rule, whose tag selection is the entry (tagPrefixList
// [entry], or tagPatternList [entry] when the entry contains '*') and whose
// action never fires (sinceImagePushed 36,500 days; see ProtectCountNumber).
// An image matched by a higher-priority rule's tag selection can never be
// expired by a lower-priority one, so those images are kept. Entries need one
// rule each because the entries of one rule's list are ANDed. Protected
// images are still counted by later imageCountMoreThan rules: keepLatest 10
// with 3 protected images among the 10 newest tagged images keeps only 7
// other tagged images. Protective rules select active images only, so
// protected images are never archived by a lifecycle rule; an image archived
// by hand is not protected from expireArchivedAfterDays.
package lifecycle
