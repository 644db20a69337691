package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/lifecycle"
)

const keyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

var env = Env{AccountID: Known("123456789012"), Region: Known("eu-west-1"), Partition: Known("aws")}

func ptr[T any](v T) *T { return &v }

func one(name string, r Repository) Registry {
	return Registry{Repositories: map[string]Repository{name: r}}
}

func manyTags(prefix string, n int) *Map {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprintf("%s%02d", prefix, i)] = "v"
	}
	return KnownMap(m)
}

func resolveErr(t *testing.T, r Registry, e Env) string {
	t.Helper()
	_, ps := Resolve(r, e)
	err := ps.Err(`arguments for Registry "main"`)
	if err == nil {
		return ""
	}
	return err.Error()
}

// Every invalid argument is refused with a message naming the field path and
// the rule, whatever concern it belongs to.
func TestResolveRefusesInvalidArguments(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		reg  Registry
		want []string
	}{
		{"name too short", one("a", Repository{}), []string{`repositories["a"]: repository name must be 2 to 256 characters long, got 1`}},
		{"name too long", one(strings.Repeat("a", 257), Repository{}), []string{`repository name must be 2 to 256 characters long, got 257`}},
		{"upper-case name", one("Team/API", Repository{}), []string{`repositories["Team/API"]: repository name "Team/API" must be lowercase letters and digits`}},
		{"double separator", one("team--api", Repository{}), []string{`repositories["team--api"]: repository name "team--api" must be`}},
		{"trailing slash", one("team/", Repository{}), []string{`repositories["team/"]: repository name`}},
		{"lower-case mutability", one("team/api", Repository{ImageTagMutability: ptr("immutable")}),
			[]string{`repositories["team/api"].imageTagMutability: must be MUTABLE or IMMUTABLE, got "immutable"`}},
		{"mutability with exclusions is not in pulumi-aws v6", Registry{Defaults: &Repository{ImageTagMutability: ptr("IMMUTABLE_WITH_EXCLUSION")}},
			[]string{`defaults.imageTagMutability: must be MUTABLE or IMMUTABLE, got "IMMUTABLE_WITH_EXCLUSION"`}},
		{"unknown encryption type", one("api", Repository{EncryptionType: ptr("KMS_DSSE")}),
			[]string{`repositories["api"].encryptionType: must be AES256 or KMS, got "KMS_DSSE"`}},
		{"kms key alias", one("api", Repository{EncryptionType: ptr("KMS"), KmsKeyArn: ptr(Known("alias/ecr"))}),
			[]string{`repositories["api"].kmsKeyArn: must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias`}},
		{"kms alias ARN", one("api", Repository{EncryptionType: ptr("KMS"), KmsKeyArn: ptr(Known("arn:aws:kms:us-east-1:123456789012:alias/ecr"))}),
			[]string{`repositories["api"].kmsKeyArn: must be a KMS key ARN`, `not an alias`}},
		{"malformed kms ARN", one("api", Repository{EncryptionType: ptr("KMS"), KmsKeyArn: ptr(Known("arn:aws:kms:us-east-1:123:key/x"))}),
			[]string{`repositories["api"].kmsKeyArn: must be a KMS key ARN of the form arn:<partition>:kms:<region>:<account>:key/<key-id>, got "arn:aws:kms:us-east-1:123:key/x"`}},
		{"kms key without KMS", one("api", Repository{KmsKeyArn: ptr(Known(keyArn))}),
			[]string{`repositories["api"].kmsKeyArn: only allowed when encryptionType is KMS (it resolves to AES256)`}},
		{"default kms key without KMS", Registry{Defaults: &Repository{KmsKeyArn: ptr(Known(keyArn))}},
			[]string{`defaults.kmsKeyArn: only allowed when encryptionType is KMS (defaults.encryptionType is AES256)`}},
		{"kms key in another region", one("api", Repository{EncryptionType: ptr("KMS"), KmsKeyArn: ptr(Known(strings.Replace(keyArn, "eu-west-1", "us-east-1", 1)))}),
			[]string{`repositories["api"].kmsKeyArn: must be a key in the repository's region eu-west-1: ECR only encrypts with a key of its own region, got a key in us-east-1`}},
		{"inherited kms key in another partition", Registry{
			Defaults:     &Repository{EncryptionType: ptr("KMS"), KmsKeyArn: ptr(Known(strings.Replace(keyArn, "arn:aws:", "arn:aws-cn:", 1)))},
			Repositories: map[string]Repository{"api": {}},
		}, []string{`defaults.kmsKeyArn: must be a key in the repository's partition aws, got a key in aws-cn`}},
		{"reserved tag prefix", one("api", Repository{Tags: KnownMap(map[string]string{"AWS:owner": "x"})}),
			[]string{`repositories["api"].tags["AWS:owner"]: tag keys must not start with the reserved prefix "aws:"`}},
		{"tag key too long", Registry{Tags: KnownMap(map[string]string{strings.Repeat("k", 129): "x"})},
			[]string{`tags["` + strings.Repeat("k", 129) + `"]: tag keys must be at most 128 characters, got 129`}},
		{"tag value too long", Registry{Defaults: &Repository{Tags: KnownMap(map[string]string{"k": strings.Repeat("v", 257)})}},
			[]string{`defaults.tags["k"]: tag values must be at most 256 characters, got 257`}},
		{"empty tag key", Registry{Tags: KnownMap(map[string]string{"": "x"})}, []string{`tags[""]: tag keys must not be empty`}},
		{"tag value with forbidden characters", Registry{Tags: KnownMap(map[string]string{"team": "a|b"})},
			[]string{`tags["team"]: tag values may contain only letters, digits, spaces and _ . : / = + - @, got "a|b"`}},
		{"too many tags after merging", Registry{Tags: manyTags("reg", 30), Repositories: map[string]Repository{"api": {Tags: manyTags("repo", 21)}}},
			[]string{`repositories["api"].tags: at most 50 tags per resource, got 51 after merging registry, defaults and repository tags`}},
		{"short account id", one("api", Repository{Access: &Access{PullAccountIds: KnownList("1234")}}),
			[]string{`repositories["api"].access.pullAccountIds[0]:`, `"1234"`}},
		{"default reported once at its own path", Registry{
			Defaults:     &Repository{Access: &Access{PushAccountIds: KnownList("12345678901x")}},
			Repositories: map[string]Repository{"aa": {}, "bb": {}},
		}, []string{`invalid arguments for Registry "main": defaults.access.pushAccountIds[0]:`}},
		{"strict deny without allow-only", one("api", Repository{Access: &Access{StrictDeny: ptr(true)}}),
			[]string{`repositories["api"].access.strictDeny:`, "allowOnlyPrincipals"}},
		{"inherited strict deny with the repository's empty allow-only", Registry{
			Defaults:     &Repository{Access: &Access{StrictDeny: ptr(true), AllowOnlyPrincipals: KnownList("arn:aws:iam::111111111111:role/admin")}},
			Repositories: map[string]Repository{"api": {Access: &Access{AllowOnlyPrincipals: KnownList()}}},
		}, []string{`defaults.access.strictDeny: needs repositories["api"].access.allowOnlyPrincipals`}},
		{"authorization token in a custom statement", one("api", Repository{Access: &Access{PolicyStatements: KnownList(
			`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"ecr:GetAuthorizationToken"}`)}}),
			[]string{`repositories["api"].access.policyStatements[0]`, "ecr:GetAuthorizationToken"}},
		{"granted but outside allow-only", one("api", Repository{Access: &Access{
			PullAccountIds: KnownList("111111111111"), AllowOnlyPrincipals: KnownList("arn:aws:iam::222222222222:role/admin"),
		}}), []string{`repositories["api"].access.pullAccountIds[0]`, "allowOnlyPrincipals"}},
		{"session ARN", one("api", Repository{Access: &Access{PullPrincipalArns: KnownList("arn:aws:sts::111111111111:assumed-role/ci/session")}}),
			[]string{`repositories["api"].access.pullPrincipalArns[0]`, "role ARN"}},
		{"principal in another partition", one("api", Repository{Access: &Access{PullPrincipalArns: KnownList("arn:aws-cn:iam::111111111111:role/ci")}}),
			[]string{`repositories["api"].access.pullPrincipalArns[0]: must be in the repository's partition "aws"`}},
		{"complete policy that is not JSON", one("api", Repository{Access: &Access{Policy: ptr(Known("{not json"))}}),
			[]string{`repositories["api"].access.policy`}},
		{"zero count", one("api", Repository{Lifecycle: &lifecycle.Spec{Rules: []lifecycle.Rule{{TagStatus: "untagged", CountType: "sinceImagePushed", CountNumber: 0}}}}),
			[]string{`repositories["api"].lifecycle.rules[0].countNumber`}},
		{"unknown template in defaults", Registry{
			Defaults:     &Repository{Lifecycle: &lifecycle.Spec{Template: "prod"}},
			Repositories: map[string]Repository{"aa": {}, "bb": {}},
		}, []string{`defaults.lifecycle.template`, `"prod"`}},
		{"disabled with rules", one("api", Repository{Lifecycle: &lifecycle.Spec{Disabled: true, KeepLatest: ptr(5)}}),
			[]string{`repositories["api"].lifecycle`, "disabled"}},
		{"every problem at once", Registry{
			Defaults: &Repository{EncryptionType: ptr("kms")},
			Repositories: map[string]Repository{
				"ok-repo": {},
				"Bad":     {ImageTagMutability: ptr("mutable")},
			},
		}, []string{
			"(3 problems)",
			`defaults.encryptionType: must be AES256 or KMS, got "kms"`,
			`repositories["Bad"]: repository name "Bad" must be lowercase`,
			`repositories["Bad"].imageTagMutability: must be MUTABLE or IMMUTABLE, got "mutable"`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			msg := resolveErr(t, tc.reg, env)
			require.NotEmpty(t, msg, "must be refused")
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
		})
	}
}

