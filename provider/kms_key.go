package provider

import (
	"context"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/ecrrepos/pulumi-ecrrepos/internal/config"
	"github.com/ecrrepos/pulumi-ecrrepos/internal/validate"
)

// RegistryEncryptionArgs is RegistryArgs.encryption (schema type
// RegistryEncryption): encryption settings of the registry as a whole.
type RegistryEncryptionArgs struct {
	Kms *KmsKeyArgs `pulumi:"kms,optional"`
}

var _ infer.Annotated = (*RegistryEncryptionArgs)(nil)

// Annotate documents the registry's encryption settings.
func (e *RegistryEncryptionArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "RegistryEncryption")
	a.Describe(e, "Encryption settings of the registry as a whole.")
	a.Describe(&e.Kms, "A KMS key made for ECR, created with the registry. Repositories (and `defaults`) with `encryptionType: KMS` and no "+
		"`kmsKeyArn` are encrypted with it.")
}

// KmsKeyArgs is encryption.kms (schema type KmsKey): an aws.kms.Key and
// aws.kms.Alias made for the registry's repositories.
type KmsKeyArgs struct {
	Create               *bool                   `pulumi:"create,optional"`
	Alias                *string                 `pulumi:"alias,optional"`
	Description          *string                 `pulumi:"description,optional"`
	EnableKeyRotation    *bool                   `pulumi:"enableKeyRotation,optional"`
	RotationPeriodInDays *int                    `pulumi:"rotationPeriodInDays,optional"`
	DeletionWindowInDays *int                    `pulumi:"deletionWindowInDays,optional"`
	MultiRegion          *bool                   `pulumi:"multiRegion,optional"`
	Protect              *bool                   `pulumi:"protect,optional"`
	AdministratorArns    pulumi.StringArrayInput `pulumi:"administratorArns,optional"`
	UserArns             pulumi.StringArrayInput `pulumi:"userArns,optional"`
}

var _ infer.Annotated = (*KmsKeyArgs)(nil)

// Annotate documents the key's settings.
func (k *KmsKeyArgs) Annotate(a infer.Annotator) {
	a.SetToken("index", "KmsKey")
	a.Describe(k, "A customer managed KMS key for the registry's repositories, with an alias and a key policy made for ECR: "+
		"the account administers the key (it can never lock itself out) but uses it only through ECR (`kms:ViaService`, `kms:CallerAccount`). "+
		"Pullers, also in other accounts, need no KMS permission: ECR decrypts with the grants it creates on the key.")
	a.Describe(&k.Create, "Create the key (default `false`). The other fields are refused without it: the component configures only a key it creates.")
	a.Describe(&k.Alias, "The key's alias, `alias/…` (letters, digits, `/ _ - :`; not `alias/aws…`). Default `alias/ecr/<project>/<stack>/<registry>`. "+
		"Renaming replaces the alias, which protection refuses: set `protect: false` for that update.")
	a.Describe(&k.Description, "The key's description, at most 8,192 characters. Default: which Registry, project and stack it encrypts.")
	a.Describe(&k.EnableKeyRotation, "Rotate the key material automatically (default `true`, what checkov CKV_AWS_7 requires). "+
		"Rotation keeps the old material, so existing images stay readable.")
	a.Describe(&k.RotationPeriodInDays, "Days between automatic rotations, 90 to 2560 (default: KMS's, 365). Only with `enableKeyRotation`.")
	a.Describe(&k.DeletionWindowInDays, "Days KMS waits before deleting the key once it is scheduled for deletion, 7 to 30 (default 30). "+
		"A key pending deletion breaks every push and pull of the repositories it encrypts.")
	a.Describe(&k.MultiRegion, "Create a multi-Region primary key (default `false`). Changing it replaces the key.")
	a.Describe(&k.Protect, "Protect the key and its alias from deletion by Pulumi (default `true`): deleting the key would make every image "+
		"encrypted with it unreadable. Set `false` and run `up` once before a `destroy` or a change that replaces them.")
	a.Describe(&k.AdministratorArns, "IAM role or user ARNs that may administer the key (enable, disable, rotate, change its policy, schedule its deletion) "+
		"without using it. Accepts outputs; each must exist when the key is created.")
	a.Describe(&k.UserArns, "IAM role or user ARNs that may use the key directly, outside ECR (Encrypt, Decrypt, ReEncrypt, GenerateDataKey, DescribeKey). "+
		"Not needed to push or pull images. Accepts outputs.")
}

func (e *RegistryEncryptionArgs) toConfig(in *arguments) *config.Encryption {
	if e == nil {
		return nil
	}
	out := &config.Encryption{}
	if k := e.Kms; k != nil {
		out.Kms = &config.KmsKey{
			Create: k.Create, Alias: k.Alias, Description: k.Description, EnableKeyRotation: k.EnableKeyRotation,
			RotationPeriodInDays: k.RotationPeriodInDays, DeletionWindowInDays: k.DeletionWindowInDays,
			MultiRegion: k.MultiRegion, Protect: k.Protect,
			AdministratorArns: in.list(k.AdministratorArns), UserArns: in.list(k.UserArns),
		}
	}
	return out
}

