package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// PreviewLifecyclePolicy is the function ecrrepos:index:previewLifecyclePolicy:
// it evaluates a lifecycle policy against a list of images offline, the way
// ECR documents it, instead of ECR's slow asynchronous preview API.
type PreviewLifecyclePolicy struct{}

// Annotate documents the function.
func (f *PreviewLifecyclePolicy) Annotate(a infer.Annotator) {
	a.SetToken("index", "previewLifecyclePolicy")
	a.Describe(f, "Evaluates an ECR lifecycle policy against a list of images, offline and exactly as ECR documents the evaluation: "+
		"rules in priority order, an image selected by a higher-priority rule is never expired by a lower one (but is still counted), "+
		"`imageCountMoreThan` keeps the newest images by push time. Use it to see what a policy would expire before deploying it.")
}

// PreviewLifecyclePolicyArgs are the function's inputs.
type PreviewLifecyclePolicyArgs struct {
	Policy string           `pulumi:"policy"`
	Images []LifecycleImage `pulumi:"images"`
	Now    *string          `pulumi:"now,optional"`
}

// Annotate documents the inputs.
func (a *PreviewLifecyclePolicyArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Policy, "The lifecycle policy JSON, e.g. the `lifecyclePolicy` of an entry of the Registry's `repositories` output. It is validated first.")
	an.Describe(&a.Images, "The images to evaluate.")
	an.Describe(&a.Now, "The evaluation time (RFC 3339); default: the current time.")
}

// LifecycleImage is one image in a lifecycle preview.
type LifecycleImage struct {
	Digest       string   `pulumi:"digest"`
	Tags         []string `pulumi:"tags,optional"`
	PushedAt     string   `pulumi:"pushedAt"`
	LastPulledAt *string  `pulumi:"lastPulledAt,optional"`
	ArchivedAt   *string  `pulumi:"archivedAt,optional"`
}

// Annotate documents an image.
func (i *LifecycleImage) Annotate(a infer.Annotator) {
	a.Describe(i, "An image as the lifecycle preview sees it.")
	a.Describe(&i.Digest, "The image digest (any unique string).")
	a.Describe(&i.Tags, "The image's tags; none means the image is untagged.")
	a.Describe(&i.PushedAt, "When the image was pushed (RFC 3339).")
	a.Describe(&i.LastPulledAt, "When the image was last pulled (RFC 3339); absent: never pulled, and `sinceImagePulled` counts from the push.")
	a.Describe(&i.ArchivedAt, "When the image was moved to the archive storage class (RFC 3339); absent: the image is active.")
}

// PreviewLifecyclePolicyResult is what the policy would do.
type PreviewLifecyclePolicyResult struct {
	Expired  []ExpiredImage `pulumi:"expired"`
	Archived []ExpiredImage `pulumi:"archived"`
	Retained []string       `pulumi:"retained"`
}

// Annotate documents the result.
func (r *PreviewLifecyclePolicyResult) Annotate(a infer.Annotator) {
	a.Describe(&r.Expired, "The images the policy expires, oldest first, each with the priority of the rule that expires it.")
	a.Describe(&r.Archived, "The active images the policy moves to the archive storage class, each with the priority of the rule that does it (they are also in `retained`).")
	a.Describe(&r.Retained, "The digests of the images the policy keeps, in input order.")
}

// ExpiredImage is one image the policy expires or archives.
type ExpiredImage struct {
	Digest       string `pulumi:"digest"`
	RulePriority int    `pulumi:"rulePriority"`
}

// Annotate documents an expired image.
func (e *ExpiredImage) Annotate(a infer.Annotator) {
	a.Describe(e, "An image the policy expires or archives.")
	a.Describe(&e.Digest, "The image digest.")
	a.Describe(&e.RulePriority, "The priority of the rule that acts on it.")
}

// Invoke runs the preview.
func (PreviewLifecyclePolicy) Invoke(_ context.Context, req infer.FunctionRequest[PreviewLifecyclePolicyArgs]) (
	infer.FunctionResponse[PreviewLifecyclePolicyResult], error,
) {
	result, err := previewLifecycle(req.Input, time.Now())
	return infer.FunctionResponse[PreviewLifecyclePolicyResult]{Output: result}, err
}

func previewLifecycle(in PreviewLifecyclePolicyArgs, clock time.Time) (PreviewLifecyclePolicyResult, error) {
	var problems validate.Problems
	policy, err := lifecycle.Parse(in.Policy)
	if err != nil {
		problems.Addf("policy", "must be a lifecycle policy document: %v", err)
	} else {
		problems.Add(lifecycle.Validate("policy", policy)...)
	}
	now := clock
	if in.Now != nil {
		if now, err = time.Parse(time.RFC3339, *in.Now); err != nil {
			problems.Addf("now", "must be an RFC 3339 time such as 2024-05-01T12:00:00Z, got %q", *in.Now)
		}
	}
	images := make([]lifecycle.Image, len(in.Images))
	seen := map[string]int{}
	for i, img := range in.Images {
		path := fmt.Sprintf("images[%d]", i)
		pushed, err := time.Parse(time.RFC3339, img.PushedAt)
		if err != nil {
			problems.Addf(path+".pushedAt", "must be an RFC 3339 time such as 2024-05-01T12:00:00Z, got %q", img.PushedAt)
		}
		if img.Digest == "" {
			problems.Addf(path+".digest", "must not be empty")
		} else if j, dup := seen[img.Digest]; dup {
			problems.Addf(path+".digest", "%q is also the digest of images[%d]; digests must be unique", img.Digest, j)
		}
		seen[img.Digest] = i
		images[i] = lifecycle.Image{Digest: img.Digest, Tags: img.Tags, PushedAt: pushed}
		if img.LastPulledAt != nil {
			if images[i].LastPulledAt, err = time.Parse(time.RFC3339, *img.LastPulledAt); err != nil {
				problems.Addf(path+".lastPulledAt", "must be an RFC 3339 time such as 2024-05-01T12:00:00Z, got %q", *img.LastPulledAt)
			}
		}
		if img.ArchivedAt != nil {
			images[i].StorageClass = lifecycle.StorageClassArchive
			if images[i].ArchivedAt, err = time.Parse(time.RFC3339, *img.ArchivedAt); err != nil {
				problems.Addf(path+".archivedAt", "must be an RFC 3339 time such as 2024-05-01T12:00:00Z, got %q", *img.ArchivedAt)
			}
		}
	}
	if err := problems.Err("previewLifecyclePolicy arguments"); err != nil {
		return PreviewLifecyclePolicyResult{}, err
	}
	sim := lifecycle.Simulate(policy, images, now)
	out := PreviewLifecyclePolicyResult{Expired: []ExpiredImage{}, Archived: []ExpiredImage{}, Retained: sim.Retained}
	if out.Retained == nil {
		out.Retained = []string{}
	}
	for _, e := range sim.Expired {
		out.Expired = append(out.Expired, ExpiredImage{Digest: e.Digest, RulePriority: e.RulePriority})
	}
	for _, a := range sim.Archived {
		out.Archived = append(out.Archived, ExpiredImage{Digest: a.Digest, RulePriority: a.RulePriority})
	}
	return out, nil
}
