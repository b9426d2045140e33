"""The console command as a user runs it: a real process, its own SQLite database, exit codes."""

import pytest

from commonground.core.testing import installation_copy, run_command

pytestmark = pytest.mark.own_installations  # the same on any test database: run once (core.testing)


def run(*args, data_dir, **env):
    return run_command(*args, data_dir=data_dir, **env)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    return installation_copy(tmp_path_factory.mktemp("data"), demo=True)


def test_demo_prints_a_user_for_each_role(demo_dir):
    result = run("demo", "--no-serve", data_dir=demo_dir)
    assert result.returncode == 0
    for username in ("facilitator", "cochair.public", "cochair.private", "orgadmin", "member"):
        assert username in result.stdout
    assert (demo_dir / "commonground.sqlite3").exists()


def test_a_bad_import_exits_non_zero_with_row_and_column(demo_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,sector,category\nNew Org,private,utility\nOther,private,volcanology\n")
    result = run("import", "organizations", str(bad), "--community", "riverbend", data_dir=demo_dir)
    assert result.returncode != 0
    assert "row 3, column category" in result.stderr
    export = run("export", "organizations", "--community", "riverbend", data_dir=demo_dir)
    assert export.returncode == 0 and "New Org" not in export.stdout


def test_sqlite_runs_in_wal_mode_with_a_large_page_cache_and_kept_connections(demo_dir):
    script = (
        "from django.conf import settings; from django.db import connection; c = connection.cursor(); "
        "print(*(c.execute(f'PRAGMA {p}').fetchone()[0] for p in ('journal_mode', 'synchronous', 'cache_size')), "
        "settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    result = run("shell", "-c", script, data_dir=demo_dir)
    assert result.stdout.split()[-4:] == ["wal", "1", "-65536", "60"]  # synchronous 1 is NORMAL


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = run(
        "check", "--deploy", "--fail-level", "WARNING",
        data_dir=tmp_path, DEBUG="0", SECRET_KEY="x" * 20 + "-production-secret-key-0123456789abcdef", ALLOWED_HOSTS="cg.example.org",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_empty_installation_reaches_a_first_facilitator_without_the_demo(tmp_path):
    installation_copy(tmp_path, demo=False)  # migrated by the real command, nobody in it yet
    operator = run(
        "createsuperuser", "--noinput", "--username", "operator", "--email", "op@example.org",
        data_dir=tmp_path, DJANGO_SUPERUSER_PASSWORD="an-operator-password",
    )  # fmt: skip
    assert operator.returncode == 0, operator.stderr
    # The operator is the only facilitator: removing them is refused, with the reason, and nothing changes.
    refused = run("facilitator", "remove", "op@example.org", data_dir=tmp_path)
    assert refused.returncode == 1 and "last active facilitator" in refused.stderr
    added = run(
        "facilitator", "add", "colleague@example.org", data_dir=tmp_path, SITE_URL="https://cg.example.org"
    )
    assert added.returncode == 0, added.stderr
    assert "https://cg.example.org/accounts/password/reset/" in added.stdout  # the mail, on the console
    removed = run("facilitator", "remove", "op@example.org", data_dir=tmp_path)
    assert removed.returncode == 0, removed.stderr
    script = (
        "from commonground.accounts.models import User; "
        "print(sorted(User.objects.filter(is_facilitator=True).values_list('email', flat=True)))"
    )
    assert run("shell", "-c", script, data_dir=tmp_path).stdout.split("\n")[-2] == "['colleague@example.org']"


def test_user_deactivate_names_a_login_by_email_and_fails_clearly_otherwise(tmp_path):
    installation_copy(tmp_path, demo=False)  # migrated by the real command, nobody in it yet
    assert run("facilitator", "add", "colleague@example.org", data_dir=tmp_path).returncode == 0
    unknown = run("user", "deactivate", "nobody@example.org", data_dir=tmp_path)
    assert unknown.returncode == 1 and "No login has the e-mail address nobody@example.org" in unknown.stderr
    # The only active facilitator is refused, as `facilitator remove` refuses them.
    last = run("user", "deactivate", "colleague@example.org", data_dir=tmp_path)
    assert last.returncode == 1 and "last active facilitator" in last.stderr
    assert run("facilitator", "add", "second@example.org", data_dir=tmp_path).returncode == 0
    done = run("user", "deactivate", "colleague@example.org", data_dir=tmp_path)
    assert done.returncode == 0 and "colleague@example.org is deactivated" in done.stdout
    again = run("user", "deactivate", "colleague@example.org", data_dir=tmp_path)
    assert again.returncode == 1 and "already deactivated" in again.stderr


def test_a_command_starts_without_the_numerical_libraries(tmp_path):
    """SciPy and OR-Tools are imported where the allocation, the disclosure bounds and the introductions use
    them: at the top of their modules they took a second of every command's, server's and worker's start."""
    script = (
        "import sys; import commonground.urls; from django.core.management import call_command; "
        "call_command('check'); print(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'ortools'}))"
    )
    result = run("shell", "-c", script, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "[]"
