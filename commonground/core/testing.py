"""Helpers the test suites share: the console command run as a user runs it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

COMMAND = shutil.which("commonground") or str(Path(sys.executable).with_name("commonground"))


def run_command(
    *args: str, data_dir: Path, database_url: str = "", **env: str
) -> subprocess.CompletedProcess:
    """Run `commonground ARGS` in a real process with its own data folder (SQLite unless database_url)."""
    environment = {**os.environ, "COMMONGROUND_DATA_DIR": str(data_dir), **env}
    environment["DATABASE_URL"] = database_url
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, env=environment, timeout=300)


def page_client(user):
    """A test client for the pages, logged in as the user."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def api_client(user):
    """A test client for the API, authenticated as the user."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client
