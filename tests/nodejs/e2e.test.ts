// End to end through the real Pulumi engine from TypeScript: an Automation API
// inline program using the generated SDK, a local file backend, the provider
// binary and the aws test double.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import * as ecrrepos from "pulumi-ecrrepos";
import { AwsWorld, locateBuild } from "./fakeaws";

interface Spec {
    apiScanOnPush: boolean;
    apiTags: Record<string, string>;
    apiPullAccounts: string[];
    apiLifecycle?: ecrrepos.types.input.LifecycleArgs;
    withTools: boolean;
}

// The lifecycle preview every language's program asks the provider for: rule 1
// keeps the newest release, rule 2 keeps the newest two images overall but may
// not expire releases rule 1 selected.
const previewPolicy = JSON.stringify({
    rules: [
        { rulePriority: 1, selection: { tagStatus: "tagged", tagPrefixList: ["release"], countType: "imageCountMoreThan", countNumber: 1 }, action: { type: "expire" } },
        { rulePriority: 2, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 2 }, action: { type: "expire" } },
    ],
});
const previewImages = [
    { digest: "release-new", tags: ["release-2"], pushedAt: "2024-05-31T00:00:00Z" },
    { digest: "release-old", tags: ["release-1"], pushedAt: "2024-05-22T00:00:00Z" },
    { digest: "dev-new", tags: ["dev-3"], pushedAt: "2024-05-30T00:00:00Z" },
    { digest: "dev-old", tags: ["dev-1"], pushedAt: "2024-05-12T00:00:00Z" },
    { digest: "untagged", pushedAt: "2024-05-02T00:00:00Z" },
];

const ciRoleTrust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/** An aws:iam/role:Role registered by token, so the test needs no @pulumi/aws. */
class Role extends pulumi.CustomResource {
    declare readonly arn: pulumi.Output<string>;
    constructor(name: string, args: { name: string; assumeRolePolicy: string }) {
        super("aws:iam/role:Role", name, { ...args, arn: undefined });
    }
}

