// Proves the TypeScript SDK works through the real Pulumi engine: an
// Automation API inline program, a local file backend, the provider binary
// and the aws test double. The full scenario runs once, in Go
// (tests/e2e_go_test.go); this covers up, outputs, the function invoke, a
// no-change preview, one in-place update and destroy.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import * as ecrrepos from "pulumi-ecrrepos";
import { AwsWorld, locateBuild, testdata } from "./fakeaws";

const region = "us-east-1";
const preview = testdata("lifecycle-preview.json");

function program(scanOnPush: boolean) {
    return async () => {
        const registry = new ecrrepos.Registry("main", {
            tags: { owner: "platform" },
            repositories: { "team/api": { scanOnPush }, "team/web": {} },
        });
        const simulated = await ecrrepos.previewLifecyclePolicy({
            policy: JSON.stringify(preview.policy), images: preview.images, now: preview.now,
        });
        return {
            repositoryUrls: registry.repositoryUrls,
            registryId: registry.registryId,
            expired: simulated.expired.map((e) => `${e.digest}@${e.rulePriority}`),
            retained: simulated.retained,
        };
    };
}

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ecrrepos-ts-${name}-`));

test("the TypeScript SDK end to end", { timeout: 300_000 }, async () => {
    const build = locateBuild();
    const world = new AwsWorld(tmp("world"));
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "dev", projectName: "ecrrepos-e2e-ts", program: program(true) },
        {
            pulumiCommand: await PulumiCommand.get({ root: build.cliRoot, skipVersionCheck: true }),
            pulumiHome: tmp("home"),
            projectSettings: {
                name: "ecrrepos-e2e-ts",
                runtime: "nodejs",
                plugins: { providers: [{ name: "ecrrepos", path: build.providerDir }, { name: "aws", path: build.fakeAwsDir }] },
            } as any, // `plugins` is valid in Pulumi.yaml but missing from the SDK's type
            envVars: {
                PULUMI_BACKEND_URL: "file://" + tmp("backend"),
                PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                FAKEAWS_STATE_DIR: world.dir,
                AWS_REGION: region,
            },
        },
    );

    // up: the outputs, the repositories in AWS and the function invoke.
    const up = await stack.up();
    assert.deepEqual(up.outputs.repositoryUrls.value, {
        "team/api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api",
        "team/web": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web",
    });
    assert.equal(up.outputs.registryId.value, "123456789012");
    assert.deepEqual(Object.keys(world.repositories(region)).sort(), ["team/api", "team/web"]);
    assert.equal(world.repositories(region)["team/api"].imageScanningConfiguration.scanOnPush, true);
    assert.deepEqual(up.outputs.expired.value, preview.expired);
    assert.deepEqual(up.outputs.retained.value, preview.retained);

    // A second preview shows no changes.
    assert.deepEqual(Object.keys((await stack.preview()).changeSummary), ["same"]);

    // One in-place update.
    const mark = world.journal().length;
    stack.workspace.program = program(false);
    await stack.up();
    assert.deepEqual(world.journal().slice(mark), ["update aws:ecr/repository:Repository team/api"]);
    assert.equal(world.repositories(region)["team/api"].imageScanningConfiguration.scanOnPush, false);

    // destroy leaves nothing.
    await stack.destroy();
    assert.deepEqual(world.repositories(region), {});
});
