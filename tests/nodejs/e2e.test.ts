// Proves the TypeScript SDK works through the real Pulumi engine: an
// Automation API inline program, a local file backend, the provider binary
// and the aws test double. The full scenario runs once, in Go
// (tests/e2e_go_test.go); this covers up, the outputs a consumer reads
// (`repositories` objects, typed policy statements naming a role made in the
// same program), the functions, a no-change preview, one in-place update and
// destroy.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as ecrrepos from "pulumi-ecrrepos";
import { newStack, region, testdata } from "./fakeaws";

const preview = testdata("lifecycle-preview.json");
const url = (name: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}`;
const arn = (name: string) => `arn:aws:ecr:us-east-1:123456789012:repository/${name}`;

function program(scanOnPush: boolean) {
    return async () => {
        const ci = new aws.iam.Role("ci", {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        });
        const registry = new ecrrepos.Registry("main", {
            tags: { owner: "platform" },
            repositories: {
                "team/api": {
                    scanOnPush,
                    access: {
                        policyStatements: [
                            // The role's ARN is unknown until it exists: checked when it resolves.
                            { sid: "CiPull", principals: { aws: [ci.arn] }, actions: ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"] },
                            {
                                sid: "OrgList",
                                principals: { aws: ["*"] },
                                actions: ["ecr:ListImages"],
                                conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-a1b2c3d4e5"] }],
                            },
                        ],
                    },
                },
                "team/web": {},
            },
        });
        const simulated = await ecrrepos.previewLifecyclePolicy({
            policy: JSON.stringify(preview.policy), images: preview.images, now: preview.now,
        });
        const grant = ecrrepos.identityPolicyOutput({
            repositoryArns: registry.repositories.apply((rs) => Object.values(rs).map((r) => r.arn)),
            access: ecrrepos.GrantAccess.Pull,
        });
        const image = ecrrepos.imageUriOutput({ repositoryUrl: registry.repositories.apply((rs) => rs["team/api"].url), tag: "v1.2.3" });
        return {
            ciRoleArn: ci.arn,
            repositories: registry.repositories,
            repositoryUrls: registry.repositoryUrls,
            registryId: registry.registryId,
            pullPolicyJson: registry.pullPolicyJson,
            grantActions: grant.actions,
            grantDocuments: grant.documents,
            imageUri: image.uri,
            expired: simulated.expired.map((e) => `${e.digest}@${e.rulePriority}`),
            retained: simulated.retained,
        };
    };
}

test("the TypeScript SDK end to end", { timeout: 300_000 }, async () => {
    const { stack, world } = await newStack("ecrrepos-e2e-ts", program(true));

    // up: the outputs, the repositories in AWS and the function invokes.
    const up = await stack.up();
    assert.deepEqual(up.outputs.repositoryUrls.value, { "team/api": url("team/api"), "team/web": url("team/web") });
    assert.equal(up.outputs.registryId.value, "123456789012");
    assert.deepEqual(Object.keys(world.repositories(region)).sort(), ["team/api", "team/web"]);
    assert.equal(world.repositories(region)["team/api"].imageScanningConfiguration.scanOnPush, true);
    assert.deepEqual(up.outputs.expired.value, preview.expired);
    assert.deepEqual(up.outputs.retained.value, preview.retained);

    // `repositories`: one object per repository, the policies as applied.
    const repositories = up.outputs.repositories.value;
    const api = repositories["team/api"];
    assert.deepEqual(
        { name: api.name, arn: api.arn, url: api.url, registryId: api.registryId },
        { name: "team/api", arn: arn("team/api"), url: url("team/api"), registryId: "123456789012" },
    );
    const held = world.repositories(region)["team/api"];
    assert.deepEqual(JSON.parse(api.repositoryPolicy), JSON.parse(held.repositoryPolicy!), "the policy AWS holds");
    assert.deepEqual(JSON.parse(api.lifecyclePolicy), JSON.parse(held.lifecyclePolicy!));
    assert.equal(repositories["team/web"].repositoryPolicy, "", "no access settings: no repository policy");

    // The typed statements, in the policy AWS holds.
    const statements = Object.fromEntries(JSON.parse(api.repositoryPolicy).Statement.map((s: any) => [s.Sid, s]));
    assert.deepEqual(statements.CiPull.Principal, { AWS: up.outputs.ciRoleArn.value });
    assert.deepEqual(statements.CiPull.Action, ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]);
    assert.equal(statements.CiPull.Effect, "Allow");
    assert.deepEqual(statements.OrgList.Condition, { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } });

    // The functions: an identity policy over exactly these repositories, an image reference.
    assert.equal(up.outputs.grantDocuments.value.length, 1);
    const grant = JSON.parse(up.outputs.grantDocuments.value[0]);
    const onRepositories = grant.Statement.find((s: any) => s.Resource !== "*");
    assert.deepEqual([].concat(onRepositories.Resource).sort(), [arn("team/api"), arn("team/web")]);
    assert.deepEqual([].concat(onRepositories.Action).sort(), [...up.outputs.grantActions.value].sort());
    assert.ok(up.outputs.grantActions.value.includes("ecr:BatchGetImage"));
    assert.ok(!up.outputs.grantActions.value.includes("ecr:PutImage"), "pull grants no push action");
    assert.deepEqual(JSON.parse(up.outputs.pullPolicyJson.value), grant, "the Registry's own pull policy is the same grant");
    assert.equal(up.outputs.imageUri.value, `${url("team/api")}:v1.2.3`);

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
    assert.deepEqual(world.roles(), []);
});
