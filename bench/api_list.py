"""The organization list API with 10,000 organizations, as a member, on a real gunicorn server.

Usage: python -m bench.api_list [ORGANIZATIONS] [REQUESTS]
Prints one JSON line: the median of the API and of a trivial view on the same server.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .common import bench_member, median_ms, setup_django

SERVER_ENV = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "THROTTLE_USER": "100000/min",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_serving(data_dir: Path):
    """Serve the installation in `data_dir` with one gunicorn worker on a free port; yield the port."""
    port = free_port()
    env = {**os.environ, **SERVER_ENV, "COMMONGROUND_DATA_DIR": str(data_dir)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "commonground.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--log-level", "warning"],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                get(port, "/healthz", {})
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: the figures are taken, end it
            server.kill()
            server.wait()


def prepare(organizations: int) -> str:
    """Seed the organizations and a member; return the member's API token."""
    from commonground.demo.seeding import seed_community

    community = seed_community(
        slug="bench", name="Bench", organizations=organizations, people_per_organization=0
    ).community
    return bench_member(community)[1]


def get(port: int, path: str, headers: dict) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
    return elapsed


def main() -> None:
    organizations = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    data_dir = setup_django()
    token = prepare(organizations)
    with gunicorn_serving(data_dir) as port:
        headers = {"Authorization": f"Token {token}"}
        api_path = "/api/v1/organizations/?community=bench&page_size=25"
        for _ in range(20):  # warm up both
            get(port, api_path, headers)
            get(port, "/healthz", {})
        api = [get(port, api_path, headers) for _ in range(requests)]
        trivial = [get(port, "/healthz", {}) for _ in range(requests)]
    print(
        json.dumps(
            {
                "organizations": organizations,
                "requests": requests,
                "api_ms": median_ms(api),
                "trivial_ms": median_ms(trivial),
            }
        )
    )


if __name__ == "__main__":
    main()
