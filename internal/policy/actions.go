package policy

import (
	"sort"
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// ActionsSource is the list KnownActions is taken from: the Service
// Authorization Reference for Amazon ECR (service prefix "ecr"), its "Actions
// defined by Amazon Elastic Container Registry" table and its permission-only
// actions.
const ActionsSource = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html"

// ecrAction is one row of the reference: the action name without "ecr:", and
// whether it has the repository resource type (acts on one repository) or
// none (it applies to the registry or account and does nothing in a
// repository policy).
type ecrAction struct {
	name       string
	repository bool
}

// ecrActions is ECR's action list (ActionsSource), sorted by name. When AWS
// adds an action, add it here; TestDenyActionsCoverImageActions then asks
// whether DenyActions must deny it.
var ecrActions = []ecrAction{
	{"BatchCheckLayerAvailability", true},
	{"BatchDeleteImage", true},
	{"BatchGetImage", true},
	{"BatchGetRepositoryScanningConfiguration", true},
	{"BatchImportUpstreamImage", true}, // permission-only (pull-through cache)
	{"CompleteLayerUpload", true},
	{"CreatePullThroughCacheRule", false},
	{"CreateRepository", true},
	{"CreateRepositoryCreationTemplate", false},
	{"DeleteLifecyclePolicy", true},
	{"DeletePullThroughCacheRule", false},
	{"DeleteRegistryPolicy", false},
	{"DeleteRepository", true},
	{"DeleteRepositoryCreationTemplate", false},
	{"DeleteRepositoryPolicy", true},
	{"DeleteSigningConfiguration", false},
	{"DeregisterPullTimeUpdateExclusion", false},
	{"DescribeImageReplicationStatus", true},
	{"DescribeImageScanFindings", true},
	{"DescribeImageSigningStatus", true},
	{"DescribeImages", true},
	{"DescribePullThroughCacheRules", false},
	{"DescribeRegistry", false},
	{"DescribeRepositories", true},
	{"DescribeRepositoryCreationTemplates", false},
	{"GetAccountSetting", false},
	{"GetAuthorizationToken", false},
	{"GetDownloadUrlForLayer", true},
	{"GetImageCopyStatus", true}, // permission-only (pull-through cache)
	{"GetLifecyclePolicy", true},
	{"GetLifecyclePolicyPreview", true},
	{"GetRegistryPolicy", false},
	{"GetRegistryScanningConfiguration", false},
	{"GetRepositoryPolicy", true},
	{"GetSigningConfiguration", false},
	{"InitiateLayerUpload", true},
	{"ListImages", true},
	{"ListPullTimeUpdateExclusions", false},
	{"ListTagsForResource", true},
	{"PutAccountSetting", false},
	{"PutImage", true},
	{"PutImageScanningConfiguration", true},
	{"PutImageTagMutability", true},
	{"PutLifecyclePolicy", true},
	{"PutRegistryPolicy", false},
	{"PutRegistryScanningConfiguration", false},
	{"PutReplicationConfiguration", false},
	{"PutSigningConfiguration", false},
	{"RegisterPullTimeUpdateExclusion", false},
	{"ReplicateImage", true}, // permission-only (replication)
	{"SetRepositoryPolicy", true},
	{"StartImageScan", true},
	{"StartLifecyclePolicyPreview", true},
	{"TagResource", true},
	{"UntagResource", true},
	{"UpdateImageStorageClass", true},
	{"UpdatePullThroughCacheRule", false},
	{"UpdateRepositoryCreationTemplate", false},
	{"UploadLayerPart", true},
	{"ValidatePullThroughCacheRule", false},
}

// KnownActions is every ECR action ("ecr:<Name>", sorted) per ActionsSource.
// Actions in policyStatements and policy must be one of them, or a wildcard
// pattern that matches at least one.
var KnownActions = func() []string {
	out := make([]string, len(ecrActions))
	for i, a := range ecrActions {
		out[i] = "ecr:" + a.name
	}
	sort.Strings(out)
	return out
}()

// lookupAction finds an action case-insensitively (IAM action names are not
// case-sensitive); ok is false for an unknown one.
func lookupAction(action string) (ecrAction, bool) {
	if len(action) < len("ecr:") || !strings.EqualFold(action[:len("ecr:")], "ecr:") {
		return ecrAction{}, false
	}
	name := action[len("ecr:"):]
	for _, a := range ecrActions {
		if strings.EqualFold(a.name, name) {
			return a, true
		}
	}
	return ecrAction{}, false
}

// matchingActions returns the known actions an Action pattern with * and ?
// wildcards matches, case-insensitively as IAM does.
func matchingActions(pattern string) []string {
	var out []string
	p := strings.ToLower(pattern)
	for _, a := range KnownActions {
		if globMatch(p, strings.ToLower(a)) {
			out = append(out, a)
		}
	}
	return out
}

// globMatch matches s against a pattern where * is any run of characters and
// ? is one character; nothing else is special.
func globMatch(pattern, s string) bool {
	px, sx := 0, 0
	star, mark := -1, 0
	for sx < len(s) {
		switch {
		case px < len(pattern) && (pattern[px] == '?' || pattern[px] == s[sx]):
			px++
			sx++
		case px < len(pattern) && pattern[px] == '*':
			star, mark = px, sx
			px++
		case star >= 0:
			px = star + 1
			mark++
			sx = mark
		default:
			return false
		}
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// closestAction suggests the known action nearest to a misspelt one, or "".
func closestAction(action string) string {
	best, bestDist := "", -1
	a := strings.ToLower(action)
	for _, k := range KnownActions {
		d := validate.EditDistance(a, strings.ToLower(k))
		if bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist > len(action)/3 {
		return ""
	}
	return best
}
