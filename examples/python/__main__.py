"""An example Pulumi program: a platform team's ECR repositories as one Registry.

    cd examples/python && pulumi stack init dev && pulumi config set aws:region eu-west-1 && pulumi up
"""
import pulumi
import pulumi_ecrrepos as ecrrepos

config = pulumi.Config()
# Optional: encrypt every repository with your own KMS key.
kms_key_arn = config.get("kmsKeyArn")
# Optional: let every account of your organization pull.
organization_id = config.get("organizationId")
defaults = ecrrepos.RepositoryArgs(
    scan_on_push=True,
    tags={"team": "platform"},
    # Keep the newest 100 images, expire untagged ones after 14 days, and never
    # expire release images.
    lifecycle=ecrrepos.LifecycleArgs(template=ecrrepos.LifecycleTemplate.PRODUCTION, protect_tags=["release-"]),
    encryption_type=ecrrepos.EncryptionType.KMS if kms_key_arn else None,
    kms_key_arn=kms_key_arn,
    access=ecrrepos.AccessArgs(pull_organization_ids=[organization_id]) if organization_id else None,
)

registry = ecrrepos.Registry(
    "platform",
    tags={"managed-by": "pulumi", "stack": pulumi.get_stack()},
    defaults=defaults,
    repositories={
        "platform/api": ecrrepos.RepositoryArgs(),
        "platform/worker": ecrrepos.RepositoryArgs(tags={"team": "jobs"}),
        # Build caches overwrite their tags, so this one stays mutable.
        "tools/build-cache": ecrrepos.RepositoryArgs(
            image_tag_mutability=ecrrepos.ImageTagMutability.MUTABLE, force_delete=True
        ),
    },
)

pulumi.export("registryUrl", registry.registry_url)
pulumi.export("repositoryUrls", registry.repository_urls)
pulumi.export("pullPolicyJson", registry.pull_policy_json)
