"""Proves the Python SDK works through the real Pulumi engine: an Automation
API inline program, a local file backend, the provider binary and the aws test
double. The full scenario runs once, in Go (tests/e2e_go_test.go); this covers
up, outputs, the function invoke, a no-change preview, one in-place update and
destroy."""
import json

import pulumi
import pulumi.automation as auto
import pulumi_ecrrepos as ecrrepos

from fakeaws import AwsWorld, load_testdata, locate_build

REGION = "us-east-1"
PREVIEW = load_testdata("lifecycle-preview.json")


class ProjectWithPlugins(auto.ProjectSettings):
    """ProjectSettings plus `plugins`, which Pulumi.yaml supports but the SDK class lacks."""

    def __init__(self, name: str, providers: list):
        super().__init__(name=name, runtime="python")
        self.providers = providers

    def to_dict(self):
        settings = super().to_dict()
        settings["plugins"] = {"providers": self.providers}
        return settings


def program(scan_on_push: bool):
    def run():
        registry = ecrrepos.Registry(
            "main",
            tags={"owner": "platform"},
            repositories={
                "team/api": ecrrepos.RepositoryArgs(scan_on_push=scan_on_push),
                "team/web": ecrrepos.RepositoryArgs(),
            },
        )
        pulumi.export("repositoryUrls", registry.repository_urls)
        pulumi.export("registryId", registry.registry_id)
        images = [ecrrepos.LifecycleImage(digest=i["digest"], tags=i.get("tags"), pushed_at=i["pushedAt"]) for i in PREVIEW["images"]]
        simulated = ecrrepos.preview_lifecycle_policy(policy=json.dumps(PREVIEW["policy"]), images=images, now=PREVIEW["now"])
        pulumi.export("expired", [f"{e.digest}@{e.rule_priority}" for e in simulated.expired])
        pulumi.export("retained", simulated.retained)

    return run


def test_python_sdk_end_to_end(tmp_path):
    build = locate_build()
    world = AwsWorld(tmp_path / "world")
    world.dir.mkdir()
    (tmp_path / "backend").mkdir()
    project = ProjectWithPlugins(
        "ecrrepos-e2e-py",
        [{"name": "ecrrepos", "path": build["provider_dir"]}, {"name": "aws", "path": build["fakeaws_dir"]}],
    )
    stack = auto.create_or_select_stack(
        "dev",
        project_name="ecrrepos-e2e-py",
        program=program(True),
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

    # up: the outputs, the repositories in AWS and the function invoke.
    up = stack.up()
    assert up.outputs["repositoryUrls"].value == {
        "team/api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api",
        "team/web": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web",
    }
    assert up.outputs["registryId"].value == "123456789012"
    assert sorted(world.repositories(REGION)) == ["team/api", "team/web"]
    assert world.repositories(REGION)["team/api"]["imageScanningConfiguration"]["scanOnPush"] is True
    assert up.outputs["expired"].value == PREVIEW["expired"]
    assert up.outputs["retained"].value == PREVIEW["retained"]

    # A second preview shows no changes.
    assert set(stack.preview().change_summary) == {auto.OpType.SAME}

    # One in-place update.
    mark = len(world.journal())
    stack.workspace.program = program(False)
    stack.up()
    assert world.journal()[mark:] == ["update aws:ecr/repository:Repository team/api"]
    assert world.repositories(REGION)["team/api"]["imageScanningConfiguration"]["scanOnPush"] is False

    # destroy leaves nothing.
    stack.destroy()
    assert world.repositories(REGION) == {}
