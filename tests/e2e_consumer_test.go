package tests

import (
	"context"
	"encoding/json"
	"sort"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
)

// What a consumer of the Registry reads, through the real engine: the
// `repositories` objects, typed policy statements naming a role made in the
// same program, and the identityPolicy and imageUri functions fed from the
// Registry's outputs. tests/nodejs/e2e.test.ts and tests/python/test_e2e.py
// check the same from TypeScript and Python.
func TestConsumingARegistryGo(t *testing.T) {
	env := locateBuild(t)
	aws := awsWorld{dir: t.TempDir()}
	stack := newGoStack(t, env, aws, "ecrrepos-e2e-consumer", func(ctx *pulumi.Context) error {
		ci, err := iam.NewRole(ctx, "ci", &iam.RoleArgs{AssumeRolePolicy: pulumi.String(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
		if err != nil {
			return err
		}
		reg, err := ecrrepos.NewRegistry(ctx, "main", &ecrrepos.RegistryArgs{
			Repositories: map[string]ecrrepos.RepositoryArgs{
				"team/api": {Access: &ecrrepos.AccessArgs{PolicyStatements: []ecrrepos.PolicyStatementArgs{
					{
						Sid:        pulumi.StringRef("CiPull"),
						Principals: &ecrrepos.PolicyPrincipalsArgs{Aws: pulumi.StringArray{ci.Arn}},
						Actions:    []string{"ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
					},
					{
						Sid:        pulumi.StringRef("OrgList"),
						Principals: &ecrrepos.PolicyPrincipalsArgs{Aws: pulumi.ToStringArray([]string{"*"})},
						Actions:    []string{"ecr:ListImages"},
						Conditions: []ecrrepos.PolicyConditionArgs{{
							Test: "StringEquals", Variable: "aws:PrincipalOrgID", Values: pulumi.ToStringArray([]string{"o-a1b2c3d4e5"}),
						}},
					},
				}}},
				"team/web": {},
			},
		})
		if err != nil {
			return err
		}
		grant := ecrrepos.IdentityPolicyOutput(ctx, ecrrepos.IdentityPolicyOutputArgs{
			Access: ecrrepos.GrantAccessPush,
			RepositoryArns: reg.Repositories.ApplyT(func(rs map[string]ecrrepos.RepositoryInfo) []string {
				arns := make([]string, 0, len(rs))
				for _, r := range rs {
					arns = append(arns, r.Arn)
				}
				return arns
			}).(pulumi.StringArrayOutput),
		})
		image := ecrrepos.ImageUriOutput(ctx, ecrrepos.ImageUriOutputArgs{
			RepositoryUrl: reg.RepositoryUrls.MapIndex(pulumi.String("team/api")),
			Digest:        pulumi.String("sha256:" + sha256Hex),
		})
		ctx.Export("ciRoleArn", ci.Arn)
		ctx.Export("repositories", reg.Repositories)
		ctx.Export("pushPolicyJson", reg.PushPolicyJson)
		ctx.Export("grantActions", grant.Actions())
		ctx.Export("grantDocuments", grant.Documents())
		ctx.Export("imageUri", image.Uri())
		return nil
	})

	up, err := stack.Up(context.Background())
	require.NoError(t, err)
	held := aws.repositories(t, region)

	repositories := up.Outputs["repositories"].Value.(map[string]any)
	api := repositories["team/api"].(map[string]any)
	assert.Equal(t, "team/api", api["name"])
	assert.Equal(t, "arn:aws:ecr:us-east-1:123456789012:repository/team/api", api["arn"])
	assert.Equal(t, "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api", api["url"])
	assert.Equal(t, "123456789012", api["registryId"])
	require.NotNil(t, held["team/api"].RepositoryPolicy)
	require.NotNil(t, held["team/api"].LifecyclePolicy)
	// The test double stores policies with sorted keys, as a JSON parser would.
	assert.JSONEq(t, *held["team/api"].RepositoryPolicy, api["repositoryPolicy"].(string), "the policy AWS holds")
	assert.JSONEq(t, *held["team/api"].LifecyclePolicy, api["lifecyclePolicy"].(string))
	assert.Empty(t, repositories["team/web"].(map[string]any)["repositoryPolicy"], "no access settings: no repository policy")

	var policy struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(api["repositoryPolicy"].(string)), &policy))
	bySid := map[string]map[string]any{}
	for _, s := range policy.Statement {
		if sid, ok := s["Sid"].(string); ok {
			bySid[sid] = s
		}
	}
	assert.Equal(t, map[string]any{"AWS": up.Outputs["ciRoleArn"].Value}, bySid["CiPull"]["Principal"])
	assert.Equal(t, []any{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, bySid["CiPull"]["Action"])
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, bySid["OrgList"]["Condition"])

	docs := up.Outputs["grantDocuments"].Value.([]any)
	require.Len(t, docs, 1)
	assert.JSONEq(t, up.Outputs["pushPolicyJson"].Value.(string), docs[0].(string), "the Registry's own push policy is the same grant")
	var grant struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(docs[0].(string)), &grant))
	var resources []string
	for _, s := range grant.Statement {
		if s["Resource"] != "*" {
			resources = append(resources, policyStrings(s["Resource"])...)
		}
	}
	sort.Strings(resources)
	assert.Equal(t, []string{
		"arn:aws:ecr:us-east-1:123456789012:repository/team/api", "arn:aws:ecr:us-east-1:123456789012:repository/team/web",
	}, resources)
	assert.Contains(t, up.Outputs["grantActions"].Value, "ecr:PutImage")
	assert.Equal(t, "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api@sha256:"+sha256Hex, up.Outputs["imageUri"].Value)

	noChanges(t, stack)
}

