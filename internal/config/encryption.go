package config

import (
	"strings"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// checkDefaultKey refuses a default key that no repository could use as
// written: defaults.kmsKeyArn with defaults that are not KMS.
func checkDefaultKey(d *Repository) validate.Problems {
	var ps validate.Problems
	if d.KmsKeyArn != nil {
		if t := firstOf(d.EncryptionType, nil, DefaultEncryptionType); t != "KMS" {
			ps.Addf("defaults.kmsKeyArn", "only allowed when encryptionType is KMS (defaults.encryptionType is %s)", t)
		}
	}
	return ps
}

// resolveKmsKey picks the repository's customer key: its own, else the
// default's when the repository resolves to KMS (a repository that chose
// another encryption type drops the default key).
func resolveKmsKey(path string, own, defaults *Repository, encryptionType string, env Env) (*Text, string, validate.Problems) {
	var ps validate.Problems
	var key *Text
	at := validate.Field(path, "kmsKeyArn")
	switch {
	case own.KmsKeyArn != nil:
		key = own.KmsKeyArn
		if encryptionType != "KMS" {
			ps.Addf(at, "only allowed when encryptionType is KMS (it resolves to %s)", encryptionType)
		}
	case defaults.KmsKeyArn != nil && encryptionType == "KMS":
		key, at = defaults.KmsKeyArn, "defaults.kmsKeyArn"
	default:
		return nil, "", nil
	}
	if !key.IsKnown() {
		return key, at, ps
	}
	if problems := validate.KmsKeyArn(at, key.Value); len(problems) > 0 {
		return key, at, append(ps, problems...)
	}
	// arn:<partition>:kms:<region>:<account>:key/<id>
	parts := strings.SplitN(key.Value, ":", 6)
	if env.Partition.IsKnown() && env.Partition.Value != "" && parts[1] != env.Partition.Value {
		ps.Addf(at, "must be a key in the repository's partition %s, got a key in %s (%q)", env.Partition.Value, parts[1], key.Value)
	}
	if env.Region.IsKnown() && env.Region.Value != "" && parts[3] != env.Region.Value {
		ps.Addf(at, "must be a key in the repository's region %s: ECR only encrypts with a key of its own region, got a key in %s (%q)", env.Region.Value, parts[3], key.Value)
	}
	return key, at, ps
}
