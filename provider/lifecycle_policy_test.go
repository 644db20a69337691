package provider

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
)

func parseLifecycle(t *testing.T, doc string) *lifecycle.Policy {
	t.Helper()
	p, err := lifecycle.Parse(doc)
	require.NoError(t, err, doc)
	return p
}

func TestDefaultLifecyclePolicyExpiresUntaggedAfter14Days(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{})}).ok(t)
	registered := r.one(t, lifecycleType, "main/api")
	assert.Equal(t, "api", registered.input("repository").AsString())
	assert.True(t, registered.DeleteBeforeReplace, "pulumi-aws replaces lifecycle policies on every change")
	doc := registered.input("policy").AsString()
	p := parseLifecycle(t, doc)
	require.Len(t, p.Rules, 1)
	s := p.Rules[0].Selection
	assert.Equal(t, lifecycle.Selection{TagStatus: "untagged", CountType: "sinceImagePushed", CountUnit: "days", CountNumber: 14}, s)
	assert.Equal(t, "expire", p.Rules[0].Action.Type)
	assert.Equal(t, doc, r.info("api").LifecyclePolicy)
}

func TestLifecycleDefaultsTemplatesOverridesAndDisabled(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{
		Defaults: &RepositoryArgs{Lifecycle: &LifecycleArgs{Template: ptr(LifecycleTemplate("production"))}},
		Repositories: map[string]RepositoryArgs{
			"inherits": {},
			"custom": {Lifecycle: &LifecycleArgs{Rules: []LifecycleRuleArgs{
				{TagStatus: "tagged", TagPrefixes: []string{"pr-"}, CountType: "sinceImagePushed", CountNumber: 3},
				{TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: 30},
			}}},
			"keep-everything": {Lifecycle: &LifecycleArgs{Disabled: ptr(true)}},
		},
	}).ok(t)
	assert.ElementsMatch(t, []string{"main/inherits", "main/custom"}, r.ofType(lifecycleType), "disabled: no lifecycle policy")
	assert.Empty(t, r.info("keep-everything").LifecyclePolicy)
	assert.Equal(t, "keep-everything", r.info("keep-everything").Name)

	production := parseLifecycle(t, r.one(t, lifecycleType, "main/inherits").input("policy").AsString())
	built, problems := lifecycle.Build("x", &lifecycle.Spec{Template: "production"})
	require.Empty(t, problems.Errors())
	assert.Equal(t, built.JSON(), production.JSON(), "the default's template")

	custom := parseLifecycle(t, r.one(t, lifecycleType, "main/custom").input("policy").AsString())
	require.Len(t, custom.Rules, 2, "a repository's lifecycle replaces the default's")
	assert.Equal(t, 1, custom.Rules[0].RulePriority)
	assert.Equal(t, []string{"pr-"}, custom.Rules[0].Selection.TagPrefixList)
	assert.Equal(t, "any", custom.Rules[1].Selection.TagStatus)
	assert.Equal(t, 2, custom.Rules[1].RulePriority, "priorities assigned automatically, any last")
}

// Typed archive rules and helpers reach the document.
func TestArchiveHelpersAndTypedTransitionRules(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: map[string]RepositoryArgs{
		"helpers": {Lifecycle: &LifecycleArgs{ExpireUntaggedAfterDays: ptr(7), ArchiveNotPulledAfterDays: ptr(120), ExpireArchivedAfterDays: ptr(365)}},
		"typed": {Lifecycle: &LifecycleArgs{Rules: []LifecycleRuleArgs{
			{TagStatus: "any", CountType: "sinceImagePulled", CountNumber: 60, Action: ptr(LifecycleAction("transition"))},
		}}},
	}}).ok(t)
	helpers := parseLifecycle(t, r.one(t, lifecycleType, "main/helpers").input("policy").AsString())
	var transitions, archiveExpiries int
	for _, rule := range helpers.Rules {
		if rule.Action.Type == "transition" && rule.Selection.CountType == "sinceImagePulled" && rule.Selection.CountNumber == 120 {
			transitions++
		}
		if rule.Selection.CountType == "sinceImageTransitioned" && rule.Selection.CountNumber == 365 {
			archiveExpiries++
		}
	}
	assert.Equal(t, 1, transitions)
	assert.Equal(t, 1, archiveExpiries)
	typed := parseLifecycle(t, r.one(t, lifecycleType, "main/typed").input("policy").AsString())
	require.Len(t, typed.Rules, 1)
	assert.Equal(t, "archive", typed.Rules[0].Action.TargetStorageClass)

	run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{Lifecycle: &LifecycleArgs{ExpireArchivedAfterDays: ptr(30)}})}).
		rejected(t, `repositories["api"].lifecycle.expireArchivedAfterDays`, "90")
}

// keepLatest next to an untagged rule keeps tagged images only (review D3).
func TestKeepLatestCountsTaggedImagesNextToAnUntaggedRule(t *testing.T) {
	t.Parallel()
	r := run(t, RegistryArgs{Repositories: repos("api", RepositoryArgs{Lifecycle: &LifecycleArgs{KeepLatest: ptr(30), ExpireUntaggedAfterDays: ptr(7)}})}).ok(t)
	p := parseLifecycle(t, r.one(t, lifecycleType, "main/api").input("policy").AsString())
	var keep *lifecycle.PolicyRule
	for i := range p.Rules {
		if p.Rules[i].Selection.CountType == "imageCountMoreThan" {
			keep = &p.Rules[i]
		}
	}
	require.NotNil(t, keep)
	assert.Equal(t, "tagged", keep.Selection.TagStatus)
	assert.Equal(t, []string{"*"}, keep.Selection.TagPatternList)
}
