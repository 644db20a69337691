"""Reads what the aws test double (tests/fakeaws) recorded: its fake account
(world.json, per region; see tests/fakeaws/world) and the journal of calls that
changed it."""
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class AwsWorld:
    def __init__(self, directory: Path):
        self.dir = Path(directory)

    def repositories(self, region: str) -> dict:
        world = self.dir / "world.json"
        if not world.exists():
            return {}
        return json.loads(world.read_text()).get("regions", {}).get(region, {}).get("repositories", {})

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
