"""REDIS_URL switches the cache, throttles, lock-outs and task queue to state every server shares; sessions stay
in the database; uploaded files go where MEDIA_ROOT and IMPORT_UPLOAD_DIR say. The RQ queue is worked by a
real `commonground worker`, which retries a failed mail on its scheduler."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from commonground.core.redis_settings import DB_TASKS_BACKEND, RQ_TASKS_BACKEND, shared_state_settings
from commonground.core.testing import installation_copy

pytestmark = pytest.mark.own_installations  # the same on any test database: run once (core.testing)

REDIS = "redis://127.0.0.1:6379"


def test_without_redis_each_server_keeps_its_own():
    shared = shared_state_settings("")
    assert shared["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert shared["TASKS"]["default"]["BACKEND"] == DB_TASKS_BACKEND
    assert shared["AXES_HANDLER"] == "axes.handlers.database.AxesDatabaseHandler"
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert shared["EXTRA_APPS"] == [] and "RQ_QUEUES" not in shared


def test_with_redis_the_servers_share_cache_throttles_lockouts_and_queue():
    shared = shared_state_settings(f"{REDIS}/3", key_prefix="cg1")
    assert shared["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"{REDIS}/3",
        "KEY_PREFIX": "cg1",
    }
    assert shared["TASKS"]["default"]["BACKEND"] == RQ_TASKS_BACKEND
    assert shared["RQ_QUEUES"]["default"]["URL"] == f"{REDIS}/3"
    assert (
        shared["AXES_HANDLER"] == "axes.handlers.cache.AxesCacheHandler" and shared["AXES_CACHE"] == "default"
    )
    # Sessions stay in the database: ending them is deleting their rows, seen at once by every server.
    assert shared["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert shared["EXTRA_APPS"] == ["django_rq", "django_tasks_rq"]


def test_tasks_backend_overrides_the_queue():
    assert shared_state_settings(REDIS, tasks_backend=DB_TASKS_BACKEND)["TASKS"]["default"]["BACKEND"] == (
        DB_TASKS_BACKEND
    )


# What the tests below do not set is unset: a suite run on PostgreSQL, or with Redis, does not leak in.
UNSET = {
    name: ""
    for name in (
        "DATABASE_URL",
        "REDIS_URL",
        "REDIS_KEY_PREFIX",
        "TASKS_BACKEND",
        "MEDIA_ROOT",
        "IMPORT_UPLOAD_DIR",
    )
}


def commonground(*args, env, timeout=300) -> subprocess.CompletedProcess:
    """Run the command line in a fresh process. The timeout only stops a hung process: a migration from empty took
    over 60 s while both suites and the browser tests shared CI's two cores."""
    return subprocess.run(
        [sys.executable, "-m", "commonground.cli", *args],
        env={**os.environ, **UNSET, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({'cache': s.CACHES['default'], "
    "'tasks': s.TASKS['default']['BACKEND'], 'axes': s.AXES_HANDLER, 'session': s.SESSION_ENGINE, "
    "'rq': 'django_rq' in s.INSTALLED_APPS, 'media': str(s.MEDIA_ROOT), 'imports': str(s.IMPORT_UPLOAD_DIR)}))"
)


def test_the_settings_read_the_environment(tmp_path):
    env = {"COMMONGROUND_DATA_DIR": str(tmp_path), "REDIS_URL": f"{REDIS}/5", "REDIS_KEY_PREFIX": "run1"}
    env |= {
        "MEDIA_ROOT": str(tmp_path / "shared/media"),
        "IMPORT_UPLOAD_DIR": str(tmp_path / "shared/imports"),
    }
    shown = json.loads(commonground("shell", "--no-imports", "-c", SHOW, env=env).stdout)
    assert shown["cache"]["LOCATION"] == f"{REDIS}/5" and shown["cache"]["KEY_PREFIX"] == "run1"
    assert shown["tasks"] == RQ_TASKS_BACKEND and shown["rq"]
    assert shown["axes"].endswith("AxesCacheHandler") and shown["session"].endswith("backends.db")
    assert (shown["media"], shown["imports"]) == (env["MEDIA_ROOT"], env["IMPORT_UPLOAD_DIR"])
    # The RQ backend's own checks (django_rq installed, the queue configured) pass.
    checked = commonground("check", env=env)
    assert checked.returncode == 0, checked.stderr
    plain = json.loads(
        commonground("shell", "--no-imports", "-c", SHOW, env={"COMMONGROUND_DATA_DIR": str(tmp_path)}).stdout
    )
    assert (
        plain["tasks"] == DB_TASKS_BACKEND and not plain["rq"] and plain["media"] == str(tmp_path / "media")
    )


def free_redis_database():
    """Claim an empty Redis database for this test (the suite may run twice side by side), or skip when there
    is no Redis. The caller flushes it."""
    import redis

    try:
        for number in range(15, 0, -1):
            client = redis.Redis.from_url(f"{REDIS}/{number}")
            if client.dbsize() == 0 and client.set("commonground:claimed", os.getpid(), nx=True, ex=600):
                return number
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    pytest.skip("no empty Redis database")


ENQUEUE = (
    "from commonground.core.mail import mail_enqueue, mail_message; "
    "mail_enqueue([mail_message(subject='Queued on RQ', body='Hello', to=['a@example.org'])])"
)


def test_the_rq_worker_sends_and_retries_a_mail(tmp_path):
    import redis

    number = free_redis_database()
    mail_dir = tmp_path / "mail"
    env = {
        "COMMONGROUND_DATA_DIR": str(tmp_path),
        "REDIS_URL": f"{REDIS}/{number}",
        "EMAIL_BACKEND": "commonground.core.tests.flaky_mail.DownBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MAIL_RETRY_SECONDS": "1",
    }
    try:
        # An installation's database (the worker looks up whether each addressee may still be mailed): a copy of
        # a migrated one. django_rq's own migrations, which Redis adds, make no table (its one model is unmanaged,
        # for the admin's permission): neither the enqueueing nor the worker reads one.
        installation_copy(tmp_path, demo=False)
        assert commonground("shell", "-c", ENQUEUE, env=env).returncode == 0
        down = commonground("worker", "--batch", env=env)  # the mail server is down: the attempt fails
        assert down.returncode == 0 and "ConnectionRefusedError" in down.stderr + down.stdout
        assert not mail_dir.exists() or not list(mail_dir.iterdir())
        time.sleep(1.5)  # the retry's back-off
        up = commonground(
            "worker",
            "--batch",
            env={**env, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"},
        )
        assert up.returncode == 0, up.stderr
        sent = [path.read_text() for path in Path(mail_dir).iterdir()]
        assert len(sent) == 1 and "Queued on RQ" in sent[0]
    finally:
        redis.Redis.from_url(f"{REDIS}/{number}").flushdb()
