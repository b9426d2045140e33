"""Fuzz the API from its own OpenAPI schema with Schemathesis, on a real server, as each user named.

    python -m e2e.fuzz [--max-examples N] [--max-time SECONDS] [--as USERNAME ...]
By default a member, then a co-chair, so that the writes only co-chairs may make are fuzzed past
their permission check too. Each user gets --max-time seconds. Fails on any 5xx, any response that
breaks the schema, any status code the schema does not document.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

from .server import Server

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"


def token_for(server: Server, username: str, password: str) -> str:
    request = urllib.request.Request(
        server.url + "/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["token"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--max-time", type=int, default=300)
    parser.add_argument("--as", dest="users", nargs="+", default=["member", "cochair.public"])
    args = parser.parse_args()
    with Server(extra_env={"THROTTLE_AUTH": "1000000/min", "AXES_FAILURE_LIMIT": "1000000"}) as server:
        failed = 0
        for username in args.users:
            failed |= fuzz_as(server, username, args)
        return failed


def fuzz_as(server: Server, username: str, args) -> int:
    """Run Schemathesis with the user's token; return its exit code."""
    token = token_for(server, username, "commonground-demo")
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "run", f"{server.url}/api/schema/",
        "--header", f"Authorization: Token {token}",
        "--checks", CHECKS,
        "--max-examples", str(args.max_examples),
        "--max-time", str(args.max_time),
        "--phases", "examples,coverage,fuzzing",
        # One worker: with two threads, CPython 3.11's ast module can raise a spurious
        # "AST constructor recursion depth mismatch" inside Hypothesis (python/cpython#106905).
        "--workers", "1",
        "--suppress-health-check", "all",
        "--seed", "1",
    ]  # fmt: skip
    shown = " ".join(c if "Token" not in c else "Authorization: Token ***" for c in command)
    print(f"$ ({username})", shown, flush=True)
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
