package provider

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
)

// arguments is the one-way adapter from the component's arguments to the
// resolver's Pulumi-free mirror (internal/config). A value known now is
// copied; a value that is an output (unknown in a preview, secret, or
// carrying dependencies) becomes a config.Ref, and the output is kept here so
// that it can be awaited and its value filled in when it resolves.
type arguments struct {
	outputs []pulumi.Output // outputs[ref-1]
}

func (a *arguments) deferred(o pulumi.Output) config.Ref {
	a.outputs = append(a.outputs, o)
	return config.Ref(len(a.outputs))
}

func (a *arguments) text(in pulumi.StringInput) *config.Text {
	if in == nil {
		return nil
	}
	if s, ok := in.(pulumi.String); ok {
		t := config.Known(string(s))
		return &t
	}
	t := config.Deferred(a.deferred(in.ToStringOutput()))
	return &t
}

func (a *arguments) list(in pulumi.StringArrayInput) *config.List {
	switch v := in.(type) {
	case nil:
		return nil
	case pulumi.StringArray:
		l := &config.List{Items: make([]config.Text, len(v))}
		for i, e := range v {
			l.Items[i] = *a.text(e)
		}
		return l
	}
	return &config.List{Ref: a.deferred(in.ToStringArrayOutput())}
}

func (a *arguments) mapOf(in pulumi.StringMapInput) *config.Map {
	switch v := in.(type) {
	case nil:
		return nil
	case pulumi.StringMap:
		m := &config.Map{Items: make(map[string]config.Text, len(v))}
		for k, e := range v {
			m.Items[k] = *a.text(e)
		}
		return m
	}
	return &config.Map{Ref: a.deferred(in.ToStringMapOutput())}
}

// output is the output behind ref.
func (a *arguments) output(ref config.Ref) pulumi.Output { return a.outputs[ref-1] }

// input is a Text as a Pulumi input: the known value, or its output.
func (a *arguments) input(t config.Text) pulumi.StringInput {
	if t.IsKnown() {
		return pulumi.String(t.Value)
	}
	return a.output(t.Ref).(pulumi.StringOutput)
}

// all is the outputs behind refs, resolved together: one ApplyT over it
// sees their values (valuesOf) and keeps their secrecy and dependencies.
func (a *arguments) all(refs []config.Ref) pulumi.ArrayOutput {
	outs := make([]any, len(refs))
	for i, r := range refs {
		outs[i] = a.output(r)
	}
	return pulumi.All(outs...)
}

// valuesOf pairs the resolved values of all(refs) with their refs.
func valuesOf(refs []config.Ref, resolved []any) config.Values {
	values := make(config.Values, len(refs))
	for i, r := range refs {
		values[r] = resolved[i]
	}
	return values
}

// gate is a resource option that holds a resource back until refs have
// resolved and check accepts their values; when check fails, the resource
// is never created and the deployment fails with check's message. With
// nothing deferred there is nothing to wait for. A value still unknown in a
// preview does not hold the preview back (nothing is created in a preview).
func (a *arguments) gate(refs []config.Ref, check func(config.Values) error) pulumi.ResourceOption {
	if len(refs) == 0 {
		return nil
	}
	checked := a.all(refs).ApplyT(func(resolved []any) ([]pulumi.Resource, error) {
		return nil, check(valuesOf(refs, resolved))
	}).(pulumi.ResourceArrayOutput)
	return pulumi.DependsOnInputs(checked)
}
