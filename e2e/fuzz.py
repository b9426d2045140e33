"""Fuzz the API from its own OpenAPI schema with Schemathesis, as a member, on a real server.

    python -m e2e.fuzz [--max-examples N] [--max-time SECONDS]
Fails on any 5xx, any response that breaks the schema, any status code the schema does not document.
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
    args = parser.parse_args()
    with Server(extra_env={"THROTTLE_AUTH": "1000000/min", "AXES_FAILURE_LIMIT": "1000000"}) as server:
        token = token_for(server, "member", "commonground-demo")
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
        print(
            "$", " ".join(c if "Token" not in c else "Authorization: Token ***" for c in command), flush=True
        )
        return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