const sha256Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// policyStrings reads a policy element that is a string or a list of strings.
func policyStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, s := range v {
			out = append(out, s.(string))
		}
		return out
	}
	return nil
}

// One program, two stacks in one account: namePrefix keeps their repositories
// apart, and the outputs stay keyed by the keys the program wrote.
func TestNamePrefixPerStackGo(t *testing.T) {
	env := locateBuild(t)
	aws := awsWorld{dir: t.TempDir()}
	program := func(prefix string) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			reg, err := ecrrepos.NewRegistry(ctx, "platform", &ecrrepos.RegistryArgs{
				NamePrefix:   pulumi.StringRef(prefix),
				Repositories: map[string]ecrrepos.RepositoryArgs{"team/api": {Access: &ecrrepos.AccessArgs{PullAccountIds: pulumi.ToStringArray([]string{"111111111111"})}}},
			})
			if err != nil {
				return err
			}
			ctx.Export("names", reg.RepositoryNames)
			ctx.Export("urls", reg.RepositoryUrls)
			ctx.Export("pullPolicyJson", reg.PullPolicyJson)
			return nil
		}
	}
	for _, prefix := range []string{"staging/", "prod-"} {
		stack := newGoStack(t, env, aws, "ecrrepos-e2e-prefix", program(prefix))
		up, err := stack.Up(context.Background())
		require.NoError(t, err, prefix)
		assert.Equal(t, map[string]any{"team/api": prefix + "team/api"}, up.Outputs["names"].Value)
		assert.Equal(t, map[string]any{"team/api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/" + prefix + "team/api"}, up.Outputs["urls"].Value)
		assert.Contains(t, up.Outputs["pullPolicyJson"].Value, "repository/"+prefix+"team/api")
		noChanges(t, stack)
	}
	held := aws.repositories(t, region)
	for _, name := range []string{"staging/team/api", "prod-team/api"} {
		require.Contains(t, held, name)
		assert.NotNil(t, held[name].RepositoryPolicy, "%s has its policy", name)
		assert.NotNil(t, held[name].LifecyclePolicy, "%s has its lifecycle policy", name)
	}
	assert.NotContains(t, held, "team/api")
}