// createdKey is the key the registry created, for the repositories that use it.
type createdKey struct {
	arn pulumi.StringOutput
}

func init() { beforeRepositories = append(beforeRepositories, registerKmsKey) }

// registerKmsKey registers the key and its alias, before the repositories
// that are encrypted with it.
func registerKmsKey(r *registration, plan *config.Plan, _ []*repository) error {
	k := plan.Kms
	if k == nil {
		return nil
	}
	// Protect (unless the user opts out): a deleted key, or one pending
	// deletion, makes every image encrypted with it unreadable. Opting out
	// passes nothing, so a Registry protected as a whole still protects it.
	var protect []pulumi.ResourceOption
	if k.Protect {
		protect = append(protect, pulumi.Protect(true))
	}
	opts := r.wideChildOptions(protect...)
	args := &kms.KeyArgs{
		Description:          pulumi.String(k.Description),
		EnableKeyRotation:    pulumi.Bool(k.EnableKeyRotation),
		DeletionWindowInDays: pulumi.Int(k.DeletionWindowInDays),
		MultiRegion:          pulumi.Bool(k.MultiRegion),
		Policy:               r.document(k.Policy, func(p *config.Plan) config.Document { return p.Kms.Policy }),
		Tags:                 r.wideChildTags(),
	}
	if k.RotationPeriodInDays > 0 {
		args.RotationPeriodInDays = pulumi.Int(k.RotationPeriodInDays)
	}
	key, err := kms.NewKey(r.ctx, r.childName("kms"), args, opts...)
	if err != nil {
		return err
	}
	alias, err := kms.NewAlias(r.ctx, r.childName("kms"), &kms.AliasArgs{
		Name:        pulumi.String(k.Alias),
		TargetKeyId: key.KeyId,
	}, opts...)
	if err != nil {
		return err
	}
	r.kms = &createdKey{arn: key.Arn}
	r.comp.KmsKeyArn = key.Arn
	r.comp.KmsKeyAlias = alias.Name
	return nil
}

// guardCreatedKey is guardEncryption (encryption.go) for a repository that
// uses the key the registry creates. An existing repository never moves to
// that key: its encryption inputs are ignored for diffing, and its actual
// key is compared with the created one. When the key is created in this very
// update (its ARN is not known yet), no existing repository can be encrypted
// with it, so a repository that already has a key is refused already in the
// preview, before the key exists; waiting for the ARN would let `up` create
// the key first and fail after.
func (r *registration) guardCreatedKey(p *config.RepositoryPlan, repo *ecr.Repository) pulumi.StringOutput {
	keyArn := r.kms.arn
	return pulumi.All(repo.Name, repo.EncryptionConfigurations).ApplyTWithContext(r.ctx.Context(), func(ctx context.Context, v []any) (string, error) {
		name := v[0].(string)
		actual, _ := v[1].([]ecr.RepositoryEncryptionConfiguration)
		gotType, gotKey := actualEncryption(actual)
		at := validate.Field(p.Path, "encryptionType")
		var problems validate.Problems
		if gotType != p.EncryptionType {
			problems.Addf(at, "ECR cannot change the encryption of an existing repository: "+
				"%q is encrypted with %s, the arguments ask for %s with the key encryption.kms creates. Keep %s, or set allowReplace: true to delete "+
				"the repository and create it again (its images are lost)", name, gotType, p.EncryptionType, gotType)
			return "", problems.Err(r.subject)
		}
		key, err := internals.UnsafeAwaitOutput(ctx, keyArn)
		if err != nil {
			return "", err
		}
		want, _ := key.Value.(string)
		switch {
		case !key.Known && gotKey != "":
			problems.Addf(at, "ECR cannot change the KMS key of an existing repository: %q is encrypted with %s, and the key encryption.kms "+
				"creates does not exist yet. Give the repository kmsKeyArn: %q to keep its key, or set allowReplace: true to delete the repository "+
				"and create it again with the new key (its images are lost)", name, gotKey, gotKey)
		case key.Known && gotKey != want:
			problems.Addf(at, "ECR cannot change the KMS key of an existing repository: %q is encrypted with %s, not with the key encryption.kms "+
				"creates (%s). Give the repository kmsKeyArn: %q to keep its key, or set allowReplace: true to delete the repository and create it "+
				"again (its images are lost)", name, gotKey, want, gotKey)
		}
		if err := problems.Err(r.subject); err != nil {
			return "", err
		}
		return name, nil
	}).(pulumi.StringOutput)
}
