// Issue #12 from TypeScript: a Registry with a KMS key made for ECR and an
// event log encrypted with it, through the real engine and the aws test
// double: up, the outputs, destroy. The full scenario runs in Go
// (tests/e2e_kms_monitoring_test.go).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ecrrepos from "pulumi-ecrrepos";
import { newStack, region } from "./fakeaws";

test("a KMS key and an event log from TypeScript", { timeout: 300_000 }, async () => {
    const program = async () => {
        const registry = new ecrrepos.Registry("main", {
            // protect: false lets this short scenario destroy the key.
            encryption: { kms: { create: true, protect: false, deletionWindowInDays: 7 } },
            defaults: { encryptionType: ecrrepos.EncryptionType.KMS },
            repositories: { "team/api": {} },
            monitoring: { eventLog: { useCreatedKey: true, retentionInDays: 30 } },
        });
        return {
            kmsKeyArn: registry.kmsKeyArn,
            kmsKeyAlias: registry.kmsKeyAlias,
            eventLogGroupName: registry.eventLogGroupName,
            alertTopicArn: registry.alertTopicArn,
            dashboardUrl: registry.dashboardUrl,
            alarmArns: registry.alarmArns,
        };
    };
    const { stack, world } = await newStack("ecrrepos-e2e-ts-kms", program);

    const up = await stack.up();
    const keyArn: string = up.outputs.kmsKeyArn.value;
    assert.match(keyArn, /^arn:aws:kms:us-east-1:123456789012:key\//);
    assert.equal(up.outputs.kmsKeyAlias.value, "alias/ecr/ecrrepos-e2e-ts-kms/dev/main");
    assert.equal(up.outputs.eventLogGroupName.value, "/aws/events/ecr/ecrrepos-e2e-ts-kms/dev/main");
    assert.equal(up.outputs.alertTopicArn.value, "", "no alerts: an empty string, never missing");
    assert.equal(up.outputs.dashboardUrl.value, "");
    assert.deepEqual(up.outputs.alarmArns.value, {});

    const aws = world.region(region);
    assert.equal(world.repositories(region)["team/api"] !== undefined, true);
    assert.deepEqual((aws.repositories["team/api"].encryptionConfigurations ?? [])[0], { encryptionType: "KMS", kmsKey: keyArn });
    const group = aws.logGroups["/aws/events/ecr/ecrrepos-e2e-ts-kms/dev/main"];
    assert.equal(group.retentionInDays, 30);
    assert.equal(group.kmsKeyId, keyArn);
    assert.deepEqual(Object.keys(aws.eventRules).sort(), ["ecr-ecrrepos-e2e-ts-kms-dev-main-event-log-1", "ecr-ecrrepos-e2e-ts-kms-dev-main-event-log-2"]);

    await stack.destroy();
    const after = world.region(region);
    assert.deepEqual(after.repositories ?? {}, {});
    assert.deepEqual(after.logGroups ?? {}, {});
    assert.deepEqual(after.aliases ?? {}, {});
    for (const key of Object.values<any>(after.keys ?? {})) {
        assert.equal(key.keyState, "PendingDeletion");
    }
});
