"""A bounded load test: locust, headless, against gunicorn with the production settings on 127.0.0.1.

    python -m e2e.load [--users 50] [--seconds 60] [--database sqlite|postgres|both] [--storm-rounds 3]

On each database, one server and two scenarios:
- the users sign in once (the ramp), then, the same users with the same sessions and think time, ask for the
  trivial view (/healthz) alone for half as long as the mix (at least 10 s): the baseline; then run the page
  mix (e2e/locustfile.py, `LoadMember`) for --seconds. The steady state of each (after the last sign-in, the
  ramp left out) gives the throughput and p95 printed, and their ratios (goal: p95 within 10x of the trivial
  view's);
- a log-in storm: --users sign-ins through the form at once, --storm-rounds times, each round beside a burst of
  as many requests for the trivial view, so that Argon2's cost is reported on its own, not in the page figures.
Fails on any failed request or any "database is locked" in the server's log.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from .server import BIN, Server

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
ON_START = frozenset({"login page", "log in", "api token", "api organizations", "api incidents"})
TRIVIAL = "trivial view"
RAMP_ALLOWANCE = 180  # seconds for every user to sign in, at most
P95_GOAL = 10


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (locust's own rounds to buckets; this is exact)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else float("nan")


def window(records: list, name_test, start: float, end: float) -> dict:
    """Throughput and latency of the requests (those `name_test` accepts) started between `start` and `end`."""
    chosen = [(name, ms) for name, began, ms, _ in records if name_test(name) and start <= began < end]
    if not chosen:
        return {"requests": 0, "rps": 0.0, "p50": float("nan"), "p95": float("nan"), "by_name": {}}
    by_name: dict[str, list[float]] = {}
    for name, ms in chosen:
        by_name.setdefault(name, []).append(ms)
    times = [ms for _, ms in chosen]
    return {
        "requests": len(chosen),
        "seconds": end - start,
        "rps": len(chosen) / (end - start),
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "by_name": {name: percentile(values, 0.95) for name, values in by_name.items()},
    }


def run_locust(server: Server, users: int, baseline_seconds: int, seconds: int, out: Path) -> dict:
    """LoadMember: the users sign in, ask for the trivial view for `baseline_seconds`, then run the mix."""
    prefix, recorded = out / "locust", out / "records.json"
    cap = RAMP_ALLOWANCE + baseline_seconds + seconds
    command = [
        str(BIN / "locust"), "-f", str(LOCUSTFILE), "LoadMember", "--headless",
        "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{cap}s", "--host", server.url,
        "--csv", str(prefix), "--only-summary", "--stop-timeout", "5", "--exit-code-on-error", "0",
    ]  # fmt: skip
    env = {
        **server.env,
        "LOAD_RECORD": str(recorded),
        "LOAD_USERS": str(users),
        "LOAD_BASELINE_SECONDS": str(baseline_seconds),
        "LOAD_MIX_SECONDS": str(seconds),
    }
    subprocess.run(command, check=True, env=env, capture_output=True, text=True, timeout=cap + 120)
    with open(f"{prefix}_stats.csv") as stream:
        rows = {row["Name"]: row for row in csv.DictReader(stream)}
    total = rows["Aggregated"]
    with open(f"{prefix}_failures.csv") as stream:
        messages = [
            f"{row['Name']}: {row['Error'][:200]} ({row['Occurrences']})" for row in csv.DictReader(stream)
        ]
    run = json.loads(recorded.read_text())
    records = run["records"]
    if "mix_start" not in run:
        messages.append(f"not every user had signed in after {RAMP_ALLOWANCE} s")
        ramp_end = mix_start = float("inf")
    else:
        ramp_end, mix_start = run["ramp_end"], run["mix_start"]
    last = max((began + ms / 1000 for _, began, ms, _ in records), default=0.0)
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "messages": messages,
        "ramp_seconds": ramp_end - min((began for _, began, _, _ in records), default=ramp_end),
        "trivial": window(records, lambda name: name == TRIVIAL, ramp_end, mix_start),
        "mix": window(records, lambda name: name not in ON_START and name != TRIVIAL, mix_start, last),
    }


def timed_burst(count: int, prepare, request) -> tuple[list[float], float, int]:
    """`count` threads each `prepare()` a session, then all `request(session)` at once after a barrier.

    Returns each request's milliseconds, the burst's wall seconds (first start to last end) and the failures."""
    barrier = threading.Barrier(count)
    spans: list[tuple[float, float]] = []
    failures = []

    def one() -> None:
        session = prepare()
        barrier.wait()
        start = time.perf_counter()
        ok = request(session)
        spans.append((start, time.perf_counter()))
        if not ok:
            failures.append(1)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = [(end - start) * 1000 for start, end in spans]
    return times, max(end for _, end in spans) - min(start for start, _ in spans), len(failures)


def login_storm(server: Server, users: int, rounds: int) -> dict:
    """Sign-ins through the form, `users` at once, beside bursts of as many requests for the trivial view."""
    accounts = ["cochair.public", "cochair.private", "orgadmin", "member"]
    login_url = server.url + "/accounts/login/"

    def login_prepare():
        session = requests.Session()
        page = session.get(login_url, timeout=60)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return session, csrf, accounts[threading.get_ident() % len(accounts)]

    def login(prepared) -> bool:
        session, csrf, username = prepared
        response = session.post(
            login_url,
            {"username": username, "password": "commonground-demo", "csrfmiddlewaretoken": csrf},
            headers={"Referer": login_url},
            allow_redirects=False,
            timeout=120,
        )
        return response.status_code == 302 and "/accounts/login/" not in response.headers.get("Location", "")

    def trivial(session) -> bool:
        return session.get(server.url + "/healthz", timeout=60).status_code == 200

    figures = {"login": ([], 0.0, 0), "trivial": ([], 0.0, 0)}
    for _ in range(rounds):
        for name, burst in (("login", (login_prepare, login)), ("trivial", (requests.Session, trivial))):
            times, seconds, failed = timed_burst(users, *burst)
            total = figures[name]
            figures[name] = (total[0] + times, total[1] + seconds, total[2] + failed)
    return {
        name: {
            "count": len(times),
            "per_second": len(times) / seconds,
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "failures": failed,
        }
        for name, (times, seconds, failed) in figures.items()
    }


def report(database: str, users: int, run: dict, storm: dict, locked: int) -> None:
    trivial, pages = run["trivial"], run["mix"]
    p95_ratio = pages["p95"] / trivial["p95"]
    print(
        f"{database:<9} {users} users: {run['requests']} requests in all, sign-ins ({run['ramp_seconds']:.0f} s) "
        f"included; failures {run['failures']}, 'database is locked' {locked}"
    )
    for label, figures in (("page mix", pages), ("trivial view", trivial)):
        print(
            f"  steady state, {label + ':':<13} {figures['rps']:6.1f} req/s  p50 {figures['p50']:6.0f} ms  "
            f"p95 {figures['p95']:6.0f} ms  ({figures['requests']} requests in {figures.get('seconds', 0):.0f} s)"
        )
    verdict = "goal met" if p95_ratio <= P95_GOAL else "GOAL MISSED"
    throughput = pages["rps"] / trivial["rps"] if trivial["rps"] else float("nan")
    print(
        f"  ratio page mix / trivial view, same users and think time: throughput {throughput:.2f}x, "
        f"p95 {p95_ratio:.1f}x  (goal: p95 within {P95_GOAL}x) [{verdict}]"
    )
    slowest = sorted(pages["by_name"].items(), key=lambda item: -item[1])
    print("  p95 by request: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in slowest))
    login, burst = storm["login"], storm["trivial"]
    print(
        f"  log-in storm, {users} at once x {login['count'] // users}: {login['per_second']:.1f} logins/s, "
        f"p50 {login['p50']:.0f} ms, p95 {login['p95']:.0f} ms; the trivial view in the same bursts: "
        f"{burst['per_second']:.1f} req/s, p95 {burst['p95']:.0f} ms; ratio p95 {login['p95'] / burst['p95']:.1f}x, "
        f"throughput {login['per_second'] / burst['per_second']:.3f}x (Argon2's cost, for information)"
    )
    for message in run["messages"]:
        print(f"    failed: {message}")


def load(database: str, users: int, seconds: int, storm_rounds: int) -> bool:
    log = Path(tempfile.mkdtemp()) / "server.log"
    # PostgreSQL's: a copy of the run's installation with the demo (core.testing_postgres), dropped at the stop
    server = Server(postgres=database == "postgres", workers=4, extra_env={"THROTTLE_AUTH": "100000/min"})
    with log.open("w") as server_log:
        try:
            server.start_logging_to(server_log)
            run = run_locust(server, users, max(10, seconds // 2), seconds, log.parent)
            storm = login_storm(server, users, storm_rounds)
        finally:
            server.stop()
    locked = log.read_text().count("database is locked")
    report(database, users, run, storm, locked)
    failures = run["failures"] + storm["login"]["failures"] + storm["trivial"]["failures"]
    steady = run["mix"]["requests"] > 0 and run["trivial"]["requests"] > 0
    return failures == 0 and locked == 0 and not run["messages"] and steady


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--storm-rounds", type=int, default=3)
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = [load(database, args.users, args.seconds, args.storm_rounds) for database in databases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
