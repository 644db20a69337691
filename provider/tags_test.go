package provider

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tagsOf(res registered) map[string]string {
	out := map[string]string{}
	for k, v := range res.input("tags").AsMap().All {
		if v.Secret() {
			out[k] = "secret:" + v.WithSecret(false).AsString()
			continue
		}
		out[k] = v.AsString()
	}
	return out
}

func TestTagsMergeMostSpecificWins(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		Tags:     pulumi.StringMap{"owner": pulumi.String("platform"), "env": pulumi.String("prod"), "cost": pulumi.String("shared")},
		Defaults: &RepositoryArgs{Tags: pulumi.StringMap{"env": pulumi.String("staging"), "team": pulumi.String("default")}},
		Repositories: map[string]RepositoryArgs{
			"api": {Tags: pulumi.StringMap{"team": pulumi.String("api")}},
			"web": {},
		},
	}).ok(t)
	assert.Equal(t, map[string]string{"owner": "platform", "env": "staging", "cost": "shared", "team": "api"}, tagsOf(r.one(t, repositoryTyp, "main/api")))
	assert.Equal(t, map[string]string{"owner": "platform", "env": "staging", "cost": "shared", "team": "default"}, tagsOf(r.one(t, repositoryTyp, "main/web")))
}

// Tag values may be outputs and secrets; a whole tag map may be an output.
// Secrets stay secret, and only the values that were secret.
func TestTagOutputsAndSecrets(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		Tags: pulumi.StringMap{"owner": pulumi.ToSecret(pulumi.String("secret-owner")).(pulumi.StringOutput), "env": later("prod")},
		Repositories: map[string]RepositoryArgs{
			"api":   {},
			"whole": {Tags: pulumi.StringMap{"team": pulumi.String("t")}.ToStringMapOutput()},
		},
	}).ok(t)
	assert.Equal(t, map[string]string{"owner": "secret:secret-owner", "env": "prod"}, tagsOf(r.one(t, repositoryTyp, "main/api")))
	whole := r.one(t, repositoryTyp, "main/whole").input("tags")
	require.True(t, whole.Secret(), "merged with a secret layer, the whole map is secret: %v", whole)
	assert.Equal(t, "t", whole.WithSecret(false).AsMap().Get("team").AsString())
}

func TestTagOutputsAreCheckedWhenTheyResolve(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Tags: pulumi.StringMap{"aws:reserved": pulumi.String("x")}.ToStringMapOutput(), Repositories: repos("api", RepositoryArgs{})})
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `tags["aws:reserved"]: tag keys must not start with the reserved prefix`)
	assert.Empty(t, r.ofType(repositoryTyp))
}
