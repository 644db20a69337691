"""End to end through the real Pulumi engine from Python: an Automation API
inline program using the generated SDK, a local file backend, the provider
binary and the aws test double."""
import json

import pulumi
import pulumi.automation as auto
import pulumi_ecrrepos as ecrrepos

from fakeaws import AwsWorld, locate_build


class ProjectWithPlugins(auto.ProjectSettings):
    """ProjectSettings plus `plugins`, which Pulumi.yaml supports but the SDK class lacks."""

    def __init__(self, name: str, providers: list):
        super().__init__(name=name, runtime="python")
        self.providers = providers

    def to_dict(self):
        settings = super().to_dict()
        settings["plugins"] = {"providers": self.providers}
        return settings


CI_ROLE_TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)


# The lifecycle preview every language's program asks the provider for: rule 1
# keeps the newest release, rule 2 keeps the newest two images overall but may
# not expire releases rule 1 selected.
PREVIEW_POLICY = json.dumps(
    {
        "rules": [
            {
                "rulePriority": 1,
                "selection": {"tagStatus": "tagged", "tagPrefixList": ["release"], "countType": "imageCountMoreThan", "countNumber": 1},
                "action": {"type": "expire"},
            },
            {
                "rulePriority": 2,
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 2},
                "action": {"type": "expire"},
            },
        ]
    }
)
PREVIEW_IMAGES = [
    ecrrepos.LifecycleImage(digest="release-new", tags=["release-2"], pushed_at="2024-05-31T00:00:00Z"),
    ecrrepos.LifecycleImage(digest="release-old", tags=["release-1"], pushed_at="2024-05-22T00:00:00Z"),
    ecrrepos.LifecycleImage(digest="dev-new", tags=["dev-3"], pushed_at="2024-05-30T00:00:00Z"),
    ecrrepos.LifecycleImage(digest="dev-old", tags=["dev-1"], pushed_at="2024-05-12T00:00:00Z"),
    ecrrepos.LifecycleImage(digest="untagged", pushed_at="2024-05-02T00:00:00Z"),
]


def program(spec: dict):
    def run():
        # A role created in the same program (registered by token, without
        # pulumi_aws): its ARN is unknown until the role exists.
        role = pulumi.CustomResource(
            "aws:iam/role:Role", "ci", {"name": "ci-puller", "assumeRolePolicy": CI_ROLE_TRUST, "arn": None}
        )
        repositories = {
            "team/api": ecrrepos.RepositoryArgs(
                scan_on_push=spec["api_scan_on_push"],
                tags=spec["api_tags"],
                access=ecrrepos.AccessArgs(
                    pull_principal_arns=[role.arn],
                    pull_account_ids=spec["api_pull_accounts"],
                    push_account_ids=["210987654321"],
                ),
                lifecycle=spec.get("api_lifecycle"),
            ),
            # A secret tag value must reach AWS and stay secret in state.
            "team/web": ecrrepos.RepositoryArgs(tags={"owner": pulumi.Output.secret("web-team")}),
        }
        if spec["with_tools"]:
            repositories["tools/ci"] = ecrrepos.RepositoryArgs(image_tag_mutability=ecrrepos.ImageTagMutability.MUTABLE)
        registry = ecrrepos.Registry(
            "main",
            tags={"owner": "platform"},
            defaults=ecrrepos.RepositoryArgs(tags={"env": "test"}),
            repositories=repositories,
        )
        pulumi.export("repositoryUrls", registry.repository_urls)
        pulumi.export("repositoryArns", registry.repository_arns)
        pulumi.export("registryUrl", registry.registry_url)
        pulumi.export("registryId", registry.registry_id)
        pulumi.export("repositoryPolicies", registry.repository_policies)
        pulumi.export("pullPolicyJson", registry.pull_policy_json)
        pulumi.export("lifecyclePolicies", registry.lifecycle_policies)
        # The offline lifecycle simulator, invoked through the engine.
        preview = ecrrepos.preview_lifecycle_policy(
            policy=PREVIEW_POLICY, images=PREVIEW_IMAGES, now="2024-06-01T00:00:00Z"
        )
        pulumi.export("previewExpired", [f"{e.digest}@{e.rule_priority}" for e in preview.expired])
        pulumi.export("previewRetained", preview.retained)

    return run


