package lifecycle

import "time"

// Image is one image of a repository, as the simulator sees it. Digests are
// expected to be unique (they are in ECR); duplicates are simulated as
// separate images. The fields after PushedAt are optional: an image is
// active (standard storage class) and never pulled unless they say
// otherwise.
type Image struct {
	Digest   string
	Tags     []string
	PushedAt time.Time
	// LastPulledAt is the last recorded pull; zero means never pulled, and
	// sinceImagePulled then counts from PushedAt (as ECR does).
	LastPulledAt time.Time
	// StorageClass is "" or "standard" for an active image, "archive" for
	// an archived one.
	StorageClass string
	// ArchivedAt is when an archived image was archived
	// (sinceImageTransitioned counts from it); zero means unknown, and such
	// an image is never old enough to expire from archive.
	ArchivedAt time.Time
}

// Expiry is one image a rule expires.
type Expiry struct {
	Digest       string
	RulePriority int
}

// Archival is one image a transition rule moves to the archive storage class.
type Archival struct {
	Digest       string
	RulePriority int
}

// Result is what a policy would do. Expired and Archived are oldest first
// (pushedAt ascending, ties by digest ascending). Retained lists every image
// that is not expired, in input order: archived images stay in the
// repository, so an image in Archived is also in Retained.
type Result struct {
	Expired  []Expiry
	Archived []Archival
	Retained []string
}

// Simulate applies ECR's documented evaluation rules
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html#lp_evaluation_rules)
// to images at time now, for a policy that passes Validate. Other policies
// never panic but give unspecified results. The algorithm, as the reference
// implementation in the tests states it:
//
//	claimed := {}                      // images a higher-priority rule selected
//	for rule in rules by ascending rulePriority:
//	    pool := images of the rule's storage class its tag selection matches
//	    candidates := imageCountMoreThan N:     pool newest first, after the first N
//	                  sinceImagePushed N:       pool pushed more than N days ago
//	                  sinceImagePulled N:       pool last pulled (else pushed) more than N days ago
//	                  sinceImageTransitioned N: pool archived more than N days ago
//	    expire (or archive, for a transition rule) every candidate not in
//	    claimed and not yet acted on
//	    claimed += pool
//
// In words:
//
//   - Rules are taken in ascending rulePriority (ties in input order).
//   - A rule selects only images of its storage class (storageClass, omitted
//     = standard): active images for every count type but
//     sinceImageTransitioned, which selects archived images.
//   - Tag selection: untagged = no tags; any = every image; tagged with
//     prefixes = every prefix is a prefix of some tag (HasPrefix); tagged with
//     patterns = every pattern matches some tag, '*' standing for zero or more
//     characters, anchored at both ends, case-sensitive. (Case sensitivity and
//     exact matching without '*' are not documented.)
//   - An image is claimed by the first rule whose tag selection matches it;
//     only that rule can act on it ("An image is expired or archived by
//     exactly one or zero rules"; "An image that matches the tagging
//     requirements of a rule cannot be expired or archived by a rule with a
//     lower priority"), even when it keeps it.
//   - Every rule still counts the images claimed earlier ("Rules can never
//     mark images that are marked by higher priority rules, but can still
//     identify them"): imageCountMoreThan N ranks its whole selection newest
//     first and acts, among the images it claimed, on those ranked after the
//     first N.
//   - Newest first means pushedAt descending; equal pushedAt are ranked by
//     digest, the greater digest counting as newer (the documentation has no
//     tie rule).
//   - sinceImagePushed N acts on an image when now - pushedAt > N×24h
//     (strictly greater, whole 24-hour days; the boundary is not documented).
//     sinceImagePulled N acts when now - LastPulledAt (PushedAt if never
//     pulled) > N×24h; sinceImageTransitioned N when now - ArchivedAt >
//     N×24h (never when ArchivedAt is zero).
//   - A transition rule archives the images it acts on (Result.Archived);
//     they stay in Retained. One evaluation is simulated: an image archived
//     by it is not also expired from archive by it.
//
// Out of scope: restored images (ECR then counts from last_activated_at
// instead of the push time), manifest lists and referrers (the evaluation
// rules about reference artifacts and manifest lists).
//
// How it is computed (simulate_index.go): the policy is compiled once into a
// matcher that tests a tag against every prefix and pattern of the policy in
// one walk, and images whose tags match the same entries share a signature
// (the rules that select them, decided once). One pass over the images gives
// each a sort key carrying its push time and signature; one sort orders the
// keys by push time; one pass over the sorted keys, newest first, counts
// and decides every image without going back to the images.
func Simulate(p *Policy, images []Image, now time.Time) Result {
	if p == nil || len(p.Rules) == 0 || len(images) == 0 {
		res := Result{Retained: make([]string, len(images))}
		for i := range images {
			res.Retained[i] = images[i].Digest
		}
		return res
	}
	sim := compile(p, now)
	keys := sim.imageKeys(images)
	sortKeys(keys, images, sim.fastTimes)

	// Newest first: count each image in every imageCountMoreThan rule that
	// selects it, then let the first rule that selects it decide. An acted-on
	// image also gets its place among the expired (or archived) images,
	// counted from the newest.
	acted := make([]int32, len(images))      // by image: index of the acting rule + 1, 0 = none
	fromNewest := make([]int32, len(images)) // by image: place among those acted on the same way
	counted := make([]int, len(sim.rules))
	var nExpired, nArchived int32
	for k := len(keys) - 1; k >= 0; k-- {
		key := &keys[k]
		s := &sim.sigs[key.sig]
		for _, r := range s.counts {
			counted[r]++
		}
		if s.first < 0 || !sim.fires(s.first, key, images, counted[s.first]) {
			continue
		}
		acted[key.idx] = s.first + 1
		if sim.rules[s.first].transition {
			fromNewest[key.idx] = nArchived
			nArchived++
		} else {
			fromNewest[key.idx] = nExpired
			nExpired++
		}
	}

	// In input order (sequential reads of the images), each acted-on image
	// goes to its place, oldest first.
	var res Result
	if nExpired > 0 {
		res.Expired = make([]Expiry, nExpired)
	}
	if nArchived > 0 {
		res.Archived = make([]Archival, nArchived)
	}
	res.Retained = make([]string, 0, len(images)-int(nExpired))
	for i := range images {
		a := acted[i]
		if a == 0 {
			res.Retained = append(res.Retained, images[i].Digest)
			continue
		}
		r := &sim.rules[a-1]
		if r.transition {
			res.Archived[nArchived-1-fromNewest[i]] = Archival{Digest: images[i].Digest, RulePriority: r.priority}
			res.Retained = append(res.Retained, images[i].Digest)
		} else {
			res.Expired[nExpired-1-fromNewest[i]] = Expiry{Digest: images[i].Digest, RulePriority: r.priority}
		}
	}
	return res
}

// isArchived: the image is in the archive storage class.
func isArchived(im *Image) bool { return im.StorageClass == StorageClassArchive }
