"""A real installation for end-to-end checks: its own data folder, the demo data, gunicorn (or Django's own
`runserver`, which `commonground demo` serves with) on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from commonground.core.testing import installation_copy
from commonground.core.testing_postgres import drop, postgres_installation_copy

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """Start gunicorn with the production settings (TLS left to a proxy) on a fresh database.

    `wsgi="runserver"` serves with Django's development server instead: it is built on `wsgiref`, which
    refuses what gunicorn lets pass (a header value that is a subclass of `str`), so a page that works
    in production may still fail under `make demo`. `wsgi="demo"` runs `commonground demo --port N`
    itself, with no SITE_URL, DEBUG or security settings in its environment, as a user runs it. `postgres` serves
    a copy of the run's PostgreSQL installation with the demo (core.testing_postgres), dropped when it stops."""

    def __init__(
        self,
        *,
        database_url: str = "",
        workers: int = 2,
        extra_env: dict | None = None,
        wsgi: str = "gunicorn",
        postgres: bool = False,
    ):
        self.data_dir = Path(tempfile.mkdtemp(prefix="cg-e2e-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.mail_dir = self.data_dir / "mail"
        self.env = {
            **os.environ,
            "COMMONGROUND_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "THROTTLE_USER": "1000000/min",
            "THROTTLE_ANON": "1000000/min",
            "LOG_LEVEL": "ERROR",
            # The flows sign the demo's facilitator in with its password; e2e/test_twofactor.py turns it on.
            "TWO_FACTOR_REQUIRED_FOR_FACILITATORS": "0",
            **(extra_env or {}),
        }
        if wsgi == "demo":
            # as a user runs it: the demo's own defaults (DEBUG off, plain HTTP, local host names)
            for name in ("SITE_URL", "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "ALLOWED_HOSTS"):
                del self.env[name]
        self.workers = workers
        self.wsgi = wsgi
        self.postgres = postgres
        self.process: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def command(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(BIN / "commonground"), *args], env=self.env, capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"commonground {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def start_logging_to(self, log) -> Server:
        """Start, sending the server's own output (errors included) to an open file."""
        return self.start(stdout=log, stderr=subprocess.STDOUT)

    def start(self, **popen) -> Server:
        if self.postgres:
            # built once per run (migrated, then the demo loaded) and copied, as the SQLite one below
            self.env["DATABASE_URL"] = postgres_installation_copy(self.data_dir, demo=True)
        elif self.env["DATABASE_URL"]:
            self.command("demo", "--no-serve")
        else:
            # the demo seeded once per test run, then copied: seeding is the slowest part of a start (`demo
            # --port` below still migrates, finds the demo loaded, collects the static files and serves)
            installation_copy(self.data_dir, demo=True)
        serve = {
            "gunicorn": [str(BIN / "gunicorn"), "commonground.wsgi", "-b", f"127.0.0.1:{self.port}",
                         "-w", str(self.workers), "--log-level", "warning", "--graceful-timeout", "5"],
            "runserver": [str(BIN / "commonground"), "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            "demo": [str(BIN / "commonground"), "demo", "--port", str(self.port)],
        }  # fmt: skip
        self.process = subprocess.Popen(serve[self.wsgi], env=self.env, **popen)
        if (
            self.wsgi != "demo"
        ):  # the demo starts its own; mail and large imports wait for one, as in production
            self.worker = subprocess.Popen([str(BIN / "commonground"), "worker"], env=self.env, **popen)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.wsgi} did not answer on /healthz within 60 s")

    def stop(self) -> None:
        if self.worker and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.worker.kill()
        if self.process and self.process.poll() is None:
            # Ctrl-C, as a user stops the demo: it stops its task worker on the way out.
            self.process.send_signal(signal.SIGINT if self.wsgi == "demo" else signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        if self.postgres and self.env["DATABASE_URL"]:
            url = self.env["DATABASE_URL"]
            drop(url.rsplit("/", 1)[0] + "/", url.rsplit("/", 1)[1])

    def all_mail(self) -> str:
        """Every mail sent so far (the task worker's and the server's), oldest first."""
        files = (
            sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)
            if self.mail_dir.exists()
            else []
        )
        return "\n".join(path.read_text() for path in files)

    def last_mail(self) -> str:
        files = (
            sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)
            if self.mail_dir.exists()
            else []
        )
        return files[-1].read_text() if files else ""

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
