"""Two benchmarks at a time (BENCH_JOBS=2, as CI runs them): each benchmark on each engine is a part, run as
`python -m bench NAME` on that engine alone, two parts side by side; their lines are printed in the order a run
one at a time prints them, each part's as soon as the parts before it are done.

A benchmark's process reads a single core's worth (its own work, or a server's and its client's in turn), so one
at a time left the second core of CI's machine idle. Each figure is still set beside a baseline measured in the
same process; another benchmark then runs on the other core, so a figure may be a little noisier than alone (a
developer's `make bench` runs one at a time: BENCH_JOBS is 1 unless set).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from .common import POSTGRES_TEMPLATE, bench_databases, migrated_postgres_template
from .runner import shared_installations

JOBS = int(os.environ.get("BENCH_JOBS", "1"))
# Set in a part's environment: the part prints no heading of its own.
PART = "BENCH_PART"
# The benchmarks whose figures are measured on each engine BENCH_DATABASE names (the others run on SQLite).
BY_ENGINE = {
    "resources",
    "resource_lists",
    "organization_lists",
    "page_cpu",
    "needs_page",
    "seed_scale",
    "bulk_insert",
    "list_apis",
}


def parts(names: list[str]) -> list[tuple[str, str]]:
    """(benchmark, engine) in the order a run one at a time measures them; '' for a benchmark of no engine."""
    found = []
    for name in names:
        if name not in BY_ENGINE:
            found.append((name, ""))
        for engine in bench_databases() if name in BY_ENGINE else ():
            if name != "bulk_insert" or engine == "postgres":  # bulk_insert compares PostgreSQL's ways alone
                found.append((name, engine))
    return found


def _run_part(part: tuple[str, str], env: dict) -> tuple[str, float]:
    name, engine = part
    if engine:
        env = {**env, "BENCH_DATABASE": engine}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "bench", name], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        return f"{result.stdout}{name} {engine} failed (exit {result.returncode})\n", -seconds
    return result.stdout, seconds


def run_side_by_side(names: list[str]) -> None:
    """Run the benchmarks' parts JOBS at a time, printing each part's lines in order; exit 1 if any failed."""
    env = {**os.environ, **shared_installations(), PART: "1"}
    every = parts(names)
    if any(engine == "postgres" for _name, engine in every):
        env[POSTGRES_TEMPLATE] = migrated_postgres_template()  # migrated once for all the parts
    with ThreadPoolExecutor(max_workers=JOBS) as pool:
        futures = [pool.submit(_run_part, part, env) for part in every]
        times = []
        for part, future in zip(every, futures, strict=True):
            output, seconds = future.result()  # in order: a part's lines once those before it are printed
            sys.stdout.write(output)
            sys.stdout.flush()
            times.append((part, seconds))
    print(f"time of each part ({JOBS} at a time):")
    for (name, engine), seconds in times:
        print(
            f"  {name}{' on ' + engine if engine else ''}: {abs(seconds):.0f} s{'' if seconds >= 0 else ' (failed)'}"
        )
    if any(seconds < 0 for _part, seconds in times):
        raise SystemExit("a benchmark failed")
