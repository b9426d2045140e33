"""What changes when REDIS_URL names a Redis server: the state several application servers must share.

Without REDIS_URL one server keeps its cache, throttle counts and lock-outs in its own memory and database,
and the task queue in the database (`commonground worker` runs `db_worker`). With it:

- the cache is Redis, so DRF's throttles (which count in the cache) count each client once across servers;
- django-axes counts failed logins in that cache (`AxesCacheHandler`): Redis's INCR adds one failure
  whichever server saw it, and the count expires by itself with the cool-off;
- the task queue is RQ on the same Redis (django-tasks-rq), worked by `commonground worker`
  (`rqworker --job-class django_tasks_rq.Job --with-scheduler`, the scheduler running deferred retries);
- sessions stay in the database (`SESSION_ENGINE` is not switched to `cached_db`): every server reads the
  same table, ending a person's sessions is deleting their rows (no cached copy outlives it on another
  server), and a Redis restart or eviction signs nobody out. The cost is one primary-key read a request.

REDIS_KEY_PREFIX keeps the cache keys of two installations (or two test runs) sharing one Redis apart; the
queue's keys are RQ's own, so give each installation its own Redis database number in REDIS_URL (`/1`).
"""

from __future__ import annotations

DB_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_TASKS_BACKEND = "django_tasks_rq.RQBackend"
RQ_JOB_CLASS = "django_tasks_rq.Job"


def shared_state_settings(redis_url: str, *, key_prefix: str = "", tasks_backend: str = "") -> dict:
    """Return the settings to apply for `redis_url` ("" for none): CACHES, TASKS, the axes handler, RQ's
    queues, the apps RQ needs and the session engine. `tasks_backend` (TASKS_BACKEND) overrides the queue's."""
    if not redis_url:
        return {
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            "TASKS": {"default": {"BACKEND": tasks_backend or DB_TASKS_BACKEND, "QUEUES": ["default"]}},
            "AXES_HANDLER": "axes.handlers.database.AxesDatabaseHandler",
            "SESSION_ENGINE": "django.contrib.sessions.backends.db",
            "EXTRA_APPS": [],
        }
    return {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": key_prefix,
            }
        },
        "TASKS": {"default": {"BACKEND": tasks_backend or RQ_TASKS_BACKEND, "QUEUES": ["default"]}},
        "RQ_QUEUES": {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 3600}},
        "AXES_HANDLER": "axes.handlers.cache.AxesCacheHandler",
        "AXES_CACHE": "default",
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "EXTRA_APPS": ["django_rq", "django_tasks_rq"],
    }


def uses_rq(tasks: dict) -> bool:
    return tasks["default"]["BACKEND"] == RQ_TASKS_BACKEND
