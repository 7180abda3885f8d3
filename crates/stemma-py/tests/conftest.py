"""Shared fixtures: the `stemma` binary the results are held against, and runs of it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _binary() -> Path | None:
    named = os.environ.get("STEMMA_BIN")
    if named:
        return Path(named)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("release", "debug"):
        candidate = target / profile / "stemma"
        if candidate.exists():
            return candidate
    found = shutil.which("stemma")
    return Path(found) if found else None


@pytest.fixture(scope="module")
def stemma_bin() -> Path:
    binary = _binary()
    if binary is None or not binary.exists():
        pytest.fail("the stemma binary is needed: cargo build --release (or set STEMMA_BIN)")
    return binary


class Cli:
    """Runs the command line; the sentence model left out, as the Python build has none."""

    def __init__(self, binary: Path):
        self.binary = binary

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = dict(os.environ, STEMMA_MODEL="off", NO_COLOR="1")
        done = subprocess.run(
            [str(self.binary), *map(str, args)],
            capture_output=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"stemma {' '.join(map(str, args))}: {done.stderr.decode()}")
        return done


@pytest.fixture(scope="module")
def cli(stemma_bin: Path) -> Cli:
    return Cli(stemma_bin)
