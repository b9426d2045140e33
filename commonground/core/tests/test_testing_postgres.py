"""The PostgreSQL installations a CI run builds once and copies (core.testing_postgres), with the commands that
build them stood in for by ones that leave a mark: what is built, how often, and what a copy holds."""

from types import SimpleNamespace

import psycopg
import pytest

from commonground.core import testing, testing_postgres

pytestmark = pytest.mark.own_installations  # the same on any test database: run once (core.testing)

SERVER = testing_postgres.SERVER


def tables(database_url: str) -> set[str]:
    with psycopg.connect(database_url) as connection:
        rows = connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {row[0] for row in rows}


@pytest.fixture
def ci_run(tmp_path, monkeypatch):
    """A CI run's shared folder, and the commands run in it (each leaves a table and a file named after it);
    every database named in the folder is dropped at the end."""
    try:
        psycopg.connect(SERVER + "postgres", connect_timeout=3).close()
    except psycopg.Error:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    commands = []

    def command(*args, data_dir, database_url):
        commands.append(args[0])
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute(f'CREATE TABLE "{args[0]}_ran" (id int)')
        (data_dir / f"{args[0]}_ran").write_text("")
        return SimpleNamespace(returncode=0, stdout="", stderr="")

    monkeypatch.setattr(testing_postgres, "run_command", command)
    monkeypatch.setenv(testing.SHARED_INSTALLATIONS, str(tmp_path / "ci"))
    copies = []
    yield SimpleNamespace(folder=tmp_path / "ci", commands=commands, copies=copies)
    for name in [*(named.read_text() for named in (tmp_path / "ci").glob("cg-postgres-*.name")), *copies]:
        testing_postgres.drop(SERVER, name)


def copy(ci_run, target, *, demo):
    url = testing_postgres.postgres_installation_copy(target, demo=demo)
    ci_run.copies.append(url.rsplit("/", 1)[1])
    return url


def test_each_kind_is_built_once_for_the_run_the_demo_on_a_copy_of_the_migrated_one(ci_run, tmp_path):
    demo = copy(ci_run, tmp_path / "load", demo=True)  # the load test's
    again = copy(ci_run, tmp_path / "bench", demo=True)  # the benchmarks', in another process
    migrated = copy(ci_run, tmp_path / "backup", demo=False)
    assert ci_run.commands == ["migrate", "demo"]
    assert tables(demo) == tables(again) == {"migrate_ran", "demo_ran"}
    assert tables(migrated) == {"migrate_ran"}
    # each copy's data folder is the template's (the secret key the demo's credential keys are encrypted under)
    assert {path.name for path in (tmp_path / "bench").iterdir()} == {"migrate_ran", "demo_ran"}
    assert {path.name for path in (tmp_path / "backup").iterdir()} == {"migrate_ran"}
    assert len({demo, again, migrated}) == 3


def test_a_build_that_stopped_half_way_is_dropped_and_built_again(ci_run, tmp_path):
    ci_run.folder.mkdir()
    half = "cg_installation_migrated_halfway"
    testing_postgres.drop(SERVER, half)
    with psycopg.connect(SERVER + "postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{half}"')
    (ci_run.folder / "cg-postgres-migrated.name").write_text(half)  # named, never marked built
    url = copy(ci_run, tmp_path / "backup", demo=False)
    assert ci_run.commands == ["migrate"] and tables(url) == {"migrate_ran"}
    with psycopg.connect(SERVER + "postgres") as connection:
        left = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [half]).fetchall()
    assert left == []
    assert (ci_run.folder / "cg-postgres-migrated.name").read_text() != half
