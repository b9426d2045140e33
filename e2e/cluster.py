"""Common Ground on more than one server: two gunicorn servers behind HAProxy, one PostgreSQL, one Redis.

    python -m e2e.cluster [--users 20] [--seconds 40]     (make load-cluster)

It creates a fresh PostgreSQL database and takes an empty Redis database (its number and a key prefix unique
to the run); runs `commonground migrate` for both servers at once (the advisory lock lets one migrate and the
other find nothing to do); loads the demo; starts the two servers (each its own data folder, sharing only the
database, Redis, SECRET_KEY and the upload folder), a task worker and HAProxy in front; counts failed logins
sent alternately to each server; runs the locust load test through the proxy and kills one server (SIGKILL,
a crash) halfway. Then it checks:

- no lost writes: every situation report the load test was answered 2xx for is in the database;
- login lock-outs neither lost nor doubled: each failed attempt, whichever server saw it, counted once in
  Redis, and the lock-out it reaches refused by both servers;
- the surviving server answers, directly and through the proxy.

It prints a summary and exits 1 with the reason on any failure. Everything it starts it stops, and it drops
the database and flushes the Redis database, on failure too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import ExitStack
from pathlib import Path

import psycopg
import redis

from .server import BIN, free_port

POSTGRES = "postgres://postgres@127.0.0.1:5432/"
REDIS = "redis://127.0.0.1:6379"
HERE = Path(__file__).parent
FAILURE_LIMIT = 5

HAPROXY = """global
    maxconn 1024
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # A busy server (every worker hashing a password) may answer its check late: only silence is "down".
    timeout check 5s
    # A request that never reached a server (connection refused: the one killed) goes to the other; one a
    # server received is never sent twice, so a write is not repeated.
    retries 3
    option redispatch
    retry-on conn-failure
