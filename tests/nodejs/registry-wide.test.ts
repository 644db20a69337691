// The registry-wide settings through the TypeScript SDK: up with a
// credentialed pull through cache rule and scanning, their outputs, the token
// kept secret, destroy. The full scenario runs in Go
// (tests/e2e_registry_wide_test.go).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import * as ecrrepos from "pulumi-ecrrepos";
import { AwsWorld, locateBuild } from "./fakeaws";

const region = "us-east-1";
const token = "ghp_ts-e2e-NEVER-IN-PLAIN-TEXT";
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `ecrrepos-ts-wide-${name}-`));

/** The registry-wide settings of one Region of the fake account. */
function registryWide(world: AwsWorld, name: string): any {
    const file = path.join(world.dir, "world.json");
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")).regions?.[name] ?? {} : {};
}

test("registry-wide settings through the TypeScript SDK", { timeout: 300_000 }, async () => {
    const build = locateBuild();
    const world = new AwsWorld(tmp("world"));
    const backend = tmp("backend");
    const stack = await LocalWorkspace.createOrSelectStack(
        {
            stackName: "dev", projectName: "ecrrepos-e2e-ts-wide", program: async () => {
                const registry = new ecrrepos.Registry("main", {
                    repositories: { "team/api": {} },
                    pullThroughCache: {
                        rules: {
                            "ecr-public": { upstream: "ecr-public" },
                            gh: { upstream: "github", username: "octo-bot", accessToken: pulumi.secret(token) },
                        },
                    },
                    scanning: { rules: [{ frequency: ecrrepos.ScanFrequency.ScanOnPush, filters: ["*"] }] },
                });
                return {
                    pullThroughCacheUrls: registry.pullThroughCacheUrls,
                    ownershipLocks: registry.ownershipLocks,
                    registryPolicyJson: registry.registryPolicyJson,
                };
            },
        },
        {
            pulumiCommand: await PulumiCommand.get({ root: build.cliRoot, skipVersionCheck: true }),
            pulumiHome: tmp("home"),
            projectSettings: {
                name: "ecrrepos-e2e-ts-wide",
                runtime: "nodejs",
                plugins: { providers: [{ name: "ecrrepos", path: build.providerDir }, { name: "aws", path: build.fakeAwsDir }] },
            } as any, // `plugins` is valid in Pulumi.yaml but missing from the SDK's type
            envVars: {
                PULUMI_BACKEND_URL: "file://" + backend,
                PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
                PULUMI_SKIP_UPDATE_CHECK: "true",
                FAKEAWS_STATE_DIR: world.dir,
                AWS_REGION: region,
            },
        },
    );

    const up = await stack.up();
    assert.deepEqual(up.outputs.pullThroughCacheUrls.value, {
        "ecr-public": "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public",
        gh: "123456789012.dkr.ecr.us-east-1.amazonaws.com/gh",
    });
    assert.deepEqual(up.outputs.ownershipLocks.value, { scanning: "/ecrrepos/owner/us-east-1/scanning" });
    assert.equal(up.outputs.registryPolicyJson.value, "");
    const home = registryWide(world, region);
    assert.equal(home.pullThroughCacheRules.gh.upstreamRegistryUrl, "ghcr.io");
    const secret = Object.values<any>(home.secrets).find((s) => s.arn === home.pullThroughCacheRules.gh.credentialArn);
    assert.ok(secret.name.startsWith("ecr-pullthroughcache/gh-"), secret.name);
    assert.equal(home.registryScanningConfiguration.rules[0].scanFrequency, "SCAN_ON_PUSH");
    assert.ok(home.parameters["/ecrrepos/owner/us-east-1/scanning"]);

    // The state the backend stores never holds the token in plain text.
    const files: string[] = [];
    const walk = (dir: string) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) =>
        e.isDirectory() ? walk(path.join(dir, e.name)) : files.push(path.join(dir, e.name)));
    walk(backend);
    assert.ok(files.length > 0);
    for (const f of files) {
        assert.ok(!fs.readFileSync(f, "utf8").includes(token), f);
    }

    assert.deepEqual(Object.keys((await stack.preview()).changeSummary), ["same"]);

    await stack.destroy();
    const after = registryWide(world, region);
    assert.deepEqual(after.pullThroughCacheRules ?? {}, {});
    assert.equal(after.registryScanningConfiguration.scanType, "BASIC");
    assert.deepEqual(after.registryScanningConfiguration.rules, []);
    assert.deepEqual(after.parameters ?? {}, {});
});
