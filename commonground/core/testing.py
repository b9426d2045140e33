"""Helpers the test suites share: the console command run as a user runs it, and the permission matrix.

An app states who may do what in `<app>/tests/permission_rows.py`: `API` (operation: builder, expected
status by role), `PAGES` (URL name: builder, method, expected status by role) and optionally
`build(world)`, which adds the records its rows act on. `rows()` gathers them in the order of
`INSTALLED_APPS` (so an app's part may use a lower app's records); `missing_rows()` lists every API
operation and page that no app gave a row, and every row that names nothing.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from itertools import count
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

COMMAND = shutil.which("commonground") or str(Path(sys.executable).with_name("commonground"))


def run_command(
    *args: str, data_dir: Path, database_url: str = "", **env: str
) -> subprocess.CompletedProcess:
    """Run `commonground ARGS` in a real process with its own data folder (SQLite unless database_url)."""
    environment = {**os.environ, "COMMONGROUND_DATA_DIR": str(data_dir), **env}
    environment["DATABASE_URL"] = database_url
    return subprocess.run([COMMAND, *args], capture_output=True, text=True, env=environment, timeout=300)


# One installation of each kind per test run, built on first use and then copied: migrating takes seconds and
# seeding the demo tens of seconds, a copy a fraction of one. pytest-xdist's workers share them (the first to
# need one builds it under a lock while the others wait), so a run builds each once, not once per worker.
_INSTALLATIONS: dict[str, Path] = {}
_NOT_COPIED = shutil.ignore_patterns("mail")
_shared_root: Path | None = None
# A folder that every process of a CI run shares (`.ci/run` makes it, and removes it at the end): the suite's two
# runs, the fuzzing and the load test then build each installation once between them, not once each.
SHARED_INSTALLATIONS = "COMMONGROUND_TEST_INSTALLATIONS"


def _shared_by_the_run() -> Path | None:
    folder = os.environ.get(SHARED_INSTALLATIONS)
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def share_installations(tmp_path_factory) -> None:
    """Keep the built installations where every process of this test run finds them: the run's own temporary
    folder (the workers' folders sit in it), which pytest removes with the run's other folders; or the CI run's
    shared folder (SHARED_INSTALLATIONS) when it names one."""
    global _shared_root
    if _shared_root is None:
        _shared_root = _shared_by_the_run() or run_folder(tmp_path_factory)


def run_folder(tmp_path_factory) -> Path:
    """The test run's own temporary folder, which all of its processes share (each worker's sits in it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _built(kind: str) -> Path:
    """Return the folder of the installation `kind`, building it (once per test run) if no process has."""
    if kind in _INSTALLATIONS:
        return _INSTALLATIONS[kind]
    root = _shared_root or _shared_by_the_run()
    if root is None:  # outside pytest (a benchmark, a script) and outside CI: this process's own
        root = Path(tempfile.mkdtemp(prefix="cg-installations-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
    folder = root / f"cg-installation-{kind}"
    with open(root / f"cg-installation-{kind}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building it: wait for it
        if not folder.exists():
            building = Path(tempfile.mkdtemp(prefix=f"cg-building-{kind}-", dir=root))
            if kind == "demo":
                # the demo's own command, on a copy of the migrated installation (its migrate finds nothing to do)
                shutil.copytree(_built("migrated"), building, ignore=_NOT_COPIED, dirs_exist_ok=True)
                command = ("demo", "--no-serve")
            else:
                command = ("migrate",)
            result = run_command(*command, data_dir=building)
            if result.returncode != 0:
                raise RuntimeError(
                    f"could not build the {kind} installation:\n{result.stdout}\n{result.stderr}"
                )
            building.rename(folder)  # whole or not at all: a worker that finds the folder finds it built
    _INSTALLATIONS[kind] = folder
    return folder


# A test marked so runs the real commands on installations of its own (SQLite unless it names a database) and
# never the test database: it is the same whatever database the suite runs on, so `.ci/run` runs it once, in the
# SQLite run, not again in the PostgreSQL one.
OWN_INSTALLATIONS = "own_installations"


def own_installations_on_the_test_database(items) -> list[str]:
    """The tests marked `own_installations` that use the test database all the same (they would then not run on
    PostgreSQL at all)."""
    return [
        item.nodeid
        for item in items
        if item.get_closest_marker(OWN_INSTALLATIONS)
        and (item.get_closest_marker("django_db") or "_django_db_helper" in item.fixturenames)
    ]


def installation_copy(target: Path, *, demo: bool) -> Path:
    """Fill the folder `target` with a SQLite installation: migrated, and with the demo seeded if `demo`.

    Built once per test run by the real command (`migrate`, then `demo --no-serve` on a copy), then copied.
    A test whose subject is migrating or seeding itself runs the command instead."""
    shutil.copytree(_built("demo" if demo else "migrated"), target, ignore=_NOT_COPIED, dirs_exist_ok=True)
    return target


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


# A former member: a login whose person was removed from their organization (`registry.services.person_delete`);
# it may still sign in, and sees what an outsider sees (the registry's rows build it: `World.user`).
ROLES = [
    "visitor",
    "member",
    "admin_own",
    "admin_other",
    "cochair",
    "facilitator",
    "outsider",
    "former_member",
]
USER_OF_ROLE = {"member": "member", "admin_own": "admin", "admin_other": "other_admin", "cochair": "cochair", "facilitator": "facilitator", "outsider": "outsider"}  # fmt: skip
ROWS_MODULE = "tests.permission_rows"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# Tables a refused request may write: the session and the row listing it, the login throttle's attempts, the
# sign-in token.
NOT_STATE = ("django_session", "accounts_signedinsession", "axes_", "accounts_apitoken")
unique = count()


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Return the status each role expects; a former member expects an outsider's unless told otherwise."""
    overrides.setdefault("former_member", overrides.get("outsider", default))
    return {role: overrides.get(role, default) for role in ROLES}


API_LIST = expect(200, visitor=401)
API_READ = expect(200, visitor=401, outsider=404)
PAGE_READ = expect(200, visitor=302, outsider=404)
PAGE_LEADERS = expect(403, visitor=302, outsider=404, cochair=200, facilitator=200)
PAGE_ORG_EDITORS = expect(403, visitor=302, outsider=404, admin_own=200, cochair=200, facilitator=200)
DECIDERS = expect(403, visitor=401, outsider=404, cochair=200, facilitator=200)
PAGE_POST = expect(302, outsider=404)
PAGE_DECIDERS = expect(403, visitor=302, outsider=404, cochair=302, facilitator=302)
PAGE_RECORDERS = expect(200, visitor=302, outsider=404, member=403)
POST_EDITORS = expect(403, visitor=302, outsider=404, admin_own=302, cochair=302, facilitator=302)


@dataclass
class World:
    """The table (a community, its organizations, a user per role) and the records each app adds."""

    table: object
    records: dict[str, object] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # a role's session key (`sign_in`)

    def __getattr__(self, name: str):
        try:
            return self.__dict__["records"][name]
        except KeyError:
            raise AttributeError(name) from None

    def add(self, **records) -> None:
        clash = set(records) & set(self.records)
        assert not clash, f"two apps name the same world record: {clash}"
        self.records.update(records)

    def user(self, role: str):
        if role == "visitor":
            return None
        return getattr(self.table, USER_OF_ROLE[role]) if role in USER_OF_ROLE else self.records[role]

    def sign_in(self) -> None:
        """Sign each role in once for all of the world's tests (a sign-in writes the session, its row, the login
        throttle's and the user's last login: a thirtieth of a second), when the database keeps the sessions:
        then each test's savepoint undoes what its requests did to them."""
        from django.conf import settings

        if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
            return
        for role in ROLES:
            if self.user(role) is not None:
                self.sessions[role] = page_client(self.user(role)).cookies[settings.SESSION_COOKIE_NAME].value

    def page_client(self, role: str):
        """A test client for the pages, signed in as the role's user (anonymous for the visitor)."""
        from django.conf import settings
        from django.test import Client

        if role in self.sessions:
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
            return client
        return Client() if self.user(role) is None else page_client(self.user(role))


def row_modules() -> list[ModuleType]:
    """Return each installed app's permission rows module, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.{ROWS_MODULE}"
        try:
            found.append(import_module(name))
        except ModuleNotFoundError as error:
            if error.name is None or not name.startswith(error.name):
                raise
    return found


def rows() -> tuple[dict, dict]:
    """Gather every app's API and page rows, refusing a row two apps both declare."""
    api, pages = {}, {}
    for module in row_modules():
        for gathered, declared in ((api, getattr(module, "API", {})), (pages, getattr(module, "PAGES", {}))):
            assert not set(gathered) & set(declared), f"{module.__name__} repeats a row of another app"
            gathered.update(declared)
    return api, pages


def build_world(table) -> World:
    """Build the matrix's world: the table, then each app's records."""
    world = World(table=table)
    for module in row_modules():
        if hasattr(module, "build"):
            module.build(world)
    return world


def api_operations() -> set[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    }


def page_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= page_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def missing_rows() -> dict[str, set]:
    """Name the operations and pages without a row, and the rows that name no operation or page."""
    api, pages = rows()
    operations, names = api_operations(), page_names()
    return {
        "operations without a row": operations - set(api),
        "rows without an operation": set(api) - operations,
        "pages without a row": names - set(pages),
        "rows without a page": set(pages) - names,
    }


def state_tables() -> list[str]:
    """Name the tables whose rows are the installation's state (sessions and login bookkeeping aside)."""
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor)
    return sorted(name for name in names if not name.startswith(NOT_STATE) and not name.startswith("sqlite_"))


def table_digest(table: str) -> str:
    """Return a digest of a table's rows, the same whatever order the database reads them in."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name)
        found = sorted(repr(row) for row in cursor.fetchall())
    return hashlib.sha1("\n".join(found).encode(), usedforsecurity=False).hexdigest()


def database_state() -> dict[str, str]:
    """Return a digest of every table's rows (sessions and login bookkeeping aside)."""
    return {table: table_digest(table) for table in state_tables()}


# The statements that change no table's rows; any other statement whose table cannot be named is taken as
# a write to every table.
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "EXPLAIN", "SET", "SHOW")
WRITE = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)
# A statement with common table expressions (WITH ...) writes only through one of these words; one without
# them is a read (the viewer's own query is one, on every request).
WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|REPLACE|MERGE)\b")


