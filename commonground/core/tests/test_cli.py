"""The console command as a user runs it: a real process, its own SQLite database, exit codes."""

import pytest

from commonground.core.testing import run_command


def run(*args, data_dir, **env):
    return run_command(*args, data_dir=data_dir, **env)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    result = run("demo", "--no-serve", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


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
