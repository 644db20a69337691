"""Issue #12 from Python: a Registry with a KMS key made for ECR and an event
log encrypted with it, through the real engine and the aws test double: up,
the outputs, destroy. The full scenario runs in Go
(tests/e2e_kms_monitoring_test.go)."""
import json

import pulumi
import pulumi.automation as auto
import pulumi_ecrrepos as ecrrepos

from fakeaws import AwsWorld, locate_build
from test_e2e import ProjectWithPlugins

REGION = "us-east-1"


def region_of(world: AwsWorld) -> dict:
    """The test double's account in one region (world.json)."""
    path = world.dir / "world.json"
    return json.loads(path.read_text()).get("regions", {}).get(REGION, {}) if path.exists() else {}


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
    build = locate_build()
    world = AwsWorld(tmp_path / "world")
    world.dir.mkdir()
    (tmp_path / "backend").mkdir()
    project = ProjectWithPlugins(
        "ecrrepos-e2e-py-kms",
        [{"name": "ecrrepos", "path": build["provider_dir"]}, {"name": "aws", "path": build["fakeaws_dir"]}],
    )
    stack = auto.create_or_select_stack(
        "dev",
        project_name="ecrrepos-e2e-py-kms",
        program=program,
        opts=auto.LocalWorkspaceOptions(
            pulumi_command=auto.PulumiCommand(root=build["cli_root"], skip_version_check=True),
            pulumi_home=str(tmp_path / "home"),
            project_settings=project,
            env_vars={
                "PULUMI_BACKEND_URL": "file://" + str(tmp_path / "backend"),
                "PULUMI_CONFIG_PASSPHRASE": "e2e-passphrase",
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "FAKEAWS_STATE_DIR": str(world.dir),
                "AWS_REGION": REGION,
            },
        ),
    )

    up = stack.up()
    key_arn = up.outputs["kmsKeyArn"].value
    assert key_arn.startswith("arn:aws:kms:us-east-1:123456789012:key/")
    assert up.outputs["kmsKeyAlias"].value == "alias/ecr/ecrrepos-e2e-py-kms/dev/main"
    assert up.outputs["eventLogGroupName"].value == "/aws/events/ecr/ecrrepos-e2e-py-kms/dev/main"
    assert up.outputs["alertTopicArn"].value == ""
    assert up.outputs["dashboardUrl"].value == ""
    assert up.outputs["alarmArns"].value == {}

    aws = region_of(world)
    assert aws["repositories"]["team/api"]["encryptionConfigurations"][0] == {"encryptionType": "KMS", "kmsKey": key_arn}
    group = aws["logGroups"]["/aws/events/ecr/ecrrepos-e2e-py-kms/dev/main"]
    assert group["retentionInDays"] == 30
    assert group["kmsKeyId"] == key_arn

    stack.destroy()
    after = region_of(world)
    assert after.get("repositories", {}) == {}
    assert after.get("logGroups", {}) == {}
    assert all(k["keyState"] == "PendingDeletion" for k in after.get("keys", {}).values())