def reads_only(sql: str) -> bool:
    """Whether the statement changes no table's rows (for certain: a doubt counts as a write)."""
    statement = sql.lstrip().upper()
    if statement.startswith("WITH"):
        return not WRITE_WORD.search(statement)
    return statement.startswith(READS)


@dataclass
class WriteWatch:
    """The tables a block of code changed, digested just before each one's first write and again after.

    Cheaper than `database_state()` before and after (which reads every table twice) and as exact: a
    table is digested before the first statement that may write it runs, so a write that leaves the rows
    as they were is no change.
    """

    before: dict[str, str] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)

    def __call__(self, execute, sql, params, many, context):
        if not reads_only(sql):
            named = WRITE.match(sql)
            tables = [named.group(1)] if named else state_tables()
            for table in tables:
                if table not in self.before and not table.startswith(NOT_STATE):
                    self.before[table] = table_digest(table)
        return execute(sql, params, many, context)

    def finish(self) -> None:
        self.changed = {table for table, digest in self.before.items() if table_digest(table) != digest}


@contextmanager
def watching_writes():
    """Yield a `WriteWatch`; when the block ends, its `changed` names the tables whose rows changed."""
    watch = WriteWatch()
    with connection.execute_wrapper(watch):
        yield watch
    watch.finish()


def changed_tables(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}
