package provider

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// What the registry-wide children of issue #12 (kms_key.go, monitoring.go
// and its parts) share: their options, their tags and their documents.

// wideChildOptions are the options of a registry-wide AWS child: parented
// to the component (so an explicit aws provider reaches it), held back by
// the gate until deferred values have passed the checks.
func (r *registration) wideChildOptions(extra ...pulumi.ResourceOption) []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{pulumi.Parent(r.comp)}
	if r.gate != nil {
		opts = append(opts, r.gate)
	}
	return append(opts, extra...)
}

// wideChildTags are the registry's `tags` as the input of a registry-wide
// child (defaults.tags and repository tags are for repositories): values
// that are outputs stay outputs, secrets stay secret.
func (r *registration) wideChildTags() pulumi.StringMapInput {
	t := r.cfg.Tags
	switch {
	case t == nil:
		return nil
	case t.Ref != 0:
		return r.in.output(t.Ref).(pulumi.StringMapOutput)
	case len(t.Items) == 0:
		return nil
	}
	m := make(pulumi.StringMap, len(t.Items))
	for k, v := range t.Items {
		m[k] = r.in.input(v)
	}
	return m
}

// document is a generated document as an input: its text when it is known,
// else built when the values it waits for resolve, by resolving the
// registry again (the same rules, the same wording) and picking the same
// document from the plan.
func (r *registration) document(d config.Document, pick func(*config.Plan) config.Document) pulumi.StringInput {
	if len(d.Refs) == 0 {
		return pulumi.String(d.JSON)
	}
	refs := d.Refs
	return r.in.all(refs).ApplyT(func(resolved []any) (string, error) {
		v := valuesOf(refs, resolved)
		plan, problems := config.Resolve(r.cfg.Fill(v), r.env.Fill(v))
		if err := problems.Err(r.subject); err != nil {
			return "", err
		}
		return pick(plan).JSON, nil
	}).(pulumi.StringOutput)
}

// emptyString is the value of a string output for something not created.
func emptyString() pulumi.StringOutput { return pulumi.String("").ToStringOutput() }

// setWideOutputDefaults gives every output of issue #12 a value: outputs of
// a component must always be set (pulumi-go-provider v1.5.0 does not
// support optional outputs), so what is not created reads as "" or {}.
func (r *registration) setWideOutputDefaults() {
	c := r.comp
	for _, o := range []*pulumi.StringOutput{&c.KmsKeyArn, &c.KmsKeyAlias, &c.EventLogGroupName, &c.AlertTopicArn, &c.DashboardUrl} {
		if o.OutputState == nil {
			*o = emptyString()
		}
	}
	if c.AlarmArns.OutputState == nil {
		c.AlarmArns = pulumi.StringMap{}.ToStringMapOutput()
	}
}
