"""How a benchmark runs: each in a process of its own that prints its figures as JSON; BENCH_QUICK for CI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

QUICK = os.environ.get("BENCH_QUICK") == "1"


def run(module: str, *args: str, database_url: str = "") -> dict:
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"{module} {' '.join(args)} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])
