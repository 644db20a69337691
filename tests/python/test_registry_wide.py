"""The registry-wide settings through the Python SDK: up with replication,
the registry policy and a creation template, their outputs, destroy. The full
scenario runs in Go (tests/e2e_registry_wide_test.go)."""
import json

import pulumi
import pulumi.automation as auto
import pulumi_ecrrepos as ecrrepos

from fakeaws import REGION, new_stack


def program():
    registry = ecrrepos.Registry(
        "main",
        repositories={"team/api": ecrrepos.RepositoryArgs(), "team/web": ecrrepos.RepositoryArgs()},
        replication=ecrrepos.ReplicationArgs(regions=["us-west-2"]),
        registry_policy=ecrrepos.RegistryPolicyArgs(allow_replication_from=["111111111111"]),
        creation_templates=ecrrepos.CreationTemplatesArgs(
            templates={"ROOT": ecrrepos.CreationTemplateArgs(applied_for=[ecrrepos.TemplateAppliedFor.REPLICATION])},
        ),
    )
    pulumi.export("ownershipLocks", registry.ownership_locks)
    pulumi.export("registryPolicyJson", registry.registry_policy_json)
    pulumi.export("pullThroughCacheUrls", registry.pull_through_cache_urls)


def test_registry_wide_python(tmp_path):
    stack, world, _ = new_stack(tmp_path, "ecrrepos-e2e-py-wide", program)

    up = stack.up()
    assert up.outputs["ownershipLocks"].value == {
        "replication": "/ecrrepos/owner/us-east-1/replication",
        "registryPolicy": "/ecrrepos/owner/us-east-1/registry-policy",
    }
    assert up.outputs["pullThroughCacheUrls"].value == {}
    home = world.region(REGION)
    rules = home["replicationConfiguration"]["replicationConfiguration"]["rules"]
    assert [d["region"] for d in rules[0]["destinations"]] == ["us-west-2"]
    assert [f["filter"] for f in rules[0]["repositoryFilters"]] == ["team/api", "team/web"]
    policy = json.loads(home["registryPolicy"]["policy"])
    assert json.loads(up.outputs["registryPolicyJson"].value) == policy
    assert policy["Statement"][0]["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert home["repositoryCreationTemplates"]["ROOT"]["appliedFors"] == ["REPLICATION"]
    assert sorted(home["parameters"]) == ["/ecrrepos/owner/us-east-1/registry-policy", "/ecrrepos/owner/us-east-1/replication"]

    assert set(stack.preview().change_summary) == {auto.OpType.SAME}

    stack.destroy()
    after = world.region(REGION)
    assert after["replicationConfiguration"]["replicationConfiguration"]["rules"] == []
    assert "registryPolicy" not in after
    assert not after.get("repositoryCreationTemplates")
    assert not after.get("parameters")
