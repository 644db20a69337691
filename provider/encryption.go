package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// EncryptionType is how ECR encrypts a repository's images at rest.
type EncryptionType string

// The encryption types for a repository.
const (
	EncryptionTypeAES256 EncryptionType = "AES256"
	EncryptionTypeKMS    EncryptionType = "KMS"
)

// TypeDescription describes the enum type in the schema.
func (EncryptionType) TypeDescription() string {
	return "How ECR encrypts a repository's images at rest; fixed when the repository is created."
}

// Values lists the enum for the schema.
func (EncryptionType) Values() []infer.EnumValue[EncryptionType] {
	return []infer.EnumValue[EncryptionType]{
		{Name: "AES256", Value: EncryptionTypeAES256, Description: "Amazon S3-managed keys."},
		{Name: "KMS", Value: EncryptionTypeKMS, Description: "An AWS KMS key: `kmsKeyArn`, or the AWS-managed `aws/ecr` key when it is not set."},
	}
}

// describeEncryption documents the encryption fields of Repository.
func describeEncryption(a infer.Annotator, r *RepositoryArgs) {
	a.Describe(&r.EncryptionType, "`AES256` (default) or `KMS`. ECR fixes encryption when a repository is created: "+
		"a change to `encryptionType` or `kmsKeyArn` of an existing repository fails the preview with the reason (the component ignores those inputs "+
		"for diffing and compares what the repository really has), unless `allowReplace` is set, which deletes and recreates the repository.")
	a.Describe(&r.KmsKeyArn, "ARN of the KMS key to encrypt with; only with `encryptionType: KMS` (without it ECR uses the AWS-managed `aws/ecr` key). "+
		"Must be a key ARN in the repository's region, not an alias: ECR stores the key ARN, so an alias would replace the repository on every update. "+
		"May be an output (a key created in the same program), a secret or unknown during preview. A repository that sets `encryptionType: AES256` ignores a `defaults.kmsKeyArn`.")
	a.Describe(&r.AllowReplace, "Allow a change that ECR can only make by replacing the repository (a new `encryptionType` or `kmsKeyArn`): "+
		"the repository is deleted first, with its images, and created again, and its policies with it. Default `false`: such a change fails the preview with an explanation.")
}

// ECR fixes a repository's encryption when it is created: pulumi-aws applies
// a change by replacing the repository, which deletes it with all its images
// (or fails while it holds any). Unless a repository sets allowReplace, its
// encryption inputs are ignored for diffing (so no replacement is planned) and
// the encryption the repository really has is compared with the arguments;
// a mismatch fails the preview with a message naming the field.

// encryptionArgs is the encryption configuration the arguments ask for.
func (r *registration) encryptionArgs(p *config.RepositoryPlan) *ecr.RepositoryEncryptionConfigurationArgs {
	encryption := &ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String(p.EncryptionType)}
	if p.KmsKeyArn != nil {
		encryption.KmsKey = r.in.input(*p.KmsKeyArn)
	}
	if p.CreatedKey && r.kms != nil { // issue #12: the key encryption.kms creates
		encryption.KmsKey = r.kms.arn
	}
	return encryption
}

// encryptionOptions are the repository's resource options for encryption.
func encryptionOptions(p *config.RepositoryPlan) []pulumi.ResourceOption {
	if p.AllowReplace {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.IgnoreChanges([]string{"encryptionConfigurations"})}
}

// guardEncryption returns the repository's name once its actual encryption is
// known to match the arguments; consumers of the name (the policies, the
// outputs) wait for it, so a mismatch stops them with the explanation.
func (r *registration) guardEncryption(p *config.RepositoryPlan, repo *ecr.Repository) pulumi.StringOutput {
	if p.AllowReplace {
		return repo.Name
	}
	if p.CreatedKey && r.kms != nil { // issue #12 (kms_key.go)
		return r.guardCreatedKey(p, repo)
	}
	check := func(actual []ecr.RepositoryEncryptionConfiguration, wantKey string) (string, error) {
		gotType, gotKey := actualEncryption(actual)
		var problems validate.Problems
		switch {
		case gotType != p.EncryptionType:
			problems.Addf(validate.Field(p.Path, "encryptionType"), "ECR cannot change the encryption of an existing repository: "+
				"%q is encrypted with %s, the arguments ask for %s. Keep %s, or set allowReplace: true to delete the repository "+
				"and create it again (its images are lost; with forceDelete: false the deletion fails while it holds images)",
				p.Name, gotType, p.EncryptionType, gotType)
		case wantKey != "" && gotKey != wantKey:
			problems.Addf(p.KmsKeyArnPath, "ECR cannot change the KMS key of an existing repository: "+
				"%q is encrypted with %s, the arguments ask for %s. Keep the key, or set allowReplace: true to delete the repository "+
				"and create it again (its images are lost)", p.Name, gotKey, wantKey)
		}
		if err := problems.Err(r.subject); err != nil {
			return "", err
		}
		return p.Name, nil
	}
	// One apply over the repository's own output carries the dependency on
	// it; a key that is an output joins it.
	if p.KmsKeyArn != nil && !p.KmsKeyArn.IsKnown() {
		return pulumi.All(repo.EncryptionConfigurations, r.in.input(*p.KmsKeyArn)).ApplyT(func(v []any) (string, error) {
			actual, _ := v[0].([]ecr.RepositoryEncryptionConfiguration)
			return check(actual, v[1].(string))
		}).(pulumi.StringOutput)
	}
	wantKey := ""
	if p.KmsKeyArn != nil {
		wantKey = p.KmsKeyArn.Value
	}
	return repo.EncryptionConfigurations.ApplyT(func(actual []ecr.RepositoryEncryptionConfiguration) (string, error) {
		return check(actual, wantKey)
	}).(pulumi.StringOutput)
}

// actualEncryption is the encryption type and KMS key (empty for AES256) an
// existing repository reports; a repository that reports none uses AES256.
func actualEncryption(actual []ecr.RepositoryEncryptionConfiguration) (typ, key string) {
	typ = string(EncryptionTypeAES256)
	if len(actual) > 0 {
		if actual[0].EncryptionType != nil {
			typ = *actual[0].EncryptionType
		}
		if actual[0].KmsKey != nil {
			key = *actual[0].KmsKey
		}
	}
	return typ, key
}
