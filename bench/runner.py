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

from commonground.core.testing import SHARED_INSTALLATIONS, installation_copy

from .common import DEMO, MIGRATED, POSTGRES_DEMO, postgres_demo

QUICK = os.environ.get("BENCH_QUICK") == "1"
_installations: dict[bool, Path] = {}


def _installation(demo: bool) -> Path:
    """A SQLite installation, migrated (and with the demo loaded, if `demo`), made once for this run or found in
    CI's (core.testing): each benchmark's process starts from a copy."""
    if demo not in _installations:
        folder = Path(tempfile.mkdtemp(prefix="cg-bench-installation-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _installations[demo] = installation_copy(folder, demo=demo)
    return _installations[demo]


def shared_installations() -> dict[str, str]:
    """The SQLite installations the benchmarks' processes copy, as their environment names them."""
    found = {MIGRATED: os.environ.get(MIGRATED) or str(_installation(demo=False))}
    if os.environ.get(SHARED_INSTALLATIONS):  # CI's suite has built it: a copy, not a load of the demo
        found[DEMO] = os.environ.get(DEMO) or str(_installation(demo=True))
    return found


def run(module: str, *args: str, database_url: str = "", demo: bool = False) -> dict:
    """Run the benchmark `module` in a process of its own and return its figures; with `demo`, on PostgreSQL in CI,
    it finds the data folder of the installation with the demo that database_url copies (bench.common)."""
    env = {**os.environ, "DATABASE_URL": database_url}
    if not database_url:
        env |= shared_installations()
    elif demo and (found := postgres_demo()):
        env[POSTGRES_DEMO] = str(found[1])
    result = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"{module} {' '.join(args)} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])
