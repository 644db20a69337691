// An example Pulumi program: a platform team's ECR repositories as one Registry.
//
//   cd examples/typescript && npm install && pulumi stack init dev && pulumi config set aws:region eu-west-1 && pulumi up
import * as pulumi from "@pulumi/pulumi";
import * as ecrrepos from "pulumi-ecrrepos";

const config = new pulumi.Config();
// Optional: encrypt every repository with your own KMS key.
const kmsKeyArn = config.get("kmsKeyArn");
// Optional: let every account of your organization pull.
const organizationId = config.get("organizationId");

const registry = new ecrrepos.Registry("platform", {
    tags: { "managed-by": "pulumi", stack: pulumi.getStack() },
    defaults: {
        scanOnPush: true,
        tags: { team: "platform" },
        // Keep the newest 100 images, expire untagged ones after 14 days, and
        // never expire release images.
        lifecycle: { template: "production", protectTags: ["release-"] },
        ...(organizationId ? { access: { pullOrganizationIds: [organizationId] } } : {}),
        ...(kmsKeyArn ? { encryptionType: "KMS", kmsKeyArn } : {}),
    },
    repositories: {
        "platform/api": {},
        "platform/worker": { tags: { team: "jobs" } },
        // Build caches overwrite their tags, so this one stays mutable.
        "tools/build-cache": { imageTagMutability: "MUTABLE", forceDelete: true },
    },
});

export const registryUrl = registry.registryUrl;
export const repositoryUrls = registry.repositoryUrls;
export const pullPolicyJson = registry.pullPolicyJson;
