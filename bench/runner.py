"""How a benchmark runs: each in a process of its own that prints its figures as JSON; BENCH_QUICK for CI."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import MIGRATED

QUICK = os.environ.get("BENCH_QUICK") == "1"
_migrated: list[Path] = []


def _migrated_sqlite() -> Path:
    """A migrated SQLite installation, made once for this run (or found in CI's, core.testing): each benchmark's
    process starts from a copy."""
    if not _migrated:
        from commonground.core.testing import installation_copy

        folder = Path(tempfile.mkdtemp(prefix="cg-bench-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _migrated.append(installation_copy(folder, demo=False))
    return _migrated[0]


def run(module: str, *args: str, database_url: str = "") -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    if not database_url:
        env.setdefault(MIGRATED, str(_migrated_sqlite()))
    result = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"{module} {' '.join(args)} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])