function program(spec: Spec) {
    return async () => {
        // A role created in the same program (registered without @pulumi/aws):
        // its ARN is unknown until the role exists.
        const role = new Role("ci", { name: "ci-puller", assumeRolePolicy: ciRoleTrust });
        const repositories: Record<string, ecrrepos.types.input.RepositoryArgs> = {
            "team/api": {
                scanOnPush: spec.apiScanOnPush,
                tags: spec.apiTags,
                access: {
                    pullPrincipalArns: [role.arn],
                    pullAccountIds: spec.apiPullAccounts,
                    pushAccountIds: ["210987654321"],
                },
                lifecycle: spec.apiLifecycle,
            },
            // A secret tag value must reach AWS and stay secret in state.
            "team/web": { tags: { owner: pulumi.secret("web-team") } },
        };
        if (spec.withTools) {
            repositories["tools/ci"] = { imageTagMutability: "MUTABLE" };
        }
        const registry = new ecrrepos.Registry("main", {
            tags: { owner: "platform" },
            defaults: { tags: { env: "test" } },
            repositories,
        });
        return {
            repositoryUrls: registry.repositoryUrls,
            repositoryArns: registry.repositoryArns,
            registryUrl: registry.registryUrl,
            registryId: registry.registryId,
            repositoryPolicies: registry.repositoryPolicies,
            pullPolicyJson: registry.pullPolicyJson,
            lifecyclePolicies: registry.lifecyclePolicies,
            // The offline lifecycle simulator, invoked through the engine.
            preview: await ecrrepos.previewLifecyclePolicy({ policy: previewPolicy, images: previewImages, now: "2024-06-01T00:00:00Z" }),
        };
    };
}

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ecrrepos-ts-${name}-`));

test("Registry end to end from TypeScript", { timeout: 300_000 }, async () => {
    const build = locateBuild();
    const world = new AwsWorld(tmp("world"));
    const spec: Spec = { apiScanOnPush: true, apiTags: { team: "api" }, apiPullAccounts: [], withTools: true };
    const pulumiCommand = await PulumiCommand.get({ root: build.cliRoot, skipVersionCheck: true });
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "dev", projectName: "ecrrepos-e2e-ts", program: program(spec) },
        {
            pulumiCommand,
            pulumiHome: tmp("home"),
            projectSettings: {
                name: "ecrrepos-e2e-ts",
                runtime: "nodejs",
                plugins: {
                    providers: [
                        { name: "ecrrepos", path: build.providerDir },
                        { name: "aws", path: build.fakeAwsDir },
                    ],
                },
            } as any, // `plugins` is valid in Pulumi.yaml but missing from the SDK's type
            envVars: {
                PULUMI_BACKEND_URL: "file://" + tmp("backend"),
                PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                FAKEAWS_STATE_DIR: world.dir,
                AWS_REGION: "us-east-1",
            },
        },
    );

    // up creates the repositories and the outputs.
    const up = await stack.up();
    assert.deepEqual(up.outputs.repositoryUrls.value, {
        "team/api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api",
        "team/web": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web",
        "tools/ci": "123456789012.dkr.ecr.us-east-1.amazonaws.com/tools/ci",
    });
    assert.equal(up.outputs.repositoryArns.value["team/api"], "arn:aws:ecr:us-east-1:123456789012:repository/team/api");
    assert.equal(up.outputs.registryUrl.value, "123456789012.dkr.ecr.us-east-1.amazonaws.com");
    assert.equal(up.outputs.registryId.value, "123456789012");
    let repos = world.repositories();
    assert.deepEqual(Object.keys(repos).sort(), ["team/api", "team/web", "tools/ci"]);
    assert.equal(repos["team/api"].imageTagMutability, "IMMUTABLE");
    assert.equal(repos["tools/ci"].imageTagMutability, "MUTABLE");
    assert.deepEqual(repos["team/api"].tags, { owner: "platform", env: "test", team: "api" });
    assert.deepEqual(repos["team/web"].tags, { owner: "web-team", env: "test" });

    // The role's ARN reached the repository policy, applied after the role existed.
    assert.deepEqual(Object.keys(up.outputs.repositoryPolicies.value), ["team/api"]);
    const applied = repos["team/api"].repositoryPolicy ?? "";
    assert.deepEqual(JSON.parse(applied), JSON.parse(up.outputs.repositoryPolicies.value["team/api"]));
    assert.ok(applied.includes('"arn:aws:iam::123456789012:role/ci-puller"'), applied);
    assert.ok(applied.includes('"arn:aws:iam::210987654321:root"'), applied);
    assert.equal(repos["team/web"].repositoryPolicy, undefined);
    assert.ok(up.outputs.pullPolicyJson.value.includes("ecr:GetAuthorizationToken"));

    // Every repository got the default lifecycle policy, and the simulator
    // answered through the engine.
    assert.deepEqual(Object.keys(up.outputs.lifecyclePolicies.value).sort(), ["team/api", "team/web", "tools/ci"]);
    assert.deepEqual(JSON.parse(repos["team/web"].lifecyclePolicy ?? ""), JSON.parse(up.outputs.lifecyclePolicies.value["team/web"]));
    assert.ok(repos["team/web"].lifecyclePolicy?.includes('"countNumber":14'));
    const simulated = up.outputs.preview.value;
    assert.deepEqual(simulated.expired.map((e: { digest: string; rulePriority: number }) => `${e.digest}@${e.rulePriority}`), ["untagged@2", "dev-old@2", "release-old@1"]);
    assert.deepEqual(simulated.retained, ["release-new", "dev-new"]);

    // A second preview shows no changes.
    const preview = await stack.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"]);

    // Changing scanOnPush and tags updates the repository in place.
    let mark = world.journal().length;
    spec.apiScanOnPush = false;
    spec.apiTags = { team: "api", tier: "gold" };
    stack.workspace.program = program(spec);
    await stack.up();
    assert.deepEqual(world.since(mark), ["update aws:ecr/repository:Repository team/api"]);
    repos = world.repositories();
    assert.equal(repos["team/api"].scanOnPush, false);
    assert.equal(repos["team/api"].tags?.tier, "gold");

    // Changing an access list updates only the repository policy.
    mark = world.journal().length;
    spec.apiPullAccounts = ["111111111111"];
    stack.workspace.program = program(spec);
    await stack.up();
    assert.deepEqual(world.since(mark), ["update aws:ecr/repositoryPolicy:RepositoryPolicy team/api"]);
    assert.ok(world.repositories()["team/api"].repositoryPolicy?.includes('"arn:aws:iam::111111111111:root"'));

    // Changing lifecycle rules replaces only the LifecyclePolicy (deleting first,
    // as pulumi-aws declares it); the repository is untouched.
    mark = world.journal().length;
    spec.apiLifecycle = { keepLatest: 30, expireUntaggedAfterDays: 7 };
    stack.workspace.program = program(spec);
    const lifecycleUp = await stack.up();
    assert.deepEqual(world.since(mark), [
        "delete aws:ecr/lifecyclePolicy:LifecyclePolicy team/api",
        "create aws:ecr/lifecyclePolicy:LifecyclePolicy team/api",
    ]);
    const appliedLifecycle = world.repositories()["team/api"].lifecyclePolicy ?? "";
    assert.deepEqual(JSON.parse(appliedLifecycle), JSON.parse(lifecycleUp.outputs.lifecyclePolicies.value["team/api"]));
    assert.ok(appliedLifecycle.includes('"countNumber":30'), appliedLifecycle);

    // Removing one key deletes only that repository.
    mark = world.journal().length;
    spec.withTools = false;
    stack.workspace.program = program(spec);
    await stack.up();
    assert.deepEqual(world.since(mark), [
        "delete aws:ecr/lifecyclePolicy:LifecyclePolicy tools/ci",
        "delete aws:ecr/repository:Repository tools/ci",
    ]);
    assert.deepEqual(Object.keys(world.repositories()).sort(), ["team/api", "team/web"]);

    // destroy leaves nothing.
    await stack.destroy();
    assert.deepEqual(world.repositories(), {});
    assert.deepEqual(world.roles(), []);
    const deployment = await stack.exportStack();
    assert.ok(!JSON.stringify(deployment.deployment).includes("aws:ecr/repository:Repository"));
});
