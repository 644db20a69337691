// An example Pulumi program: a platform team's ECR repositories as one Registry.
//
//	cd examples/go && pulumi stack init dev && pulumi config set aws:region eu-west-1 && pulumi up
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/ecrrepos/pulumi-ecrrepos/sdk/go/ecrrepos"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		defaults := &ecrrepos.RepositoryArgs{
			ScanOnPush: pulumi.BoolRef(true),
			Tags:       pulumi.StringMap{"team": pulumi.String("platform")},
			// Keep the newest 100 images, expire untagged ones after 14 days,
			// and never expire release images.
			Lifecycle: &ecrrepos.LifecycleArgs{
				Template:    ref(ecrrepos.LifecycleTemplateProduction),
				ProtectTags: []string{"release-"},
			},
		}
		// Optional: let every account of your organization pull.
		if org := cfg.Get("organizationId"); org != "" {
			defaults.Access = &ecrrepos.AccessArgs{PullOrganizationIds: pulumi.StringArray{pulumi.String(org)}}
		}
		// Optional: encrypt every repository with your own KMS key.
		if key := cfg.Get("kmsKeyArn"); key != "" {
			defaults.EncryptionType = ref(ecrrepos.EncryptionTypeKMS)
			defaults.KmsKeyArn = pulumi.String(key)
		}
		registry, err := ecrrepos.NewRegistry(ctx, "platform", &ecrrepos.RegistryArgs{
			Tags:     pulumi.StringMap{"managed-by": pulumi.String("pulumi"), "stack": pulumi.String(ctx.Stack())},
			Defaults: defaults,
			Repositories: map[string]ecrrepos.RepositoryArgs{
				"platform/api":    {},
				"platform/worker": {Tags: pulumi.StringMap{"team": pulumi.String("jobs")}},
				// Build caches overwrite their tags, so this one stays mutable.
				"tools/build-cache": {ImageTagMutability: ref(ecrrepos.ImageTagMutabilityMutable), ForceDelete: pulumi.BoolRef(true)},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("registryUrl", registry.RegistryUrl)
		ctx.Export("repositoryUrls", registry.RepositoryUrls)
		ctx.Export("pullPolicyJson", registry.PullPolicyJson)
		return nil
	})
}

// ref points at a value: the Registry's plain settings are pointers, unset when nil.
func ref[T any](v T) *T { return &v }
