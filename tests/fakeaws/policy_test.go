package main

import (
	"fmt"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRepositoryPolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")

	assert.Contains(t, h.createErr(tokRepositoryPolicy, "p0", map[string]any{"repository": "ghost", "policy": repoPolicy}),
		"putting ECR Repository Policy (ghost): operation error ECR: SetRepositoryPolicy, https response error StatusCode: 400, "+
			"RequestID: 00000000-0000-0000-0000-fakeaws00000, RepositoryNotFoundException: The repository with name 'ghost' "+
			"does not exist in the registry with id '123456789012'")

	// Invalid JSON is a check failure, and a create error without Check.
	assert.Equal(t, []string{"policy"}, h.failed(tokRepositoryPolicy, map[string]any{"repository": "x", "policy": "{not json"}))
	_, err := h.s.Create(p.CreateRequest{Urn: urnOf(tokRepositoryPolicy, "p1"),
		Properties: mapFromGo(map[string]any{"repository": "x", "policy": "{not json"})})
	assert.ErrorContains(t, err, "policy is not valid JSON")

	h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	long := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":%q}]}`, strings.Repeat("x", 10240))
	assert.Contains(t, h.createErr(tokRepositoryPolicy, "p2", map[string]any{"repository": "repo", "policy": long}),
		"'Member must have length less than or equal to 10240'")

	created, oldInputs := h.mustCreate(tokRepositoryPolicy, "p3", map[string]any{"repository": "repo", "policy": repoPolicy})
	assert.Equal(t, "repo", created.ID)
	assert.Equal(t, map[string]any{"repository": "repo", "policy": normalized(t, repoPolicy), "registryId": "123456789012"},
		mapToGo(created.Properties))
	assert.Equal(t, normalized(t, repoPolicy), *h.region().Repositories["repo"].RepositoryPolicy)

	// An object policy is serialised (tfbridge.TransformJSONDocument).
	resp := h.check(tokRepositoryPolicy, "p3", nil, map[string]any{"repository": "repo", "policy": parseJSON(t, repoPolicy)})
	require.Empty(t, resp.Failures)
	assert.JSONEq(t, repoPolicy, resp.Inputs.Get("policy").AsString())

	changed := strings.Replace(repoPolicy, `"pull"`, `"pull2"`, 1)
	for name, tt := range map[string]struct {
		news map[string]any
		want map[string]p.DiffKind
	}{
		"reformatted JSON is equivalent": {map[string]any{"repository": "repo", "policy": normalized(t, repoPolicy)}, map[string]p.DiffKind{}},
		"policy updates in place":        {map[string]any{"repository": "repo", "policy": changed}, map[string]p.DiffKind{"policy": p.Update}},
		"repository replaces":            {map[string]any{"repository": "other", "policy": repoPolicy}, map[string]p.DiffKind{"repository": p.UpdateReplace}},
	} {
		d := h.diff(tokRepositoryPolicy, "p3", created.Properties, oldInputs, tt.news)
		assert.Equal(t, tt.want, kinds(d), name)
		assert.False(t, d.DeleteBeforeReplace, name)
	}

	_, err = h.update(tokRepositoryPolicy, "p3", created, oldInputs, map[string]any{"repository": "repo", "policy": changed})
	require.NoError(t, err)
	assert.Contains(t, *h.region().Repositories["repo"].RepositoryPolicy, "pull2")
}

func TestLifecyclePolicy(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	assert.Contains(t, h.createErr(tokLifecyclePolicy, "lp0", map[string]any{"repository": "ghost", "policy": lifecyclePolicy}),
		"creating ECR Lifecycle Policy (ghost): operation error ECR: PutLifecyclePolicy")

	h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	assert.Contains(t, h.createErr(tokLifecyclePolicy, "lp1", map[string]any{"repository": "repo", "policy": `{"rules":[]}`}),
		"Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must have length greater than or equal to 100'")
	huge := `{"rules":[{"rulePriority":1,"description":"` + strings.Repeat("d", 30720) +
		`","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]}`
	assert.Contains(t, h.createErr(tokLifecyclePolicy, "lp2", map[string]any{"repository": "repo", "policy": huge}),
		"less than or equal to 30720")
	assert.Equal(t, []string{"policy"}, h.failed(tokLifecyclePolicy, map[string]any{"repository": "repo", "policy": "rules: []"}))

	created, oldInputs := h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": lifecyclePolicy})
	assert.Equal(t, "repo", created.ID)
	assert.Equal(t, "123456789012", created.Properties.Get("registryId").AsString())
	assert.JSONEq(t, lifecyclePolicy, *h.region().Repositories["repo"].LifecyclePolicy)

	// pulumi-aws v6: policy is ForceNew and the resource is deleteBeforeReplace.
	changed := strings.Replace(lifecyclePolicy, `"countNumber":10`, `"countNumber":5`, 1)
	d := h.diff(tokLifecyclePolicy, "lp", created.Properties, oldInputs, map[string]any{"repository": "repo", "policy": changed})
	assert.Equal(t, map[string]p.DiffKind{"policy": p.UpdateReplace}, kinds(d))
	assert.True(t, d.DeleteBeforeReplace)
	d = h.diff(tokLifecyclePolicy, "lp", created.Properties, oldInputs, map[string]any{"repository": "repo2", "policy": lifecyclePolicy})
	assert.Equal(t, map[string]p.DiffKind{"repository": p.UpdateReplace}, kinds(d))
	assert.True(t, d.DeleteBeforeReplace)

	twoRules := func(first, second int) string {
		rule := func(prio int) string {
			return fmt.Sprintf(`{"rulePriority":%d,"selection":{"tagStatus":"tagged","tagPrefixList":["b","a"],`+
				`"countType":"imageCountMoreThan","countNumber":%d},"action":{"type":"expire"}}`, prio, prio)
		}
		return `{"rules":[` + rule(first) + `,` + rule(second) + `]}`
	}
	c2, in2 := h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": twoRules(1, 2)})
	d = h.diff(tokLifecyclePolicy, "lp", c2.Properties, in2, map[string]any{"repository": "repo", "policy": twoRules(2, 1)})
	assert.False(t, d.HasChanges, "rule order is not significant (equivalentLifecyclePolicyJSON)")
}

