"""Reads what the aws test double (tests/fakeaws) recorded: the repositories in
its fake account and the journal of calls that changed them."""
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class AwsWorld:
    def __init__(self, directory: Path):
        self.dir = Path(directory)

    def repositories(self) -> dict:
        world = self.dir / "world.json"
        if not world.exists():
            return {}
        return json.loads(world.read_text()).get("repositories") or {}

    def roles(self) -> list:
        world = self.dir / "world.json"
        if not world.exists():
            return []
        return sorted(json.loads(world.read_text()).get("roles") or {})

    def journal(self) -> list:
        journal = self.dir / "journal.jsonl"
        if not journal.exists():
            return []
        return [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]

    def since(self, n: int) -> list:
        """The calls after the first n, as "op type id"."""
        return [f"{e['op']} {e['type']} {e['id']}" for e in self.journal()[n:]]


def locate_build() -> dict:
    """Where `make` put the CLI, the provider and the aws test double."""
    pulumi = Path(os.environ.get("ECRREPOS_PULUMI", ROOT / "bin" / "pulumi"))
    return {
        "cli_root": str(pulumi.parent.parent),
        "provider_dir": os.environ.get("ECRREPOS_PROVIDER_DIR", str(ROOT / "bin")),
        "fakeaws_dir": os.environ.get("ECRREPOS_FAKEAWS_DIR", str(ROOT / "bin" / "fakeaws")),
    }
