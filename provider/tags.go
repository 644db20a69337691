package provider

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// Tags are merged registry < defaults < repository by the resolver
// (internal/config/tags.go); this turns the merged result into the input of
// a child.

// tagsInput is a repository's merged tags as an input. When every layer's
// keys are known it is a plain map whose deferred values are passed on as
// the outputs they are (secrets stay secret); when a whole layer is an
// output, the merge happens when it resolves.
func (r *registration) tagsInput(p *config.RepositoryPlan) pulumi.StringMapInput {
	if p.Tags.Deferred() {
		refs := p.Tags.Refs()
		return r.in.all(refs).ApplyT(func(resolved []any) (map[string]string, error) {
			plan, err := r.resolveRepository(p.Key, valuesOf(refs, resolved))
			if err != nil {
				return nil, err
			}
			out := make(map[string]string, len(plan.Tags.Items))
			for k, t := range plan.Tags.Items {
				out[k] = t.Value
			}
			return out, nil
		}).(pulumi.StringMapOutput)
	}
	if len(p.Tags.Items) == 0 {
		return nil
	}
	m := make(pulumi.StringMap, len(p.Tags.Items))
	for k, t := range p.Tags.Items {
		m[k] = r.in.input(t)
	}
	return m
}