func TestResolveAppliesDefaultsFieldByField(t *testing.T) {
	t.Parallel()
	plan, ps := Resolve(Registry{
		Tags:     KnownMap(map[string]string{"owner": "platform", "env": "prod", "cost": "shared"}),
		Defaults: &Repository{ImageTagMutability: ptr("MUTABLE"), ScanOnPush: ptr(false), ForceDelete: ptr(true), Tags: KnownMap(map[string]string{"env": "staging", "team": "default"})},
		Repositories: map[string]Repository{
			"inherits":  {},
			"overrides": {ImageTagMutability: ptr("IMMUTABLE"), ForceDelete: ptr(false), Tags: KnownMap(map[string]string{"team": "api"})},
		},
	}, env)
	require.NoError(t, ps.Err("x"))
	require.Len(t, plan.Repositories, 2)
	inherits, overrides := plan.Repositories[0], plan.Repositories[1]
	assert.Equal(t, "inherits", inherits.Key, "repositories come in key order")
	assert.Equal(t, "MUTABLE", inherits.ImageTagMutability)
	assert.False(t, inherits.ScanOnPush)
	assert.True(t, inherits.ForceDelete)
	assert.Equal(t, "AES256", inherits.EncryptionType)
	assert.Equal(t, "IMMUTABLE", overrides.ImageTagMutability)
	assert.False(t, overrides.ScanOnPush, "not overridden, so the default applies")
	assert.Equal(t, map[string]Text{"owner": Known("platform"), "env": Known("staging"), "cost": Known("shared"), "team": Known("api")}, overrides.Tags.Items)
	assert.Equal(t, "default", inherits.Tags.Items["team"].Value)
	assert.Empty(t, plan.Refs)
}