func TestRepositoryPolicyPrincipalsMustExist(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "")
	h.mustCreate(tokRepository, "repo", map[string]any{"name": "repo"})
	h.mustCreate(tokRole, "ci-role", map[string]any{"name": "ci-role", "assumeRolePolicy": trustPolicy})
	h.mustCreate(tokRole, "pathed", map[string]any{"name": "deployer", "path": "/ci/", "assumeRolePolicy": trustPolicy})

	const invalid = "putting ECR Repository Policy (repo): operation error ECR: SetRepositoryPolicy, " +
		"https response error StatusCode: 400, RequestID: 00000000-0000-0000-0000-fakeaws00000, " +
		"InvalidParameterException: Invalid parameter at 'PolicyText' failed to satisfy constraint: " +
		"'Invalid repository policy provided'"

	aws := func(v any) map[string]any { return map[string]any{"AWS": v} }
	tests := []struct {
		name      string
		principal any // the statement's Principal
		ok        bool
	}{
		{"existing role", aws("arn:aws:iam::123456789012:role/ci-role"), true},
		{"existing role in a list", aws([]any{"arn:aws:iam::123456789012:role/ci-role", "arn:aws:iam::123456789012:root"}), true},
		{"existing role with path", aws("arn:aws:iam::123456789012:role/ci/deployer"), true},
		{"caller user", aws("arn:aws:iam::123456789012:user/fake"), true},
		{"account root", aws("arn:aws:iam::123456789012:root"), true},
		{"bare account ID", aws("123456789012"), true},
		{"other account root", aws("arn:aws:iam::210987654321:root"), true},
		{"other account role", aws("arn:aws:iam::210987654321:role/whatever"), true},
		{"everyone", "*", true},
		{"AWS everyone", aws("*"), true},
		{"service principal", map[string]any{"Service": "codebuild.amazonaws.com"}, true},
		{"missing role", aws("arn:aws:iam::123456789012:role/ghost"), false},
		{"role without its path", aws("arn:aws:iam::123456789012:role/deployer"), false},
		{"missing role in a list", aws([]any{"arn:aws:iam::123456789012:role/ci-role", "arn:aws:iam::123456789012:role/ghost"}), false},
		{"missing role next to a service", map[string]any{"Service": "codebuild.amazonaws.com",
			"AWS": "arn:aws:iam::123456789012:role/ghost"}, false},
		{"missing user", aws("arn:aws:iam::123456789012:user/someone"), false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(h.journal())
			policy := policyWith(tt.principal)
			_, _, err := h.create(tokRepositoryPolicy, fmt.Sprintf("p%d", i), map[string]any{"repository": "repo", "policy": policy})
			if tt.ok {
				require.NoError(t, err)
				assert.JSONEq(t, policy, *h.region().Repositories["repo"].RepositoryPolicy)
				return
			}
			assert.EqualError(t, err, invalid)
			assert.Len(t, h.journal(), before, "failed calls are not journalled")
		})
	}

	t.Run("a single statement object is checked too", func(t *testing.T) {
		single := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/ghost"},"Action":"ecr:*"}}`
		assert.Equal(t, invalid, h.createErr(tokRepositoryPolicy, "single", map[string]any{"repository": "repo", "policy": single}))
	})

	t.Run("update to a missing role fails and keeps the old policy", func(t *testing.T) {
		created, oldInputs := h.mustCreate(tokRepositoryPolicy, "upd",
			map[string]any{"repository": "repo", "policy": policyFor("arn:aws:iam::123456789012:role/ci-role")})
		_, err := h.update(tokRepositoryPolicy, "upd", created, oldInputs,
			map[string]any{"repository": "repo", "policy": policyFor("arn:aws:iam::123456789012:role/ghost")})
		assert.EqualError(t, err, invalid)
		assert.Contains(t, *h.region().Repositories["repo"].RepositoryPolicy, "role/ci-role")
	})

	t.Run("a deleted role is missing", func(t *testing.T) {
		h.delete(tokRole, "ci-role", "ci-role", property.Map{})
		assert.Equal(t, invalid, h.createErr(tokRepositoryPolicy, "gone",
			map[string]any{"repository": "repo", "policy": policyFor("arn:aws:iam::123456789012:role/ci-role")}))
	})

	t.Run("lifecycle policies have no principals", func(_ *testing.T) {
		h.mustCreate(tokLifecyclePolicy, "lp", map[string]any{"repository": "repo", "policy": lifecyclePolicy})
	})
}
