// Package lifecycle turns one repository's `lifecycle` settings into an ECR
// lifecycle policy document, checks documents against ECR's rules, writes
// them as one canonical JSON text, and simulates what a policy would expire.
// It has no Pulumi dependency. Rules and limits come from
// shared/reference/aws-ecr-constraints.md §1.3 (document), §2 item 10
// (protective rules) and §4 (evaluation).
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
//     helper always wins over the template's value of the same name.
//  5. Rules are generated in the translation order below.
//  6. Priorities are assigned (see Priorities).
//  7. The result is checked (see Checks); with any problem Build returns no
//     policy.
//
// Translation order, one or more rules per field:
//
//  1. protectTags: one protective rule per entry, in the order given (see
//     Protected tags).
//  2. expireUntaggedAfterDays: untagged, sinceImagePushed N days.
//  3. rules: the typed rules, in the order given; always "expire", countUnit
//     "days" added for sinceImagePushed, an empty description generated from
//     the rule.
//  4. expireTaggedAfterDays: tagged, tagPatternList ["*"], sinceImagePushed N
//     days. It comes after the typed rules, not before them: it selects every
//     tagged image, so a tagged rule evaluated after it could never expire
//     anything.
//  5. keepLatest (any, imageCountMoreThan N) or expireAllAfterDays (any,
//     sinceImagePushed N days). Both at once are refused: each selects every
//     image, ECR allows one tagStatus any rule and it must be last, and the
//     first would claim every image so the second could never fire; no
//     encoding keeps both meanings. A typed tagStatus any rule together with
//     either is refused for the same reason.
//
// # Priorities
//
// A typed rule's explicit priority (> 0) is kept. Every other rule that is
// not a tagStatus any rule takes, in translation order, the lowest positive
// number not used yet, so generated rules fill the gaps around explicit
// numbers. Then each tagStatus any rule without a priority takes one more
// than the highest number in the policy, so it is last as ECR requires. An
// explicit priority on an any rule is kept and must end up the highest.
// Because gap filling can put an explicit rule before a generated one, the
// checks below refuse the placements that change meaning.
//
// # Checks
//
// The generated document is checked against every ECR rule (see Validate),
// with problems reported at the spec field a rule came from, e.g.
// `<path>.rules[2].countNumber`, `<path>.keepLatest`, `<path>.protectTags[1]`
// (`<path>.template` for a value the template supplied). Build also refuses:
//
//   - more than 50 rules in total (each protectTags entry is one rule);
//   - a typed tagged rule whose explicit priority puts it before a
//     protectTags rule, as it could expire protected images;
//   - a rule (other than a protective one) that can never expire an image
//     because higher-priority rules select every image it selects, e.g.
//     keepLatest with both expireUntaggedAfterDays and expireTaggedAfterDays,
//     or a typed tagged rule numbered after expireTaggedAfterDays;
//   - protectTags with nothing else, which would expire nothing.
//
// # Templates
//
// The templates are lgallard/terraform-aws-ecr's (seed 002, lines 707-711),
// with the same numbers:
//
//	template           keepLatest  expireUntaggedAfterDays  expireTaggedAfterDays
//	development                50                        7                      -
//	production                100                       14                     90
//	cost_optimization          10                        3                     30
//	compliance                200                       30                    365
//
// The seed's "Tag Prefixes" column is not used (see the templates variable).
//
// ECR cannot enforce keepLatest, expireUntaggedAfterDays and
// expireTaggedAfterDays together: the untagged and tagged rules select every
// image before the any rule, which must be last, and only the first rule
// whose tag selection matches an image may expire it. A template value
// therefore yields to what it would conflict with:
//   - the template's keepLatest is dropped when expireAllAfterDays or a typed
//     any rule is set; its expireUntaggedAfterDays when a typed untagged rule
//     is set;
//   - when an any rule (keepLatest, expireAllAfterDays or a typed any rule),
//     an untagged rule (expireUntaggedAfterDays or a typed untagged rule) and
//     expireTaggedAfterDays would all be present, the first template-provided
//     one of expireTaggedAfterDays, keepLatest, expireUntaggedAfterDays is
//     dropped. A template alone thus gives keepLatest + untagged expiry,
//     which is what the seed's own migration example calls the production
//     template (lines 879-918); setting expireTaggedAfterDays explicitly
//     replaces the template's keepLatest instead.
//
// When all three are set explicitly, Build reports the conflict.
//
// # Protected tags
//
// ECR has no "retain" action. Each protectTags entry becomes one rule, placed
// before every other rule, whose tag selection is the entry (tagPrefixList
// [entry], or tagPatternList [entry] when the entry contains '*') and whose
// action never fires (sinceImagePushed 36,500 days; see ProtectCountNumber).
// An image matched by a higher-priority rule's tag selection can never be
// expired by a lower-priority one, so those images are kept. Entries need one
// rule each because the entries of one rule's list are ANDed. Protected
// images are still counted by later imageCountMoreThan rules (ECR's rule 5):
// keepLatest 10 with 3 protected images among the 10 newest keeps only 7
// other images.
package lifecycle
