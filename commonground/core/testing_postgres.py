"""PostgreSQL installations for the steps of a CI run that start real commands on one: migrated, or with the demo
loaded, built once for the run and then copied (CREATE DATABASE ... TEMPLATE), as `core.testing` does for SQLite.

Migrating a PostgreSQL database from nothing takes some 13 s and loading the demo into it a minute on this
machine; CI's backup test, its PostgreSQL load test and its benchmarks each did one or both. In a CI run
(`core.testing.SHARED_INSTALLATIONS` names a folder) a template database of each kind is built by the first
process to need it, under a lock in that folder, which also keeps the template's data folder (its secret key)
and a file naming it; `.ci/run` drops the templates those files name when it ends. Elsewhere (a developer's run)
each process builds its own, and drops it when it exits.
"""

from __future__ import annotations

import atexit
import fcntl
import shutil
import tempfile
import uuid
from pathlib import Path

import psycopg

from .testing import _shared_by_the_run, run_command

SERVER = "postgres://postgres@127.0.0.1:5432/"
_NOT_COPIED = shutil.ignore_patterns("mail")
_own: dict[str, tuple[str, Path]] = {}  # kind: (template, its data folder), this process's (outside CI)


def _execute(server: str, sql: str) -> None:
    with psycopg.connect(server + "postgres", autocommit=True) as connection:
        connection.execute(sql)


def drop(server: str, name: str) -> None:
    _execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _build(kind: str, server: str, folder: Path, name: str) -> None:
    """Build the template database `name` of `kind`, with `folder` as its data folder."""
    if kind == "demo":
        # the demo's own command on a copy of the migrated one (its migrate finds nothing to do)
        migrated, its_folder = template(demo=False, server=server)
        copy_database(server, migrated, name)
        shutil.copytree(its_folder, folder, ignore=_NOT_COPIED, dirs_exist_ok=True)
        command = ("demo", "--no-serve")
    else:
        _execute(server, f'CREATE DATABASE "{name}"')
        command = ("migrate",)
    result = run_command(*command, data_dir=folder, database_url=server + name)
    if result.returncode != 0:
        drop(server, name)
        raise RuntimeError(
            f"could not build the PostgreSQL {kind} installation:\n{result.stdout}\n{result.stderr}"
        )


def _new_name(kind: str) -> str:
    return f"cg_installation_{kind}_{uuid.uuid4().hex[:10]}"


def _template(kind: str, server: str) -> tuple[str, Path]:
    """The template database of `kind` and its data folder, built if no process of the run has."""
    root = _shared_by_the_run()
    if root is None:
        if kind not in _own:
            folder, name = Path(tempfile.mkdtemp(prefix=f"cg-postgres-{kind}-")), _new_name(kind)
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            atexit.register(drop, server, name)
            _build(kind, server, folder, name)
            _own[kind] = (name, folder)
        return _own[kind]
    folder, named, built = (root / f"cg-postgres-{kind}{end}" for end in ("", ".name", ".built"))
    with open(root / f"cg-postgres-{kind}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building it: wait for it
        if not built.exists():
            if named.exists():  # a build that stopped half way
                drop(server, named.read_text())
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            named.write_text(_new_name(kind))  # named before it is built: `.ci/run` drops it at the end
            _build(kind, server, folder, named.read_text())
            built.touch()
    return named.read_text(), folder


def copy_database(server: str, template: str, name: str = "") -> str:
    """Make the database `name` (a new name if '') a copy of `template`; return its name."""
    name = name or f"cg_copy_{uuid.uuid4().hex[:10]}"
    _execute(server, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def template(*, demo: bool, server: str = SERVER) -> tuple[str, Path]:
    """The name of the run's template database, migrated (with the demo loaded if `demo`), and its data folder."""
    return _template("demo" if demo else "migrated", server)


def postgres_installation_copy(target: Path, *, demo: bool, server: str = SERVER) -> str:
    """Fill the folder `target` with a PostgreSQL installation's data folder and return the DATABASE_URL of a new
    database that is a copy of the run's migrated one (with the demo loaded, if `demo`); the caller drops it."""
    name, folder = template(demo=demo, server=server)
    shutil.copytree(folder, target, ignore=_NOT_COPIED, dirs_exist_ok=True)
    return server + copy_database(server, name)