func TestResolveBuiltInDefaults(t *testing.T) {
	t.Parallel()
	plan, ps := Resolve(one("team/api", Repository{}), env)
	require.Empty(t, ps)
	r := plan.Repositories[0]
	assert.Equal(t, `repositories["team/api"]`, r.Path)
	assert.Equal(t, "IMMUTABLE", r.ImageTagMutability)
	assert.True(t, r.ScanOnPush)
	assert.Equal(t, "AES256", r.EncryptionType)
	assert.Nil(t, r.KmsKeyArn)
	assert.Nil(t, r.Policy, "no access settings, no repository policy")
	assert.Empty(t, r.Tags.Items)
	require.NotNil(t, r.Lifecycle)
	assert.Equal(t, lifecycle.DefaultPolicy().JSON(), r.Lifecycle.JSON())
}

func TestKmsKeyFromDefaultsOrRepository(t *testing.T) {
	t.Parallel()
	other := strings.Replace(keyArn, "1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-0123456789abcdef0123456789abcdef", 1)
	plan, ps := Resolve(Registry{
		Defaults: &Repository{EncryptionType: ptr("KMS"), KmsKeyArn: ptr(Known(keyArn))},
		Repositories: map[string]Repository{
			"default-key": {},
			"own-key":     {KmsKeyArn: ptr(Known(other))},
			"plain":       {EncryptionType: ptr("AES256")},
		},
	}, env)
	require.Empty(t, ps)
	assert.Equal(t, keyArn, plan.Repositories[0].KmsKeyArn.Value)
	assert.Equal(t, "defaults.kmsKeyArn", plan.Repositories[0].KmsKeyArnPath)
	assert.Equal(t, other, plan.Repositories[1].KmsKeyArn.Value)
	assert.Nil(t, plan.Repositories[2].KmsKeyArn, "a repository that chose AES256 drops the default key")
}

