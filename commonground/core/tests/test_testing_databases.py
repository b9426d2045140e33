"""The workers' test databases: the first worker migrates its own, the others get a copy of it
(`core.testing_databases`), on the database the suite runs on."""

import uuid

from django.db import connection as default_connection
from django.db.utils import load_backend

from commonground.core import testing_databases
from commonground.core.testing_databases import set_up_databases


def worker_connection(worker: str, monkeypatch, run: str):
    """A connection of the suite's kind of database for a worker of another test run (its own settings)."""
    configured = {**default_connection.settings_dict, "TEST": {"NAME": None}}
    if default_connection.vendor == "postgresql":
        configured["TEST"] = {"NAME": f"test_cg_copies_{run}_{worker}"}
    alias = f"copies_{run}_{worker}"
    monkeypatch.setitem(testing_databases.settings.DATABASES, alias, configured)
    return load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)


def rows(connection) -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM migrated_here")
        return cursor.fetchall()


def databases_named(connection, prefix: str) -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"])
        return [name for (name,) in cursor.fetchall()]


def test_the_first_worker_migrates_the_others_copy_until_it_ends(tmp_path, monkeypatch, django_db_blocker):
    # Connections of their own, outside the test's transaction (which would not let them connect).
    run = uuid.uuid4().hex[:8]
    with django_db_blocker.unblock():
        try:
            the_workers_databases(tmp_path, monkeypatch, run)
        finally:  # on a failure too, no database is left behind
            connection = worker_connection("cleaner", monkeypatch, run)
            for name in databases_named(connection, f"test_cg_copies_{run}"):
                with connection._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE "{name}"')


def the_workers_databases(tmp_path, monkeypatch, run):
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "3")
    migrated = []

    def migrate(*, aliases, **options):
        """Stands for Django's `setup_databases`: creates the worker's test database and migrates it."""
        (alias,) = aliases
        connection = next(c for c in workers if c.alias == alias)
        name = connection.creation._get_test_db_name()
        if connection.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        old_name = testing_databases._use(connection, name)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE migrated_here (note varchar(60))")
            cursor.execute("INSERT INTO migrated_here VALUES (%s)", [f"by {alias}"])
        migrated.append(alias)
        return [(connection, old_name, True)]

    monkeypatch.setattr(testing_databases, "setup_databases", migrate)
    workers = [worker_connection(worker, monkeypatch, run) for worker in ("gw0", "gw1", "gw2")]
    first, second, third = workers

    def set_up(connection):
        return set_up_databases(
            verbosity=0, aliases={connection.alias}, serialized_aliases=set(), shared=tmp_path,
            connection=connection,
        )  # fmt: skip

    ends = [set_up(first), set_up(second)]
    assert migrated == [first.alias]
    assert rows(second) == [(f"by {first.alias}",)]
    # each its own database: a write in one is not in the other
    with second.cursor() as cursor:
        cursor.execute("INSERT INTO migrated_here VALUES ('second')")
    assert rows(first) == [(f"by {first.alias}",)]

    ends[0]()  # the first worker's tests are over: its template goes with it, the next worker migrates
    ends.append(set_up(third))
    assert migrated == [first.alias, third.alias]
    assert rows(third) == [(f"by {third.alias}",)]
    for end in ends[1:]:
        end()
    assert not list(tmp_path.glob("*.sqlite3")) and not list(tmp_path.glob("*.json"))
    assert databases_named(first, f"test_cg_copies_{run}") == []
