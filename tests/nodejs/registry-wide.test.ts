// The registry-wide settings through the TypeScript SDK: up with a
// credentialed pull through cache rule and scanning, their outputs, the token
// kept secret, destroy. The full scenario runs in Go
// (tests/e2e_registry_wide_test.go).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as ecrrepos from "pulumi-ecrrepos";
import { newStack, region } from "./fakeaws";

const token = "ghp_ts-e2e-NEVER-IN-PLAIN-TEXT";

test("registry-wide settings through the TypeScript SDK", { timeout: 300_000 }, async () => {
    const program = async () => {
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
    };
    const { stack, world, backend } = await newStack("ecrrepos-e2e-ts-wide", program);

    const up = await stack.up();
    assert.deepEqual(up.outputs.pullThroughCacheUrls.value, {
        "ecr-public": "123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public",
        gh: "123456789012.dkr.ecr.us-east-1.amazonaws.com/gh",
    });
    assert.deepEqual(up.outputs.ownershipLocks.value, { scanning: "/ecrrepos/owner/us-east-1/scanning" });
    assert.equal(up.outputs.registryPolicyJson.value, "");
    const home = world.region(region);
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
    const after = world.region(region);
    assert.deepEqual(after.pullThroughCacheRules ?? {}, {});
    assert.equal(after.registryScanningConfiguration.scanType, "BASIC");
    assert.deepEqual(after.registryScanningConfiguration.rules, []);
    assert.deepEqual(after.parameters ?? {}, {});
});