func TestRepositoryPolicyFromDefaultsAndOverrides(t *testing.T) {
	t.Parallel()
	plan, ps := Resolve(Registry{
		Defaults: &Repository{Access: &Access{PullAccountIds: KnownList("111111111111", "222222222222")}},
		Repositories: map[string]Repository{
			"inherits":  {},
			"nothing":   {Access: &Access{PullAccountIds: KnownList()}},
			"overrides": {Access: &Access{PullAccountIds: KnownList("333333333333"), PushAccountIds: KnownList("444444444444")}},
		},
	}, env)
	require.Empty(t, ps)
	inherits, nothing, overrides := plan.Repositories[0], plan.Repositories[1], plan.Repositories[2]
	require.NotNil(t, inherits.Policy)
	assert.Contains(t, inherits.Policy.JSON, `"arn:aws:iam::111111111111:root","arn:aws:iam::222222222222:root"`)
	assert.Nil(t, nothing.Policy, "an empty list replaces the default and asks for no policy")
	assert.Contains(t, overrides.Policy.JSON, `"AWS":"arn:aws:iam::333333333333:root"`)
	assert.Contains(t, overrides.Policy.JSON, `"AWS":"arn:aws:iam::444444444444:root"`)
	assert.NotContains(t, overrides.Policy.JSON, "111111111111", "the repository's list replaces the default's")
}

