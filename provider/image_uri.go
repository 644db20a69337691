package provider

import (
	"context"

	"github.com/pulumi/pulumi-go-provider/infer"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// ImageUri is the function ecrrepos:index:imageUri: the reference to one image
// of a repository, by tag or by digest (CDK's repositoryUriForTag /
// repositoryUriForDigest), validated.
type ImageUri struct{}

var _ infer.Annotated = (*ImageUri)(nil)

// Annotate documents the function.
func (f *ImageUri) Annotate(a infer.Annotator) {
	a.SetToken("index", "imageUri")
	a.Describe(f, "The reference to one image of a repository: `<repositoryUrl>:<tag>` or `<repositoryUrl>@<digest>`, "+
		"for an ECS task definition, a Lambda function or a Kubernetes manifest. A digest pins the exact image; a tag follows it.")
}

// ImageUriArgs are the function's inputs.
type ImageUriArgs struct {
	RepositoryUrl string  `pulumi:"repositoryUrl"`
	Tag           *string `pulumi:"tag,optional"`
	Digest        *string `pulumi:"digest,optional"`
}

var _ infer.Annotated = (*ImageUriArgs)(nil)

// Annotate documents the inputs.
func (a *ImageUriArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.RepositoryUrl, "The repository URL, e.g. a value of the Registry's `repositoryUrls`.")
	an.Describe(&a.Tag, "The image tag (1 to 128 letters, digits, `_`, `.`, `-`). Exactly one of `tag` and `digest`.")
	an.Describe(&a.Digest, "The image digest, `sha256:` and 64 lowercase hex digits. Exactly one of `tag` and `digest`.")
}

// ImageUriResult is the reference.
type ImageUriResult struct {
	Uri string `pulumi:"uri"`
}

var _ infer.Annotated = (*ImageUriResult)(nil)

// Annotate documents the result.
func (r *ImageUriResult) Annotate(a infer.Annotator) {
	a.Describe(&r.Uri, "`<repositoryUrl>:<tag>` or `<repositoryUrl>@<digest>`.")
}

// Invoke builds the reference.
func (ImageUri) Invoke(_ context.Context, req infer.FunctionRequest[ImageUriArgs]) (infer.FunctionResponse[ImageUriResult], error) {
	uri, err := imageURI(req.Input)
	return infer.FunctionResponse[ImageUriResult]{Output: ImageUriResult{Uri: uri}}, err
}

func imageURI(in ImageUriArgs) (string, error) {
	var ps validate.Problems
	ps.Add(validate.RepositoryURL("repositoryUrl", in.RepositoryUrl)...)
	switch {
	case in.Tag != nil && in.Digest != nil:
		ps.Addf("digest", "give either tag or digest, not both")
	case in.Tag != nil:
		ps.Add(validate.ImageTag("tag", *in.Tag)...)
	case in.Digest != nil:
		ps.Add(validate.ImageDigest("digest", *in.Digest)...)
	default:
		ps.Addf("tag", "give a tag or a digest")
	}
	if err := ps.Err("imageUri arguments"); err != nil {
		return "", err
	}
	if in.Digest != nil {
		return in.RepositoryUrl + "@" + *in.Digest, nil
	}
	return in.RepositoryUrl + ":" + *in.Tag, nil
}