frontend web
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
{servers}
"""


class Failed(Exception):
    pass


def http(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 10) -> int:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(url: str, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if http(url, timeout=2) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise Failed(f"{what} did not answer {url} within {seconds:.0f} s")


def empty_redis_database() -> int:
    """Claim an empty Redis database (another run may be choosing at the same moment)."""
    for number in range(14, 0, -1):
        client = redis.Redis.from_url(f"{REDIS}/{number}")
        if client.dbsize() == 0 and client.set("commonground:claimed", os.getpid(), nx=True, ex=3600):
            return number
    raise Failed("no empty Redis database (1-14) to run in")


class Cluster:
    """The processes of one run, stopped (and the database and Redis cleaned) by `stack`'s close."""

    def __init__(self, stack: ExitStack, users: int, seconds: int):
        self.stack, self.users, self.seconds = stack, users, seconds
        self.run = uuid.uuid4().hex[:8]
        self.folder = Path(tempfile.mkdtemp(prefix="cg-cluster-"))
        stack.callback(shutil.rmtree, self.folder, ignore_errors=True)
        self.database = f"cg_cluster_{self.run}"
        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{self.database}"')
        stack.callback(self._drop_database)
        self.redis_number = empty_redis_database()
        self.redis = redis.Redis.from_url(f"{REDIS}/{self.redis_number}")
        stack.callback(self.redis.flushdb)
        self.prefix = f"cg-cluster-{self.run}"
        self.proxy_port = free_port()
        self.proxy = f"http://127.0.0.1:{self.proxy_port}"
        self.ports = {"a": free_port(), "b": free_port()}
        shared = self.folder / "shared"
        self.env = {
            **os.environ,
            "DATABASE_URL": POSTGRES + self.database,
            "REDIS_URL": f"{REDIS}/{self.redis_number}",
            "REDIS_KEY_PREFIX": self.prefix,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "MEDIA_ROOT": str(shared / "media"),
            "IMPORT_UPLOAD_DIR": str(shared / "imports"),
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.proxy,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(shared / "mail"),
            "THROTTLE_USER": "1000000/min",
            "THROTTLE_ANON": "1000000/min",
            "THROTTLE_AUTH": "1000000/min",
            "AXES_FAILURE_LIMIT": str(FAILURE_LIMIT),
            "LOG_LEVEL": "ERROR",
            "CLUSTER_RUN": self.run,
            "CLUSTER_WRITES": str(self.folder / "writes.txt"),
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.timings: dict[str, float] = {}
        self.clock = time.monotonic()

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.timings[name] = now - self.clock
        self.clock = now

    def _drop_database(self) -> None:
        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def env_of(self, name: str) -> dict:
        """A server's environment: its own data folder, nothing else of its own."""
        data = self.folder / f"data-{name}"
        data.mkdir(exist_ok=True)
        return {**self.env, "COMMONGROUND_DATA_DIR": str(data)}

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 (closed by the stack)
        self.stack.callback(log.close)
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.stack.callback(self.stop, process)
        self.processes[name] = process
        return process

    @staticmethod
    def stop(process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()[-3000:]

    # -- the steps ---------------------------------------------------------------------------------------------

    def migrate_both_at_once(self) -> None:
        runs = [
            subprocess.Popen(
                [str(BIN / "commonground"), "migrate", "--noinput", "-v0"],
                env=self.env_of(name), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            for name in self.ports
        ]  # fmt: skip
        outputs = [run.communicate(timeout=300)[0] for run in runs]
        if any(run.returncode for run in runs):
            raise Failed("two servers migrating at once failed:\n" + "\n".join(outputs))
        with psycopg.connect(POSTGRES + self.database) as connection:
            twice = connection.execute(
                "SELECT app, name FROM django_migrations GROUP BY app, name HAVING count(*) > 1"
            ).fetchall()
        if twice:
            raise Failed(f"migrations applied twice: {twice[:5]}")
        demo = subprocess.run(
            [str(BIN / "commonground"), "demo", "--no-serve"],
            env=self.env_of("a"),
            capture_output=True,
            text=True,
        )
        if demo.returncode:
            raise Failed(f"loading the demo failed:\n{demo.stdout}\n{demo.stderr}")

    def start_servers(self) -> None:
        for name, port in self.ports.items():
            self.start(
                name,
                [str(BIN / "gunicorn"), "commonground.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
                 "--log-level", "warning", "--graceful-timeout", "5"],
                self.env_of(name),
            )  # fmt: skip
        self.start("worker", [str(BIN / "commonground"), "worker"], self.env_of("worker"))
        for name, port in self.ports.items():
            wait_for(f"http://127.0.0.1:{port}/healthz", f"server {name}")
        servers = "\n".join(
            f"    server {name} 127.0.0.1:{port} check inter 1s fall 2 rise 1"
            for name, port in self.ports.items()
        )
        config = self.folder / "haproxy.cfg"
        config.write_text(HAPROXY.format(port=self.proxy_port, servers=servers))
        self.start(
            "haproxy", [shutil.which("haproxy") or "/usr/sbin/haproxy", "-db", "-f", str(config)], self.env
        )
        wait_for(self.proxy + "/healthz", "HAProxy")

    def axes_failures(self) -> int:
        """The failed logins Redis holds for this run (axes' keys under the run's prefix), summed."""
        keys = self.redis.keys(f"{self.prefix}:*axes*")
        return sum(int(self.redis.get(key) or 0) for key in keys)

    def login_fails(self, base: str, username: str) -> int:
        body = json.dumps({"username": username, "password": "not-the-password"}).encode()
        return http(base + "/api/v1/auth/token/", body, {"Content-Type": "application/json"})

    def check_lockouts(self) -> str:
        username = f"lockout-{self.run}"
        servers = [f"http://127.0.0.1:{port}" for port in self.ports.values()]
        answers = [self.login_fails(servers[i % 2], username) for i in range(FAILURE_LIMIT - 1)]
        if answers != [400] * (FAILURE_LIMIT - 1):
            raise Failed(f"failed logins were answered {answers}, not 400 each")
        counted = self.axes_failures()
        if counted != FAILURE_LIMIT - 1:
            raise Failed(
                f"{FAILURE_LIMIT - 1} failed logins on two servers, {counted} counted in Redis "
                f"({'lost' if counted < FAILURE_LIMIT - 1 else 'doubled'})"
            )
        self.login_fails(self.proxy, username)  # the last one allowed, through the proxy
        locked = [self.login_fails(server, username) for server in servers]
        if locked != [429, 429]:
            raise Failed(
                f"after {FAILURE_LIMIT} failures the two servers answered {locked}, not 429 (locked) each"
            )
        return f"{FAILURE_LIMIT} failed logins across both servers counted {self.axes_failures()}; both refuse the next"

    def run_load(self) -> dict:
        prefix = self.folder / "locust"
        command = [
            str(BIN / "locust"), "-f", str(HERE / "cluster_locustfile.py"), "ClusterMember", "--headless",
            "-u", str(self.users), "-r", str(max(1, self.users // 4)), "-t", f"{self.seconds}s",
            "--host", self.proxy, "--csv", str(prefix), "--only-summary", "--stop-timeout", "5",
            "--exit-code-on-error", "0",
        ]  # fmt: skip
        locust = self.start("locust", command, {**self.env, "PYTHONPATH": str(HERE.parent)})
        # The crash comes once writes are flowing (every user logged in: a password hash each), or at 60 %.
        began = time.monotonic()
        while time.monotonic() - began < self.seconds * 0.6 and not (
            time.monotonic() - began >= self.seconds * 0.4 and len(self.writes()) >= 3
        ):
            time.sleep(0.2)
        self.killed_after = time.monotonic() - began
        victim = self.processes["b"]
        os.killpg(victim.pid, signal.SIGKILL)  # a crash: no graceful shutdown
        victim.wait()
        killed_at = time.monotonic()
        self.writes_before_kill = writes_before_kill = len(self.writes())
        try:
            locust.wait(timeout=self.seconds + 120)
        except subprocess.TimeoutExpired as error:
            raise Failed("locust did not finish") from error
        with open(f"{prefix}_stats.csv") as stream:
            total = {row["Name"]: row for row in csv.DictReader(stream)}["Aggregated"]
        with open(f"{prefix}_failures.csv") as stream:
            failed = [
                f"{row['Name']}: {row['Error'][:120]} ({row['Occurrences']})"
                for row in csv.DictReader(stream)
            ]
        return {
            "requests": int(total["Request Count"]),
            "failures": int(total["Failure Count"]),
            "rps": float(total["Requests/s"]),
            "writes_before_kill": writes_before_kill,
            "after_kill_s": time.monotonic() - killed_at,
            "failed": failed,
        }

    def writes(self) -> list[str]:
        path = Path(self.env["CLUSTER_WRITES"])
        return path.read_text().split() if path.exists() else []

    def check_writes(self) -> tuple[int, int]:
        acknowledged = set(self.writes())
        with psycopg.connect(POSTGRES + self.database) as connection:
            stored = {
                row[0]
                for row in connection.execute(
                    "SELECT text FROM incidents_timelineentry WHERE text LIKE %s", [f"cluster-{self.run}-%"]
                )
            }
        lost = acknowledged - stored
        if lost:
            raise Failed(
                f"{len(lost)} of {len(acknowledged)} acknowledged writes are not in the database: {sorted(lost)[:5]}"
            )
        if not acknowledged:
            raise Failed("the load test made no write: nothing was checked")
        if len(acknowledged) <= self.writes_before_kill:
            raise Failed("no write was acknowledged after the crash: the surviving server took none")
        return len(acknowledged), len(stored)

    def check_survivor(self) -> None:
        survivor = f"http://127.0.0.1:{self.ports['a']}"
        for url in (survivor + "/healthz", self.proxy + "/healthz", self.proxy + "/accounts/login/"):
            status = http(url)
            if status != 200:
                raise Failed(f"after the crash {url} answered {status}")
        try:
            http(f"http://127.0.0.1:{self.ports['b']}/healthz", timeout=2)
        except OSError:
            return
        raise Failed("the killed server still answers")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=40)
    args = parser.parse_args()
    if not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        print("load-cluster: HAProxy is missing (apt-get install haproxy)")
        return 1
    # Stopped from outside (a CI time-out): leave through the clean-up below all the same.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    cluster = None
    with ExitStack() as stack:
        try:
            cluster = Cluster(stack, args.users, args.seconds)
            cluster.migrate_both_at_once()
            cluster.lap("migrate and demo data")
            cluster.start_servers()
            cluster.lap("start")
            lockouts = cluster.check_lockouts()
            load = cluster.run_load()
            cluster.lap("load")
            acknowledged, stored = cluster.check_writes()
            cluster.check_survivor()
        except (Failed, OSError, subprocess.SubprocessError, psycopg.Error, redis.RedisError) as error:
            print(f"load-cluster FAILED: {error}")
            if cluster is not None:
                for name in ("a", "b", "worker", "haproxy", "locust"):
                    if (cluster.folder / f"{name}.log").exists() and cluster.log(name).strip():
                        print(f"--- the end of {name}'s log:\n{cluster.log(name)}")
            return 1
    lines = [
        f"load-cluster passed in {time.monotonic() - started:.0f} s: 2 gunicorn servers behind HAProxy, PostgreSQL "
        f"and Redis db {cluster.redis_number}; both servers ran migrate at once, each migration applied once",
        f"  load: {args.users} users {args.seconds}s, {load['requests']} requests ({load['rps']:.1f}/s), "
        f"{load['failures']} failed (those in flight on the server killed at {cluster.killed_after:.0f} s):",
        *(f"    {line}" for line in load["failed"]),
        f"  writes: {acknowledged} acknowledged ({load['writes_before_kill']} before the kill), all in the database "
        f"(0 lost; {stored - acknowledged} more stored whose answer was lost with the server)",
        f"  lock-outs: {lockouts}",
        "  the surviving server answers, directly and through the proxy; the killed one does not",
        f"  time: {', '.join(f'{name} {seconds:.0f} s' for name, seconds in cluster.timings.items())}",
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
