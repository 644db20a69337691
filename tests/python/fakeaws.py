"""Runs Python programs through the real Pulumi engine against the aws test
double (tests/fakeaws), and reads what the double recorded: its fake account
(world.json, per region; see tests/fakeaws/world) and the journal of calls that
changed it."""
import json
import os
from pathlib import Path
from typing import Callable, NamedTuple

import pulumi.automation as auto

ROOT = Path(__file__).resolve().parents[2]

REGION = "us-east-1"
"""The region the stacks deploy to."""


class AwsWorld:
    def __init__(self, directory: Path):
        self.dir = Path(directory)

    def _world(self) -> dict:
        world = self.dir / "world.json"
        return json.loads(world.read_text()) if world.exists() else {}

    def region(self, name: str) -> dict:
        """Everything the fake account holds in one region, as world.json has it."""
        return self._world().get("regions", {}).get(name, {})

    def repositories(self, region: str) -> dict:
        return self.region(region).get("repositories", {})

    def roles(self) -> list:
        return sorted(self._world().get("roles", {}))

    def journal(self) -> list:
        """Every call that changed the account, as "op type id"."""
        journal = self.dir / "journal.jsonl"
        if not journal.exists():
            return []
        entries = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
        return [f"{e['op']} {e['type']} {e['id']}" for e in entries]


def locate_build() -> dict:
    """Where `make` put the CLI, the provider and the aws test double."""
    pulumi = Path(os.environ.get("ECRREPOS_PULUMI", ROOT / "bin" / "pulumi"))
    return {
        "cli_root": str(pulumi.parent.parent),
        "provider_dir": os.environ.get("ECRREPOS_PROVIDER_DIR", str(ROOT / "bin")),
        "fakeaws_dir": os.environ.get("ECRREPOS_FAKEAWS_DIR", str(ROOT / "bin" / "fakeaws")),
    }


def load_testdata(name: str):
    """Reads tests/testdata/<name>, shared with the Go and TypeScript tests."""
    return json.loads((ROOT / "tests" / "testdata" / name).read_text())


class _ProjectWithPlugins(auto.ProjectSettings):
    """ProjectSettings plus `plugins`, which Pulumi.yaml supports but the SDK class lacks."""

    def __init__(self, name: str, providers: list):
        super().__init__(name=name, runtime="python")
        self.providers = providers

    def to_dict(self):
        settings = super().to_dict()
        settings["plugins"] = {"providers": self.providers}
        return settings


class E2EStack(NamedTuple):
    stack: auto.Stack
    world: AwsWorld
    """The aws test double's account, fresh for this stack."""
    backend: Path
    """The local file backend's directory, to inspect the stored state."""


def new_stack(tmp_path: Path, project_name: str, program: Callable[[], None]) -> E2EStack:
    """A stack "dev" of project_name running program inline, with a local file
    backend, the built ecrrepos provider and the aws test double as the aws
    plugin, all under tmp_path."""
    build = locate_build()
    world = AwsWorld(tmp_path / "world")
    backend = tmp_path / "backend"
    world.dir.mkdir()
    backend.mkdir()
    project = _ProjectWithPlugins(
        project_name,
        [{"name": "ecrrepos", "path": build["provider_dir"]}, {"name": "aws", "path": build["fakeaws_dir"]}],
    )
    stack = auto.create_or_select_stack(
        "dev",
        project_name=project_name,
        program=program,
        opts=auto.LocalWorkspaceOptions(
            pulumi_command=auto.PulumiCommand(root=build["cli_root"], skip_version_check=True),
            pulumi_home=str(tmp_path / "home"),
            project_settings=project,
            env_vars={
                "PULUMI_BACKEND_URL": "file://" + str(backend),
                "PULUMI_CONFIG_PASSPHRASE": "e2e-passphrase",
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "FAKEAWS_STATE_DIR": str(world.dir),
                "AWS_REGION": REGION,
            },
        ),
    )
    return E2EStack(stack, world, backend)
