"""Fuzz the API from its own OpenAPI schema with Schemathesis, on a real server, as each user named.

    python -m e2e.fuzz [--max-examples N] [--max-time SECONDS] [--as USERNAME ...]
By default a member and a co-chair, so that the writes only co-chairs may make are fuzzed past
their permission check too. The users are fuzzed side by side against the one server (two concurrent
clients, as two people at the table; it halves CI's fuzzing step on two cores), each for up to --max-time
seconds, and each one's output is printed whole when it ends. Fails on any 5xx, any response that breaks
the schema, any status code the schema does not document.

First, as each user and anonymously, a probe sends every operation that takes a body a JSON body
nested far too deep and one larger than the server's body limit; any 5xx fails the run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from .server import Server

DEEP_BODY = ('{"a":' * 5000 + "1" + "}" * 5000).encode()
HUGE_BODY = b'{"name": "' + b"x" * (3 * 1024 * 1024) + b'"}'
BODY_METHODS = ("post", "put", "patch")
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
        failed = probe_hostile_bodies(server, None)
        tokens = {username: token_for(server, username, "commonground-demo") for username in args.users}
        for token in tokens.values():
            failed |= probe_hostile_bodies(server, token)
        runs = [fuzz_as(server, username, token, args) for username, token in tokens.items()]
        for run in runs:
            failed |= run.finish()
        return failed


def status_of(request: urllib.request.Request) -> int:
    """Return the answer's status, or 0 when the server refused the body by closing the connection.

    A body over the size limit is answered (400) before it is read, and the server then closes the
    connection; the client may still be sending, and then sees a broken pipe or a reset instead.
    """
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError as error:
        if isinstance(error.reason, BrokenPipeError | ConnectionResetError):
            return 0
        raise
    except (BrokenPipeError, ConnectionResetError):
        return 0


def probe_hostile_bodies(server: Server, token: str | None) -> int:
    """Send a too-deep and a too-large JSON body to every operation with a body; return 1 on any 5xx."""
    with urllib.request.urlopen(server.url + "/api/schema/?format=json", timeout=30) as response:
        schema = json.load(response)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    failures = []
    for path, operations in schema["paths"].items():
        url = server.url + "/".join("1" if part.startswith("{") else part for part in path.split("/"))
        for method in BODY_METHODS:
            if method not in operations:
                continue
            for name, body in (("deep", DEEP_BODY), ("huge", HUGE_BODY)):
                request = urllib.request.Request(url, data=body, headers=headers, method=method.upper())
                status = status_of(request)
                if status >= 500:
                    failures.append(f"{method.upper()} {path} with a {name} body: {status}")
    who = "with a token" if token else "anonymously"
    print(f"Hostile bodies {who}: {len(failures)} server errors", *failures, sep="\n  ", flush=True)
    return 1 if failures else 0


class FuzzRun:
    """One user's Schemathesis run, started in the background, its output kept in a file until it ends."""

    def __init__(self, username: str, command: list[str]):
        self.username = username
        self.output = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in finish()
        self.process = subprocess.Popen(command, stdout=self.output, stderr=subprocess.STDOUT, text=True)

    def finish(self) -> int:
        """Wait for the run, print its output; return its exit code."""
        code = self.process.wait()
        self.output.seek(0)
        print(f"== fuzzing as {self.username}: exit {code}", flush=True)
        sys.stdout.write(self.output.read())
        sys.stdout.flush()
        self.output.close()
        return code


def fuzz_as(server: Server, username: str, token: str, args) -> FuzzRun:
    """Start Schemathesis with the user's token."""
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
    return FuzzRun(username, command)


if __name__ == "__main__":
    sys.exit(main())
