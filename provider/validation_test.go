package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

func manyTags(prefix string, n int) pulumi.StringMap {
	m := pulumi.StringMap{}
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("%s%02d", prefix, i)] = pulumi.String("v")
	}
	return m
}

func repos(name string, r RepositoryArgs) map[string]RepositoryArgs {
	return map[string]RepositoryArgs{name: r}
}

// Each invalid argument fails with a message naming the field and the rule,
// and the component registers nothing at all.
func TestInvalidArgumentsRegisterNothing(t *testing.T) {
	const keyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	cases := []struct {
		name string
		args RegistryArgs
		want []string
	}{
		{"name too short", RegistryArgs{Repositories: repos("a", RepositoryArgs{})},
			[]string{`repositories["a"]: repository name must be 2 to 256 characters long, got 1`}},
		{"name too long", RegistryArgs{Repositories: repos(strings.Repeat("a", 257), RepositoryArgs{})},
			[]string{`repository name must be 2 to 256 characters long, got 257`}},
		{"upper-case name", RegistryArgs{Repositories: repos("Team/API", RepositoryArgs{})},
			[]string{`repositories["Team/API"]: repository name "Team/API" must be lowercase letters and digits`}},
		{"double separator", RegistryArgs{Repositories: repos("team--api", RepositoryArgs{})},
			[]string{`repositories["team--api"]: repository name "team--api" must be`}},
		{"trailing slash", RegistryArgs{Repositories: repos("team/", RepositoryArgs{})},
			[]string{`repositories["team/"]: repository name`}},
		{"lower-case mutability", RegistryArgs{Repositories: repos("team/api", RepositoryArgs{ImageTagMutability: ptr(ImageTagMutability("immutable"))})},
			[]string{`repositories["team/api"].imageTagMutability: must be MUTABLE or IMMUTABLE, got "immutable"`}},
		{"mutability with exclusions is not in pulumi-aws v6", RegistryArgs{Defaults: &RepositoryArgs{ImageTagMutability: ptr(ImageTagMutability("IMMUTABLE_WITH_EXCLUSION"))}},
			[]string{`defaults.imageTagMutability: must be MUTABLE or IMMUTABLE, got "IMMUTABLE_WITH_EXCLUSION"`}},
		{"unknown encryption type", RegistryArgs{Repositories: repos("api", RepositoryArgs{EncryptionType: ptr(EncryptionType("KMS_DSSE"))})},
			[]string{`repositories["api"].encryptionType: must be AES256 or KMS, got "KMS_DSSE"`}},
		{"kms key alias", RegistryArgs{Repositories: repos("api", RepositoryArgs{EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.String("alias/ecr")})},
			[]string{`repositories["api"].kmsKeyArn: must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>), not an alias`}},
		{"kms alias ARN", RegistryArgs{Repositories: repos("api", RepositoryArgs{EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.String("arn:aws:kms:us-east-1:123456789012:alias/ecr")})},
			[]string{`repositories["api"].kmsKeyArn: must be a KMS key ARN`, `not an alias`}},
		{"malformed kms ARN", RegistryArgs{Repositories: repos("api", RepositoryArgs{EncryptionType: ptr(EncryptionTypeKMS), KmsKeyArn: pulumi.String("arn:aws:kms:us-east-1:123:key/x")})},
			[]string{`repositories["api"].kmsKeyArn: must be a KMS key ARN of the form arn:<partition>:kms:<region>:<account>:key/<key-id>, got "arn:aws:kms:us-east-1:123:key/x"`}},
		{"kms key without KMS", RegistryArgs{Repositories: repos("api", RepositoryArgs{KmsKeyArn: pulumi.String(keyArn)})},
			[]string{`repositories["api"].kmsKeyArn: only allowed when encryptionType is KMS (it resolves to AES256)`}},
		{"default kms key without KMS", RegistryArgs{Defaults: &RepositoryArgs{KmsKeyArn: pulumi.String(keyArn)}},
			[]string{`defaults.kmsKeyArn: only allowed when encryptionType is KMS (defaults.encryptionType is AES256)`}},
		{"reserved tag prefix", RegistryArgs{Repositories: repos("api", RepositoryArgs{Tags: pulumi.StringMap{"AWS:owner": pulumi.String("x")}})},
			[]string{`repositories["api"].tags["AWS:owner"]: tag keys must not start with the reserved prefix "aws:"`}},
		{"tag key too long", RegistryArgs{Tags: pulumi.StringMap{strings.Repeat("k", 129): pulumi.String("x")}},
			[]string{`tags["` + strings.Repeat("k", 129) + `"]: tag keys must be at most 128 characters, got 129`}},
		{"tag value too long", RegistryArgs{Defaults: &RepositoryArgs{Tags: pulumi.StringMap{"k": pulumi.String(strings.Repeat("v", 257))}}},
			[]string{`defaults.tags["k"]: tag values must be at most 256 characters, got 257`}},
		{"empty tag key", RegistryArgs{Tags: pulumi.StringMap{"": pulumi.String("x")}},
			[]string{`tags[""]: tag keys must not be empty`}},
		{"tag value with forbidden characters", RegistryArgs{Tags: pulumi.StringMap{"team": pulumi.String("a|b")}},
			[]string{`tags["team"]: tag values may contain only letters, digits, spaces and _ . : / = + - @, got "a|b"`}},
		{"too many tags after merging", RegistryArgs{Tags: manyTags("reg", 30), Repositories: repos("api", RepositoryArgs{Tags: manyTags("repo", 21)})},
			[]string{`repositories["api"].tags: at most 50 tags per resource, got 51 after merging registry, defaults and repository tags`}},
		{"every problem at once", RegistryArgs{
			Defaults: &RepositoryArgs{EncryptionType: ptr(EncryptionType("kms"))},
			Repositories: map[string]RepositoryArgs{
				"ok-repo": {},
				"Bad":     {ImageTagMutability: ptr(ImageTagMutability("mutable"))},
			},
		}, []string{
			"(3 problems)",
			`defaults.encryptionType: must be AES256 or KMS, got "kms"`,
			`repositories["Bad"]: repository name "Bad" must be lowercase`,
			`repositories["Bad"].imageTagMutability: must be MUTABLE or IMMUTABLE, got "mutable"`,
		}},
	}
	require.GreaterOrEqual(t, len(cases), 15)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { requireRejected(t, tc.args, tc.want...) })
	}
}