// A value that is an output is checked when it resolves, by the same rules and
// with the same wording as a value known at once.
func TestDeferredValuesAreCheckedWhenFilled(t *testing.T) {
	t.Parallel()
	reg := Registry{
		Tags: &Map{Ref: 1},
		Repositories: map[string]Repository{
			"api": {
				EncryptionType: ptr("KMS"),
				KmsKeyArn:      ptr(Deferred(2)),
				Tags:           &Map{Items: map[string]Text{"team": Deferred(3)}},
				Access:         &Access{PullPrincipalArns: &List{Items: []Text{Deferred(4), Known("arn:aws:iam::111111111111:role/x")}}, PushAccountIds: KnownList("12345")},
			},
			"web": {},
		},
	}
	plan, ps := Resolve(reg, env)
	assert.Equal(t, []Ref{1, 2, 3, 4}, plan.Refs)
	api := plan.Repositories[0]
	assert.Equal(t, []Ref{1, 2, 3, 4}, api.Refs)
	assert.True(t, api.Tags.Deferred(), "the registry tags are an output: the merge waits")
	require.NotNil(t, api.Policy)
	assert.Empty(t, api.Policy.JSON)
	assert.Equal(t, []Ref{4}, api.Policy.Refs)
	assert.Equal(t, []Ref{1}, plan.Repositories[1].Refs, "web waits for the registry tags only")
	// What is known is checked now, the rest when it resolves.
	require.Len(t, ps.Errors(), 1)
	assert.Contains(t, ps.Errors()[0].String(), `repositories["api"].access.pushAccountIds[0]: must be a 12-digit AWS account ID, got "12345"`)

	filled := reg.Fill(Values{1: map[string]string{"aws:reserved": "x"}, 2: "alias/ecr", 3: "a|b", 4: "not-an-arn"})
	_, ps = Resolve(filled, env)
	msg := ps.Err(`arguments for Registry "main"`).Error()
	for _, want := range []string{
		`tags["aws:reserved"]: tag keys must not start with the reserved prefix`,
		`repositories["api"].kmsKeyArn: must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias`,
		`repositories["api"].tags["team"]: tag values may contain only letters`,
		`repositories["api"].access.pullPrincipalArns[0]: must be an IAM principal ARN`,
		`repositories["api"].access.pushAccountIds[0]`,
	} {
		assert.Contains(t, msg, want)
	}

	good := reg.Fill(Values{1: map[string]string{"owner": "platform"}, 2: keyArn, 3: "api", 4: "arn:aws:iam::123456789012:role/ci"})
	good.Repositories["api"].Access.PushAccountIds.Items[0] = Known("210987654321")
	plan, ps = Resolve(good, env)
	require.NoError(t, ps.Err("x"))
	api = plan.Repositories[0]
	assert.Empty(t, api.Refs)
	assert.Equal(t, map[string]Text{"owner": Known("platform"), "team": Known("api")}, api.Tags.Items)
	assert.Contains(t, api.Policy.JSON, `"arn:aws:iam::123456789012:role/ci"`)
}

func TestDeferredPartitionWaitsForArnChecks(t *testing.T) {
	t.Parallel()
	deferredEnv := Env{AccountID: Deferred(10), Region: Deferred(11), Partition: Deferred(12)}
	reg := one("api", Repository{Access: &Access{PullPrincipalArns: KnownList("arn:aws-us-gov:iam::111111111111:role/ci"), PullAccountIds: KnownList("x")}})
	plan, ps := Resolve(reg, deferredEnv)
	require.Len(t, ps.Errors(), 1, "the GovCloud ARN waits for the partition; the account ID is checked now")
	assert.Contains(t, ps.Errors()[0].Path, "pullAccountIds[0]")
	assert.Equal(t, []Ref{10, 12}, plan.Repositories[0].Policy.Refs)

	_, ps = Resolve(reg, deferredEnv.Fill(Values{10: "123456789012", 11: "us-gov-west-1", 12: "aws-us-gov"}))
	_, bad := ps.Find(`repositories["api"].access.pullPrincipalArns[0]`, "partition")
	assert.False(t, bad, "in its own partition the ARN is fine")
}

func TestDeferredListThatResolvesEmptyIsExplained(t *testing.T) {
	t.Parallel()
	reg := one("api", Repository{Access: &Access{PullAccountIds: &List{Ref: 1}}})
	plan, ps := Resolve(reg, env)
	require.Empty(t, ps)
	require.NotNil(t, plan.Repositories[0].Policy, "an output list may hold accounts: a policy is planned")
	_, ps = Resolve(reg.Fill(Values{1: []string{}}), env)
	assert.Contains(t, ps.Err("x").Error(), `repositories["api"].access: the access settings resolved to empty lists`)
}

