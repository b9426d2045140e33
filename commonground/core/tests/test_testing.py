"""The suites' own instruments: a write watch that missed a change would let a refused write pass unseen."""

from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.urls import reverse

from commonground.communities.models import Community
from commonground.core.testing import (
    ROLES,
    World,
    database_state,
    own_installations_on_the_test_database,
    watching_writes,
)
from commonground.registry.models import Organization
from commonground.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_through_the_orm_is_seen(table):
    with watching_writes() as writes:
        Organization.objects.filter(pk=table.private_org.pk).update(name="Renamed Bakery")
    assert writes.changed == {Organization._meta.db_table}


def test_a_write_that_leaves_the_rows_as_they_were_is_no_change(table):
    name = table.private_org.name
    with watching_writes() as writes:
        Organization.objects.filter(pk=table.private_org.pk).update(name=name)
        Organization.objects.filter(pk=-1).delete()
    assert writes.changed == set()


def test_a_write_rolled_back_is_no_change(table):
    with watching_writes() as writes, transaction.atomic():
        Community.objects.filter(pk=table.community.pk).update(name="Elsewhere")
        transaction.set_rollback(True)
    assert writes.changed == set()


def test_reads_alone_digest_nothing(table):
    with watching_writes() as writes:
        list(Organization.objects.all())
    assert writes.before == {} and writes.changed == set()


def test_a_raw_statement_it_cannot_name_counts_as_a_write_to_every_table(table):
    """A statement whose table the watch cannot read off (a CTE) makes it digest every table first."""
    table_name = Community._meta.db_table
    with watching_writes() as writes, connection.cursor() as cursor:
        cursor.execute(
            f'WITH chosen AS (SELECT id FROM "{table_name}") '  # noqa: S608 (a table name)
            f'UPDATE "{table_name}" SET name = %s WHERE id IN (SELECT id FROM chosen)',
            ["Renamed"],
        )
    assert table_name in writes.changed
    assert set(writes.before) == set(database_state())


def test_a_statement_with_common_table_expressions_that_only_reads_digests_nothing(table):
    """The viewer's own query (every request reads it) is a CTE: taken as a write, it made every watched
    request digest every table twice."""
    table_name = Community._meta.db_table
    with watching_writes() as writes, connection.cursor() as cursor:
        cursor.execute(f'WITH chosen AS (SELECT id FROM "{table_name}") SELECT id FROM chosen')  # noqa: S608
    assert writes.before == {} and writes.changed == set()


def test_a_world_signs_each_role_in_once_and_a_rolled_back_sign_out_leaves_it_signed_in(table):
    world = World(table=table)
    world.add(former_member=UserFactory())
    world.sign_in()
    assert set(world.sessions) == set(ROLES) - {"visitor"}
    for role in ROLES:
        expected = None if role == "visitor" else str(world.user(role).pk)
        assert world.page_client(role).session.get("_auth_user_id") == expected, role
    with transaction.atomic():
        world.page_client("member").post(reverse("logout"))
        assert world.page_client("member").session.get("_auth_user_id") is None
        transaction.set_rollback(True)
    assert world.page_client("member").session.get("_auth_user_id") == str(table.member.pk)


def test_a_test_marked_as_running_on_its_own_installations_may_not_use_the_test_database():
    """The PostgreSQL run leaves out the tests marked `own_installations`: one on the test database would not run
    on PostgreSQL at all."""

    def item(name, marks=(), fixtures=()):
        marked = {mark: SimpleNamespace(name=mark) for mark in marks}
        return SimpleNamespace(nodeid=name, get_closest_marker=marked.get, fixturenames=list(fixtures))

    items = [
        item("own", ["own_installations"], ["tmp_path"]),
        item("own_with_db", ["own_installations"], ["tmp_path", "_django_db_helper"]),
        item("own_marked_django_db", ["own_installations", "django_db"]),
        item("database", ["django_db"], ["_django_db_helper"]),
    ]
    assert own_installations_on_the_test_database(items) == ["own_with_db", "own_marked_django_db"]


def test_an_installation_is_built_once_for_every_worker_and_the_demo_on_the_migrated_one(
    tmp_path, monkeypatch
):
    """`installation_copy` builds each kind once in the run's shared folder: a second worker (a process that has
    not built it) finds it there and copies it; the demo is seeded on a copy of the migrated installation."""
    from commonground.core import testing

    commands = []

    def command(*args, data_dir):
        commands.append((args, sorted(path.name for path in data_dir.iterdir())))
        with (data_dir / "commonground.sqlite3").open("a") as database:  # what each command left in it
            database.write(" ".join(args) + "\n")
        return SimpleNamespace(returncode=0, stdout="", stderr="")

    monkeypatch.setattr(testing, "run_command", command)
    monkeypatch.setattr(testing, "_shared_root", tmp_path / "run")
    monkeypatch.setattr(testing, "_INSTALLATIONS", {})
    (tmp_path / "run").mkdir()
    first = testing.installation_copy(tmp_path / "first", demo=True)
    monkeypatch.setattr(testing, "_INSTALLATIONS", {})  # another worker
    second = testing.installation_copy(tmp_path / "second", demo=True)
    migrated = testing.installation_copy(tmp_path / "migrated", demo=False)
    assert commands == [(("migrate",), []), (("demo", "--no-serve"), ["commonground.sqlite3"])]
    for demo in (first, second):
        assert (demo / "commonground.sqlite3").read_text() == "migrate\ndemo --no-serve\n"
    assert (migrated / "commonground.sqlite3").read_text() == "migrate\n"


def test_outside_pytest_a_ci_run_s_processes_share_the_installations_in_its_folder(tmp_path, monkeypatch):
    """The fuzzing and load steps (outside pytest) find the installations the suite built in the CI run's folder,
    and build there what it has not."""
    from commonground.core import testing

    commands = []

    def command(*args, data_dir):
        commands.append(args)
        (data_dir / "commonground.sqlite3").write_text(" ".join(args))
        return SimpleNamespace(returncode=0, stdout="", stderr="")

    monkeypatch.setattr(testing, "run_command", command)
    monkeypatch.setattr(testing, "_shared_root", None)  # outside pytest
    monkeypatch.setattr(testing, "_INSTALLATIONS", {})
    monkeypatch.setenv(testing.SHARED_INSTALLATIONS, str(tmp_path / "ci"))
    testing.installation_copy(tmp_path / "fuzz", demo=False)
    monkeypatch.setattr(testing, "_INSTALLATIONS", {})  # the load test's process
    testing.installation_copy(tmp_path / "load", demo=False)
    assert commands == [("migrate",)]
    assert (tmp_path / "ci" / "cg-installation-migrated" / "commonground.sqlite3").read_text() == "migrate"
    assert (tmp_path / "load" / "commonground.sqlite3").read_text() == "migrate"
