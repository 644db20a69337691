package provider

import (
	"context"
	"encoding/json"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/urn"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The schema says plain exactly where the Go argument type is plain, so the
// SDKs refuse an output where the Registry cannot take one, and accept outputs
// everywhere it can (including the registry-level tag values).
func TestSchemaPlainnessFollowsTheGoTypes(t *testing.T) {
	t.Parallel()
	prov, err := New()
	require.NoError(t, err)
	spec, err := p.GetSchema(context.Background(), Name, Version, prov)
	require.NoError(t, err)
	raw, err := json.Marshal(spec)
	require.NoError(t, err)
	var schema struct {
		Resources map[string]struct {
			InputProperties map[string]map[string]any
		}
		Types map[string]struct{ Properties map[string]map[string]any }
	}
	require.NoError(t, json.Unmarshal(raw, &schema))
	registry := schema.Resources[RegistryToken].InputProperties
	plain := func(prop map[string]any) bool { v, _ := prop["plain"].(bool); return v }

	assert.True(t, plain(registry["repositories"]), "the keys decide which resources exist")
	assert.True(t, plain(registry["defaults"]))
	assert.False(t, plain(registry["tags"]))
	assert.False(t, plain(registry["tags"]["additionalProperties"].(map[string]any)), "registry tag values accept outputs")

	repo := schema.Types["ecrrepos:index:Repository"].Properties
	for _, f := range []string{"imageTagMutability", "scanOnPush", "encryptionType", "forceDelete", "allowReplace", "retainOnDelete", "access", "lifecycle"} {
		assert.True(t, plain(repo[f]), "Repository.%s is plain", f)
	}
	for _, f := range []string{"kmsKeyArn", "tags"} {
		assert.False(t, plain(repo[f]), "Repository.%s accepts outputs", f)
	}
	access := schema.Types["ecrrepos:index:Access"].Properties
	assert.False(t, plain(access["pullPrincipalArns"]))
	assert.False(t, plain(access["pullPrincipalArns"]["items"].(map[string]any)), "each ARN may be an output")
	assert.True(t, plain(access["strictDeny"]))
	for name, prop := range schema.Types["ecrrepos:index:Lifecycle"].Properties {
		assert.True(t, plain(prop), "Lifecycle.%s decides the document: plain", name)
	}
}

// An output where a plain value is needed is refused before the arguments
// are copied, naming the field, instead of go-provider's "failed to copy
// inputs … expected destination type to implement pulumi.Input".
func TestConstructRefusesOutputsForPlainArguments(t *testing.T) {
	t.Parallel()
	inputs := property.NewMap(map[string]property.Value{
		"repositories": property.New(map[string]property.Value{
			"api": property.New(map[string]property.Value{
				"scanOnPush":  property.New(false).WithSecret(true),
				"forceDelete": property.New(true).WithDependencies([]urn.URN{"urn:pulumi:dev::p::aws:iam/role:Role::ci"}),
				"lifecycle":   property.New(map[string]property.Value{"keepLatest": property.New(property.Computed)}),
				"kmsKeyArn":   property.New(property.Computed), // accepts outputs
				"tags":        property.New(map[string]property.Value{"team": property.New("a").WithSecret(true)}),
			}),
		}),
		"defaults": property.New(property.Computed),
	})
	err := checkPlainInputs(inputs).Err(`arguments for Registry "main"`)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `(4 problems)`)
	assert.Contains(t, msg, `repositories["api"].forceDelete: must be a plain value`)
	assert.Contains(t, msg, "got an output of another resource")
	assert.Contains(t, msg, `defaults: must be a plain value the Registry knows when it is constructed`)
	assert.Contains(t, msg, `repositories["api"].scanOnPush: must be a plain value`)
	assert.Contains(t, msg, "got a secret")
	assert.Contains(t, msg, `repositories["api"].lifecycle.keepLatest: must be a plain value`)
	assert.Contains(t, msg, "got a value not known yet")

	whole := property.NewMap(map[string]property.Value{"repositories": property.New(property.Computed)})
	assert.Contains(t, checkPlainInputs(whole).Err("x").Error(), "repositories: must be a plain value")
	assert.Empty(t, checkPlainInputs(property.NewMap(map[string]property.Value{
		"tags": property.New(map[string]property.Value{"k": property.New(property.Computed)}),
	})), "registry tag values accept outputs")
}
