package provider

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// Inputs that users fill from other resources (ARNs, tag values) may arrive as
// outputs: unknown during a preview, secret, or carrying dependencies. Known
// plain values are checked before anything is registered; outputs are checked
// by the same rules when they resolve, failing the child that consumes them.

// knownString returns the value of in when it is a plain, known string.
func knownString(in pulumi.StringInput) (string, bool) {
	if s, ok := in.(pulumi.String); ok {
		return string(s), true
	}
	return "", false
}

// checkedString returns in unchanged when it is known (it has been checked
// already) and otherwise an output that fails with the rule's message when the
// resolved value breaks it. Secrets and dependencies are kept.
func checkedString(path string, in pulumi.StringInput, rule func(path, value string) validate.Problems) pulumi.StringInput {
	if _, ok := knownString(in); ok {
		return in
	}
	return in.ToStringOutput().ApplyT(func(v string) (string, error) {
		if err := rule(path, v).Err("Registry arguments"); err != nil {
			return "", err
		}
		return v, nil
	}).(pulumi.StringOutput)
}

// tagLayer is one source of tags: the registry, defaults, or a repository.
type tagLayer struct {
	path string
	tags pulumi.StringMapInput
}

// known returns the layer's map when its keys are known now.
func (l tagLayer) known() (pulumi.StringMap, bool) {
	if l.tags == nil {
		return pulumi.StringMap{}, true
	}
	m, ok := l.tags.(pulumi.StringMap)
	return m, ok
}

// check validates the keys and the known values of the layer.
func (l tagLayer) check() validate.Problems {
	m, ok := l.known()
	if !ok {
		return nil
	}
	var problems validate.Problems
	for _, k := range sortedKeys(m) {
		problems.Add(validate.TagKey(l.path, k)...)
		if v, ok := knownString(m[k]); ok {
			problems.Add(validate.TagValue(l.path, k, v)...)
		}
	}
	return problems
}

// mergeTags merges tag layers, later layers winning. When every layer's keys
// are known the result is a pulumi.StringMap, so the tag count is checked now;
// otherwise the merge and all checks happen when the outputs resolve.
func mergeTags(path string, layers ...tagLayer) (pulumi.StringMapInput, validate.Problems) {
	merged := pulumi.StringMap{}
	allKnown := true
	for _, l := range layers {
		m, ok := l.known()
		if !ok {
			allKnown = false
			break
		}
		for k, v := range m {
			merged[k] = checkedString(l.path, v, func(p, value string) validate.Problems {
				return validate.TagValue(p, k, value)
			})
		}
	}
	if allKnown {
		if len(merged) == 0 {
			return nil, nil
		}
		return merged, validate.TagCount(path, len(merged))
	}

	outputs := make([]any, len(layers))
	for i, l := range layers {
		if l.tags == nil {
			outputs[i] = pulumi.StringMap{}.ToStringMapOutput()
		} else {
			outputs[i] = l.tags.ToStringMapOutput()
		}
	}
	return pulumi.All(outputs...).ApplyT(func(resolved []any) (map[string]string, error) {
		var problems validate.Problems
		result := map[string]string{}
		for i, r := range resolved {
			m, ok := r.(map[string]string)
			if !ok {
				return nil, fmt.Errorf("%s: expected a map of strings, got %T", layers[i].path, r)
			}
			for _, k := range sortedKeys(m) {
				problems.Add(validate.TagKey(layers[i].path, k)...)
				problems.Add(validate.TagValue(layers[i].path, k, m[k])...)
				result[k] = m[k]
			}
		}
		problems.Add(validate.TagCount(path, len(result))...)
		if err := problems.Err("Registry arguments"); err != nil {
			return nil, err
		}
		return result, nil
	}).(pulumi.StringMapOutput), nil
}
