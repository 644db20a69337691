package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// ECR fixes a repository's encryption when it is created: pulumi-aws applies
// a change by replacing the repository, which deletes it with all its images
// (or fails while it holds any). Unless a repository sets allowReplace, its
// encryption inputs are ignored for diffing (so no replacement is planned) and
// the encryption the repository really has is compared with the arguments;
// a mismatch fails the preview with a message naming the field.

// encryptionArgs is the encryption configuration the arguments ask for.
func encryptionArgs(r resolvedRepository) *ecr.RepositoryEncryptionConfigurationArgs {
	encryption := &ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String(string(r.encryptionType))}
	if r.kmsKeyArn != nil {
		encryption.KmsKey = r.kmsKeyArn
	}
	return encryption
}

// encryptionOptions are the repository's resource options for encryption.
func encryptionOptions(r resolvedRepository) []pulumi.ResourceOption {
	if r.allowReplace {
		return nil
	}
	return []pulumi.ResourceOption{pulumi.IgnoreChanges([]string{"encryptionConfigurations"})}
}

// guardEncryption returns the repository's name once its actual encryption is
// known to match the arguments; consumers of the name (the policies, the
// outputs) wait for it, so a mismatch stops them with the explanation.
func guardEncryption(r resolvedRepository, repo *ecr.Repository) pulumi.StringOutput {
	if r.allowReplace {
		return repo.Name
	}
	return pulumi.All(repo.Name, repo.EncryptionConfigurations, orEmptyText(r.kmsKeyArn)).ApplyT(func(v []any) (string, error) {
		name := v[0].(string)
		actual, _ := v[1].([]ecr.RepositoryEncryptionConfiguration)
		wantKey := v[2].(string)
		gotType, gotKey := string(EncryptionTypeAES256), ""
		if len(actual) > 0 {
			gotType = derefOr(actual[0].EncryptionType, gotType)
			gotKey = derefOr(actual[0].KmsKey, "")
		}
		var problems validate.Problems
		switch {
		case gotType != string(r.encryptionType):
			problems.Addf(validate.Field(r.path, "encryptionType"), "ECR cannot change the encryption of an existing repository: "+
				"%q is encrypted with %s, the arguments ask for %s. Keep %s, or set allowReplace: true to delete the repository "+
				"and create it again (its images are lost; with forceDelete: false the deletion fails while it holds images)",
				name, gotType, r.encryptionType, gotType)
		case wantKey != "" && gotKey != wantKey:
			problems.Addf(validate.Field(r.path, "kmsKeyArn"), "ECR cannot change the KMS key of an existing repository: "+
				"%q is encrypted with %s, the arguments ask for %s. Keep the key, or set allowReplace: true to delete the repository "+
				"and create it again (its images are lost)", name, gotKey, wantKey)
		}
		if err := problems.Err("Registry arguments"); err != nil {
			return "", err
		}
		return name, nil
	}).(pulumi.StringOutput)
}
