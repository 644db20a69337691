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
    withTools: boolean;
}

function program(spec: Spec) {
    return async () => {
        const repositories: Record<string, ecrrepos.types.input.RepositoryArgs> = {
            "team/api": { scanOnPush: spec.apiScanOnPush, tags: spec.apiTags },
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
        };
    };
}

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ecrrepos-ts-${name}-`));

test("Registry end to end from TypeScript", { timeout: 300_000 }, async () => {
    const build = locateBuild();
    const world = new AwsWorld(tmp("world"));
    const spec: Spec = { apiScanOnPush: true, apiTags: { team: "api" }, withTools: true };
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

    // Removing one key deletes only that repository.
    mark = world.journal().length;
    spec.withTools = false;
    stack.workspace.program = program(spec);
    await stack.up();
    assert.deepEqual(world.since(mark), ["delete aws:ecr/repository:Repository tools/ci"]);
    assert.deepEqual(Object.keys(world.repositories()).sort(), ["team/api", "team/web"]);

    // destroy leaves nothing.
    await stack.destroy();
    assert.deepEqual(world.repositories(), {});
    const deployment = await stack.exportStack();
    assert.ok(!JSON.stringify(deployment.deployment).includes("aws:ecr/repository:Repository"));
});
