"""A bounded load test: locust, headless, against gunicorn with the production settings on 127.0.0.1.

    python -m e2e.load [--users 50] [--seconds 60] [--database sqlite|postgres|both]
Reports requests per second, p50/p95/p99 latency and failures for each database; fails on any
failed request or any "database is locked" in the server's log.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import uuid
from pathlib import Path

import psycopg

from .server import BIN, Server

POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def run_locust(server: Server, users: int, seconds: int, out: Path) -> dict:
    import subprocess

    prefix = out / "locust"
    command = [
        str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
        "-u", str(users), "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--host", server.url,
        "--csv", str(prefix), "--only-summary", "--stop-timeout", "5", "--exit-code-on-error", "0",
    ]  # fmt: skip
    subprocess.run(command, check=True, env=server.env, capture_output=True, text=True, timeout=seconds + 120)
    with open(f"{prefix}_stats.csv") as stream:
        rows = {row["Name"]: row for row in csv.DictReader(stream)}
    total = rows["Aggregated"]
    with open(f"{prefix}_failures.csv") as stream:
        messages = [
            f"{row['Name']}: {row['Error'][:200]} ({row['Occurrences']})" for row in csv.DictReader(stream)
        ]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "by_name": {name: int(row["Failure Count"]) for name, row in rows.items() if name != "Aggregated"},
        "messages": messages,
    }


def load(database: str, users: int, seconds: int) -> bool:
    database_url, created = "", None
    if database == "postgres":
        created = f"cg_load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{created}"')
        database_url = POSTGRES + created
    log = Path(tempfile.mkdtemp()) / "server.log"
    try:
        server = Server(database_url=database_url, workers=4, extra_env={"THROTTLE_AUTH": "100000/min"})
        with log.open("w") as server_log:
            server.start_logging_to(server_log)
            try:
                result = run_locust(server, users, seconds, log.parent)
            finally:
                server.stop()
        locked = log.read_text().count("database is locked")
    finally:
        if created:
            with psycopg.connect(POSTGRES + "postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')
    print(
        f"{database:<9} {users} users {seconds}s: {result['requests']} requests, {result['rps']:.1f} req/s, "
        f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, p99 {result['p99']:.0f} ms, "
        f"failures {result['failures']}, 'database is locked' {locked}"
    )
    for message in result["messages"]:
        print(f"    failed: {message}")
    return result["failures"] == 0 and locked == 0 and result["requests"] > 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = [load(database, args.users, args.seconds) for database in databases]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
