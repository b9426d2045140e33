"""The test database of each pytest-xdist worker: migrated once for the test run, then copied.

pytest-django gives each worker a database of its own (test_<name>_gw0, _gw1, ...) and migrates each from
nothing, tens of seconds a worker. Here the first worker to need one migrates its own as pytest-django does and
keeps a copy of it, the template (a SQLite file in the run's shared folder, or a PostgreSQL database named
`<its test database>_template`); every other worker's database is a copy of the template (SQLite's backup,
PostgreSQL's CREATE DATABASE ... TEMPLATE), made under a lock the workers share. The worker that made the
template drops it when its own tests end; a worker that needs a database after that migrates one and makes the
template again. One process alone, --reuse-db, --nomigrations and any other kind of database migrate as
pytest-django does.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import setup_databases, teardown_databases


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be migrating or copying: wait for it
        yield


def _copyable(connection) -> bool:
    if connection.vendor == "sqlite":
        return connection.creation.is_in_memory_db(connection.creation._get_test_db_name())
    return connection.vendor == "postgresql"


def _quoted(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _use(connection, name: str) -> str:
    """Point the connection (and the settings, as Django's test runner does) at the test database `name`."""
    old_name = connection.settings_dict["NAME"]
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    return old_name


def make_template(connection, folder: Path) -> str:
    """Copy the connection's migrated test database into a template; return where the template is."""
    if connection.vendor == "sqlite":
        path = folder / f"cg-test-database-{connection.alias}.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return str(path)
    name = f"{connection.settings_dict['NAME']}_template"
    connection.close()  # PostgreSQL copies a database no session is connected to
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(connection, name)}")
        cursor.execute(
            f"CREATE DATABASE {_quoted(connection, name)} TEMPLATE {_quoted(connection, connection.settings_dict['NAME'])}"
        )
    return name


def copy_template(connection, template: str) -> str:
    """Make the connection's test database a copy of the template; return the name the settings had."""
    name = connection.creation._get_test_db_name()
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(connection, name)}")
            cursor.execute(
                f"CREATE DATABASE {_quoted(connection, name)} TEMPLATE {_quoted(connection, template)}"
            )
    old_name = _use(connection, name)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(template)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    return old_name


def drop_template(connection, template: str) -> None:
    if connection.vendor == "sqlite":
        Path(template).unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quoted(connection, template)}")


def set_up_databases(
    *,
    verbosity: int,
    aliases: set[str],
    serialized_aliases: set[str],
    shared: Path,
    keepdb: bool = False,
    connection=None,
) -> Callable[[], None]:
    """Set up the test databases as pytest-django's `django_db_setup` does, and return what destroys them.
    `shared` is the folder every worker of the run shares; `connection` the one to copy into (the default)."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if keepdb or workers < 2 or set(aliases) != {connection.alias} or not _copyable(connection):
        old_config = setup_databases(
            verbosity=verbosity, interactive=False, aliases=aliases, serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )  # fmt: skip
        return lambda: None if keepdb else teardown_databases(old_config, verbosity=verbosity)

    marker = shared / f"cg-test-database-{connection.vendor}.json"
    lock = shared / f"cg-test-database-{connection.vendor}.lock"
    with _locked(lock):
        if marker.exists():
            old_config = [(connection, copy_template(connection, json.loads(marker.read_text())), True)]
            if connection.alias in serialized_aliases:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
            return lambda: teardown_databases(old_config, verbosity=verbosity)
        old_config = setup_databases(
            verbosity=verbosity, interactive=False, aliases=aliases, serialized_aliases=serialized_aliases
        )
        template = make_template(connection, shared)
        marker.write_text(json.dumps(template))

    def tear_down() -> None:
        with _locked(lock):  # no worker copies the template while it goes
            marker.unlink(missing_ok=True)
            drop_template(connection, template)
        teardown_databases(old_config, verbosity=verbosity)

    return tear_down