func TestFillLeavesUnresolvedValuesDeferred(t *testing.T) {
	t.Parallel()
	reg := one("api", Repository{KmsKeyArn: ptr(Deferred(1)), Tags: &Map{Ref: 2}})
	filled := reg.Fill(Values{1: keyArn})
	assert.Equal(t, Known(keyArn), *filled.Repositories["api"].KmsKeyArn)
	assert.Equal(t, Ref(2), filled.Repositories["api"].Tags.Ref)
	assert.Equal(t, Ref(1), reg.Repositories["api"].KmsKeyArn.Ref, "the original is not changed")
}

func TestSameArgumentsSamePlan(t *testing.T) {
	t.Parallel()
	reg := Registry{Repositories: map[string]Repository{"cc": {}, "aa/bb": {Access: &Access{PullAccountIds: KnownList("222222222222", "111111111111")}}, "bb": {}}}
	first, _ := Resolve(reg, env)
	second, _ := Resolve(reg, env)
	assert.Equal(t, first, second)
	assert.Equal(t, "aa/bb", first.Repositories[0].Key)
}

// Before the aws provider has said where it deploys, every rule that does not
// need the partition or account is checked already; principals are compared
// with each other, and with the real partition once it is known.
func TestRulesCheckedBeforeTheEnvironmentIsKnown(t *testing.T) {
	t.Parallel()
	world := one("api", Repository{Access: &Access{PolicyStatements: KnownList(
		`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage"}`)}})
	_, ps := Resolve(world, EnvNotYetKnown())
	assert.NotEmpty(t, ps.Errors(), "a world-wide grant is refused before anything is registered")

	gov := one("api", Repository{Access: &Access{
		PullPrincipalArns:   KnownList("arn:aws-us-gov:iam::111111111111:role/ci"),
		AllowOnlyPrincipals: KnownList("arn:aws-us-gov:iam::111111111111:role/ci"),
	}})
	_, ps = Resolve(gov, EnvNotYetKnown())
	assert.Empty(t, ps.Errors(), "GovCloud principals are not judged against a guessed partition")
	_, ps = Resolve(gov, env)
	_, found := ps.Find(`repositories["api"].access.pullPrincipalArns[0]`, `partition "aws"`)
	assert.True(t, found, "and are compared with the real one: %v", ps)

	mixed := one("api", Repository{Access: &Access{PullPrincipalArns: KnownList(
		"arn:aws-us-gov:iam::111111111111:role/ci", "arn:aws:iam::111111111111:role/ci")}})
	_, ps = Resolve(mixed, EnvNotYetKnown())
	assert.NotEmpty(t, ps.Errors(), "principals in two partitions are refused at once")
}

// Each access setting's path says where it was written: the repository's
// own access object, or defaults.access when it was inherited.
func TestAccessPathsSayWhereEachSettingWasWritten(t *testing.T) {
	t.Parallel()
	require.Less(t, len(accessLists), 16, "mergeAccess keeps one bit per list below the other settings' bits")
	yes := ptr(true)
	set := func(field string) *Access {
		a := &Access{}
		for _, f := range accessLists {
			if f.field == field {
				*f.in(a) = KnownList("111111111111")
			}
		}
		switch field {
		case "strictDeny":
			a.StrictDeny = yes
		case fieldAnyAccount:
			a.AllowAnyAwsAccountPull = yes
		case "allowPublicPull":
			a.AllowPublicPull = yes
		case "policyStatements":
			a.PolicyStatements = KnownList(`{}`)
		case "policy":
			a.Policy = ptr(Known(`{}`))
		}
		return a
	}
	fields := []string{"strictDeny", fieldAnyAccount, "allowPublicPull", "policyStatements", "policy"}
	for _, f := range accessLists {
		fields = append(fields, f.field)
	}
	const own = `repositories["api"]`
	for _, field := range fields {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			inherited := mergeAccess(own, nil, set(field))
			assert.Equal(t, "defaults.access."+field, inherited.at(field))
			written := mergeAccess(own, set(field), set(field))
			assert.Equal(t, own+".access."+field, written.at(field))
			assert.Equal(t, own+".access", written.at(""), "the object itself")
		})
	}
}
