"""Issue #12 from Python: a Registry with a KMS key made for ECR and an event
log encrypted with it, through the real engine and the aws test double: up,
the outputs, destroy. The full scenario runs in Go
(tests/e2e_kms_monitoring_test.go)."""

import pulumi
import pulumi_ecrrepos as ecrrepos

from fakeaws import REGION, new_stack


def program():
    registry = ecrrepos.Registry(
        "main",
        # protect=False lets this short scenario destroy the key.
        encryption=ecrrepos.RegistryEncryptionArgs(kms=ecrrepos.KmsKeyArgs(create=True, protect=False, deletion_window_in_days=7)),
        defaults=ecrrepos.RepositoryArgs(encryption_type=ecrrepos.EncryptionType.KMS),
        repositories={"team/api": ecrrepos.RepositoryArgs()},
        monitoring=ecrrepos.MonitoringArgs(event_log=ecrrepos.EventLogArgs(use_created_key=True, retention_in_days=30)),
    )
    pulumi.export("kmsKeyArn", registry.kms_key_arn)
    pulumi.export("kmsKeyAlias", registry.kms_key_alias)
    pulumi.export("eventLogGroupName", registry.event_log_group_name)
    pulumi.export("alertTopicArn", registry.alert_topic_arn)
    pulumi.export("dashboardUrl", registry.dashboard_url)
    pulumi.export("alarmArns", registry.alarm_arns)


def test_kms_key_and_event_log_from_python(tmp_path):
    stack, world, _ = new_stack(tmp_path, "ecrrepos-e2e-py-kms", program)

    up = stack.up()
    key_arn = up.outputs["kmsKeyArn"].value
    assert key_arn.startswith("arn:aws:kms:us-east-1:123456789012:key/")
    assert up.outputs["kmsKeyAlias"].value == "alias/ecr/ecrrepos-e2e-py-kms/dev/main"
    assert up.outputs["eventLogGroupName"].value == "/aws/events/ecr/ecrrepos-e2e-py-kms/dev/main"
    assert up.outputs["alertTopicArn"].value == ""
    assert up.outputs["dashboardUrl"].value == ""
    assert up.outputs["alarmArns"].value == {}

    aws = world.region(REGION)
    assert aws["repositories"]["team/api"]["encryptionConfigurations"][0] == {"encryptionType": "KMS", "kmsKey": key_arn}
    group = aws["logGroups"]["/aws/events/ecr/ecrrepos-e2e-py-kms/dev/main"]
    assert group["retentionInDays"] == 30
    assert group["kmsKeyId"] == key_arn

    stack.destroy()
    after = world.region(REGION)
    assert after.get("repositories", {}) == {}
    assert after.get("logGroups", {}) == {}
    assert all(k["keyState"] == "PendingDeletion" for k in after.get("keys", {}).values())
