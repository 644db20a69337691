package validate

import (
	"regexp"
	"slices"
	"strings"
)

// regionPartitions are the AWS Regions a replication destination, a
// pull-through cache upstream or an explicit provider may name, by partition:
// the Regions of the AWS SDKs' endpoint partitions
// (aws-sdk-go-v2 internal/endpoints, "partitions.json") as of pulumi-aws
// v6.83.2 (November 2025). A Region AWS opens later is refused until it is
// added here; the message says so.
var regionPartitions = map[string][]string{
	"aws": {
		"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
		"ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
		"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
		"eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
		"il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
		"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	},
	"aws-cn":     {"cn-north-1", "cn-northwest-1"},
	"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
	"aws-iso":    {"us-iso-east-1", "us-iso-west-1"},
	"aws-iso-b":  {"us-isob-east-1"},
	"aws-iso-e":  {"eu-isoe-west-1"},
	"aws-iso-f":  {"us-isof-east-1", "us-isof-south-1"},
	"aws-eusc":   {"eusc-de-east-1"},
}

// regionShapeRe is the shape terraform-provider-aws accepts for a Region
// (verify.ValidRegionName); ECR's own pattern is ^[0-9a-z-]{2,25}$.
var regionShapeRe = regexp.MustCompile(`^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$`)

// RegionPartition returns the partition of a known Region, or "".
func RegionPartition(region string) string {
	for p, regions := range regionPartitions {
		if slices.Contains(regions, region) {
			return p
		}
	}
	return ""
}

// KnownRegions lists every known Region, sorted.
func KnownRegions() []string {
	var all []string
	for _, regions := range regionPartitions {
		all = append(all, regions...)
	}
	slices.Sort(all)
	return all
}

// Region checks that name is a known AWS Region.
func Region(path, name string) Problems {
	var ps Problems
	if RegionPartition(name) != "" {
		return nil
	}
	hint := ""
	if c := closestRegion(name); c != "" {
		hint = "; did you mean " + c + "?"
	}
	if !regionShapeRe.MatchString(name) {
		ps.Addf(path, "must be an AWS Region name such as us-east-1, got %q%s", name, hint)
		return ps
	}
	ps.Addf(path, "is not an AWS Region known to ecrrepos (the Regions of the AWS SDKs' partitions as of November 2025; a Region opened later needs a newer ecrrepos), got %q%s", name, hint)
	return ps
}

// closestRegion suggests the known Region nearest to a misspelt one, or "".
func closestRegion(name string) string {
	best, bestDist := "", -1
	for _, r := range KnownRegions() {
		if d := EditDistance(strings.ToLower(name), r); bestDist < 0 || d < bestDist {
			best, bestDist = r, d
		}
	}
	if bestDist < 1 || bestDist > 2 {
		return ""
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b in bytes: the
// fewest single-byte insertions, deletions and substitutions that turn one
// into the other. "Did you mean" suggestions use it.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// AccountID checks a 12-digit AWS account ID.
func AccountID(path, id string) Problems {
	var ps Problems
	if !accountIDRe.MatchString(id) {
		ps.Addf(path, "must be a 12-digit AWS account ID, got %q", id)
	}
	return ps
}

var accountIDRe = regexp.MustCompile(`^[0-9]{12}$`)
