"""Proves the Python SDK works through the real Pulumi engine: an Automation
API inline program, a local file backend, the provider binary and the aws test
double. The full scenario runs once, in Go (tests/e2e_go_test.go); this covers
up, the outputs a consumer reads (`repositories` objects, typed policy
statements naming a role made in the same program), the functions, a no-change
preview, one in-place update and destroy."""
import json

import pulumi
import pulumi.automation as auto
import pulumi_ecrrepos as ecrrepos

from fakeaws import REGION, load_testdata, new_stack

PREVIEW = load_testdata("lifecycle-preview.json")


def url(name: str) -> str:
    return f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}"


def arn(name: str) -> str:
    return f"arn:aws:ecr:us-east-1:123456789012:repository/{name}"


class Role(pulumi.CustomResource):
    """An aws.iam.Role without the pulumi-aws Python package, which these
    tests do not otherwise need."""

    arn: pulumi.Output[str]

    def __init__(self, name: str, assume_role_policy: str):
        super().__init__("aws:iam/role:Role", name, {"assumeRolePolicy": assume_role_policy, "arn": None})


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def program(scan_on_push: bool):
    def run():
        ci = Role("ci", json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}],
        }))
        registry = ecrrepos.Registry(
            "main",
            tags={"owner": "platform"},
            repositories={
                "team/api": ecrrepos.RepositoryArgs(
                    scan_on_push=scan_on_push,
                    access=ecrrepos.AccessArgs(policy_statements=[
                        # The role's ARN is unknown until it exists: checked when it resolves.
                        ecrrepos.PolicyStatementArgs(
                            sid="CiPull",
                            principals=ecrrepos.PolicyPrincipalsArgs(aws=[ci.arn]),
                            actions=["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
                        ),
                        ecrrepos.PolicyStatementArgs(
                            sid="OrgList",
                            principals=ecrrepos.PolicyPrincipalsArgs(aws=["*"]),
                            actions=["ecr:ListImages"],
                            conditions=[ecrrepos.PolicyConditionArgs(test="StringEquals", variable="aws:PrincipalOrgID", values=["o-a1b2c3d4e5"])],
                        ),
                    ]),
                ),
                "team/web": ecrrepos.RepositoryArgs(),
            },
        )
        pulumi.export("ciRoleArn", ci.arn)
        pulumi.export("repositories", registry.repositories)
        pulumi.export("repositoryUrls", registry.repository_urls)
        pulumi.export("registryId", registry.registry_id)
        pulumi.export("pullPolicyJson", registry.pull_policy_json)
        grant = ecrrepos.identity_policy_output(
            repository_arns=registry.repositories.apply(lambda rs: [r.arn for r in rs.values()]),
            access=ecrrepos.GrantAccess.PULL,
        )
        pulumi.export("grantActions", grant.actions)
        pulumi.export("grantDocuments", grant.documents)
        image = ecrrepos.image_uri_output(repository_url=registry.repositories.apply(lambda rs: rs["team/api"].url), tag="v1.2.3")
        pulumi.export("imageUri", image.uri)
        images = [ecrrepos.LifecycleImage(digest=i["digest"], tags=i.get("tags"), pushed_at=i["pushedAt"]) for i in PREVIEW["images"]]
        simulated = ecrrepos.preview_lifecycle_policy(policy=json.dumps(PREVIEW["policy"]), images=images, now=PREVIEW["now"])
        pulumi.export("expired", [f"{e.digest}@{e.rule_priority}" for e in simulated.expired])
        pulumi.export("retained", simulated.retained)

    return run


def test_python_sdk_end_to_end(tmp_path):
    stack, world, _ = new_stack(tmp_path, "ecrrepos-e2e-py", program(True))

    # up: the outputs, the repositories in AWS and the function invokes.
    up = stack.up()
    assert up.outputs["repositoryUrls"].value == {"team/api": url("team/api"), "team/web": url("team/web")}
    assert up.outputs["registryId"].value == "123456789012"
    assert sorted(world.repositories(REGION)) == ["team/api", "team/web"]
    assert world.repositories(REGION)["team/api"]["imageScanningConfiguration"]["scanOnPush"] is True
    assert up.outputs["expired"].value == PREVIEW["expired"]
    assert up.outputs["retained"].value == PREVIEW["retained"]

    # `repositories`: one object per repository, the policies as applied.
    # (A Python program exports output objects with Python's property names.)
    repositories = up.outputs["repositories"].value
    api = repositories["team/api"]
    assert {k: api[k] for k in ("name", "arn", "url", "registry_id")} == {
        "name": "team/api", "arn": arn("team/api"), "url": url("team/api"), "registry_id": "123456789012",
    }
    held = world.repositories(REGION)["team/api"]
    assert json.loads(api["repository_policy"]) == json.loads(held["repositoryPolicy"]), "the policy AWS holds"
    assert json.loads(api["lifecycle_policy"]) == json.loads(held["lifecyclePolicy"])
    assert repositories["team/web"]["repository_policy"] == "", "no access settings: no repository policy"

    # The typed statements, in the policy AWS holds.
    statements = {s["Sid"]: s for s in json.loads(api["repository_policy"])["Statement"]}
    assert statements["CiPull"]["Principal"] == {"AWS": up.outputs["ciRoleArn"].value}
    assert statements["CiPull"]["Action"] == ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    assert statements["CiPull"]["Effect"] == "Allow"
    assert statements["OrgList"]["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}

    # The functions: an identity policy over exactly these repositories, an image reference.
    actions = up.outputs["grantActions"].value
    assert len(up.outputs["grantDocuments"].value) == 1
    grant = json.loads(up.outputs["grantDocuments"].value[0])
    on_repositories = next(s for s in grant["Statement"] if s["Resource"] != "*")
    assert sorted(as_list(on_repositories["Resource"])) == [arn("team/api"), arn("team/web")]
    assert sorted(as_list(on_repositories["Action"])) == sorted(actions)
    assert "ecr:BatchGetImage" in actions and "ecr:PutImage" not in actions
    assert json.loads(up.outputs["pullPolicyJson"].value) == grant, "the Registry's own pull policy is the same grant"
    assert up.outputs["imageUri"].value == url("team/api") + ":v1.2.3"

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
    assert world.roles() == []