def test_registry_end_to_end(tmp_path):
    build = locate_build()
    world = AwsWorld(tmp_path / "world")
    world.dir.mkdir()
    (tmp_path / "backend").mkdir()
    spec = {"api_scan_on_push": True, "api_tags": {"team": "api"}, "api_pull_accounts": [], "with_tools": True}
    project = ProjectWithPlugins(
        "ecrrepos-e2e-py",
        [{"name": "ecrrepos", "path": build["provider_dir"]}, {"name": "aws", "path": build["fakeaws_dir"]}],
    )
    stack = auto.create_or_select_stack(
        "dev",
        project_name="ecrrepos-e2e-py",
        program=program(spec),
        opts=auto.LocalWorkspaceOptions(
            pulumi_command=auto.PulumiCommand(root=build["cli_root"], skip_version_check=True),
            pulumi_home=str(tmp_path / "home"),
            project_settings=project,
            env_vars={
                "PULUMI_BACKEND_URL": "file://" + str(tmp_path / "backend"),
                "PULUMI_CONFIG_PASSPHRASE": "e2e-passphrase",
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "FAKEAWS_STATE_DIR": str(world.dir),
                "AWS_REGION": "us-east-1",
            },
        ),
    )

    # up creates the repositories and the outputs.
    up = stack.up()
    assert up.outputs["repositoryUrls"].value == {
        "team/api": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api",
        "team/web": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web",
        "tools/ci": "123456789012.dkr.ecr.us-east-1.amazonaws.com/tools/ci",
    }
    assert up.outputs["repositoryArns"].value["team/api"] == "arn:aws:ecr:us-east-1:123456789012:repository/team/api"
    assert up.outputs["registryUrl"].value == "123456789012.dkr.ecr.us-east-1.amazonaws.com"
    assert up.outputs["registryId"].value == "123456789012"
    repos = world.repositories()
    assert sorted(repos) == ["team/api", "team/web", "tools/ci"]
    assert repos["team/api"]["imageTagMutability"] == "IMMUTABLE"
    assert repos["tools/ci"]["imageTagMutability"] == "MUTABLE"
    assert repos["team/api"]["tags"] == {"owner": "platform", "env": "test", "team": "api"}
    assert repos["team/web"]["tags"] == {"owner": "web-team", "env": "test"}

    # The role's ARN reached the repository policy, applied after the role existed.
    assert list(up.outputs["repositoryPolicies"].value) == ["team/api"]
    applied = repos["team/api"]["repositoryPolicy"]
    assert json.loads(applied) == json.loads(up.outputs["repositoryPolicies"].value["team/api"])
    assert '"arn:aws:iam::123456789012:role/ci-puller"' in applied
    assert '"arn:aws:iam::210987654321:root"' in applied
    assert "repositoryPolicy" not in repos["team/web"]
    assert "ecr:GetAuthorizationToken" in up.outputs["pullPolicyJson"].value

    # Every repository got the default lifecycle policy, and the simulator
    # answered through the engine.
    lifecycles = up.outputs["lifecyclePolicies"].value
    assert sorted(lifecycles) == ["team/api", "team/web", "tools/ci"]
    assert json.loads(repos["team/web"]["lifecyclePolicy"]) == json.loads(lifecycles["team/web"])
    assert '"countNumber":14' in repos["team/web"]["lifecyclePolicy"]
    assert up.outputs["previewExpired"].value == ["untagged@2", "dev-old@2", "release-old@1"]
    assert up.outputs["previewRetained"].value == ["release-new", "dev-new"]

    # A second preview shows no changes.
    preview = stack.preview()
    assert set(preview.change_summary) == {auto.OpType.SAME}

    # Changing scanOnPush and tags updates the repository in place.
    mark = len(world.journal())
    spec.update(api_scan_on_push=False, api_tags={"team": "api", "tier": "gold"})
    stack.workspace.program = program(spec)
    stack.up()
    assert world.since(mark) == ["update aws:ecr/repository:Repository team/api"]
    assert world.repositories()["team/api"]["scanOnPush"] is False
    assert world.repositories()["team/api"]["tags"]["tier"] == "gold"

    # Changing an access list updates only the repository policy.
    mark = len(world.journal())
    spec.update(api_pull_accounts=["111111111111"])
    stack.workspace.program = program(spec)
    stack.up()
    assert world.since(mark) == ["update aws:ecr/repositoryPolicy:RepositoryPolicy team/api"]
    assert '"arn:aws:iam::111111111111:root"' in world.repositories()["team/api"]["repositoryPolicy"]

    # Changing lifecycle rules replaces only the LifecyclePolicy (deleting first,
    # as pulumi-aws declares it); the repository is untouched.
    mark = len(world.journal())
    spec.update(api_lifecycle=ecrrepos.LifecycleArgs(keep_latest=30, expire_untagged_after_days=7))
    stack.workspace.program = program(spec)
    lifecycle_up = stack.up()
    assert world.since(mark) == [
        "delete aws:ecr/lifecyclePolicy:LifecyclePolicy team/api",
        "create aws:ecr/lifecyclePolicy:LifecyclePolicy team/api",
    ]
    applied = world.repositories()["team/api"]["lifecyclePolicy"]
    assert json.loads(applied) == json.loads(lifecycle_up.outputs["lifecyclePolicies"].value["team/api"])
    assert '"countNumber":30' in applied

    # Removing one key deletes only that repository.
    mark = len(world.journal())
    spec.update(with_tools=False)
    stack.workspace.program = program(spec)
    stack.up()
    assert world.since(mark) == [
        "delete aws:ecr/lifecyclePolicy:LifecyclePolicy tools/ci",
        "delete aws:ecr/repository:Repository tools/ci",
    ]
    assert sorted(world.repositories()) == ["team/api", "team/web"]

    # destroy leaves nothing.
    stack.destroy()
    assert world.repositories() == {}
    assert world.roles() == []
    assert "aws:ecr/repository:Repository" not in str(stack.export_stack().deployment)
