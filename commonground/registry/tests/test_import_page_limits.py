"""The Import page and command refuse files past their limits; a large file runs in the background."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from commonground.core.models import ImportJob, ImportStatus
from commonground.registry.models import Organization

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def organizations_csv(count: int, prefix: str = "Org") -> bytes:
    return (
        "name,sector,category\n" + "".join(f"{prefix} {i},private,utility\n" for i in range(count))
    ).encode()


def test_an_upload_over_the_size_limit_is_a_field_error_and_writes_nothing(client, table, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(table.cochair)
    before = Organization.objects.count()
    upload = SimpleUploadedFile("orgs.csv", organizations_csv(100), content_type="text/csv")
    response = client.post("/c/riverbend/import/", {"kind": "organizations", "file": upload})
    assert response.status_code == 200
    assert "larger than" in response.context["form"].errors["file"][0]
    assert Organization.objects.count() == before


def test_an_upload_over_the_row_limit_is_refused_and_writes_nothing(client, table, settings):
    settings.IMPORT_MAX_ROWS = 3
    client.force_login(table.cochair)
    before = Organization.objects.count()
    upload = SimpleUploadedFile("orgs.csv", organizations_csv(4), content_type="text/csv")
    response = client.post("/c/riverbend/import/", {"kind": "organizations", "file": upload})
    assert response.status_code == 200 and b"more than 3 rows" in response.content
    assert b'name="confirm"' not in response.content
    assert Organization.objects.count() == before


def test_a_large_upload_is_checked_and_written_in_the_background_with_its_progress(client, table, settings):
    settings.IMPORT_BACKGROUND_BYTES = 100
    settings.TASKS = IMMEDIATE
    client.force_login(table.cochair)
    upload = SimpleUploadedFile("orgs.csv", organizations_csv(30, "Queued"), content_type="text/csv")
    response = client.post("/c/riverbend/import/", {"kind": "organizations", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/c/riverbend/import/{job.pk}/"
    assert job.status == ImportStatus.DONE and job.dry_run and job.rows_read == 30
    assert not Organization.objects.filter(name__startswith="Queued").exists()

    page = client.get(response["Location"])
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    assert b"30 row(s): 30 would be created" in page.content
    assert b"<html" not in fragment.content and b"would be created" in fragment.content
    assert b'hx-trigger="every 2s"' not in page.content  # finished: it stops polling

    ticket = re.search(r'name="confirm" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post("/c/riverbend/import/", {"confirm": ticket})
    written = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == f"/c/riverbend/import/{written.pk}/"
    assert not written.dry_run and written.report["ok"]
    assert Organization.objects.in_community(table.community).filter(name__startswith="Queued").count() == 30
    assert b"30 were created" in client.get(response["Location"]).content


def test_a_running_import_page_polls_for_its_progress(client, table):
    job = ImportJob.objects.create(
        actor=table.cochair,
        community_id=table.community.pk,
        kind="organizations",
        file="x.csv",
        rows_read=4000,
    )
    client.force_login(table.cochair)
    content = client.get(f"/c/riverbend/import/{job.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in content and "4,000" in content


def test_another_communitys_import_job_is_not_found(client, table):
    job = ImportJob.objects.create(community_id=table.other_community.pk, kind="organizations", file="x.csv")
    client.force_login(table.cochair)
    assert client.get(f"/c/riverbend/import/{job.pk}/").status_code == 404


def test_the_command_refuses_a_file_over_max_rows_and_writes_nothing(table, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(organizations_csv(5, "Cli"))
    with pytest.raises(CommandError, match="error"):
        call_command("import", "organizations", str(path), "--community", "riverbend", "--max-rows", "4")
    assert not Organization.objects.filter(name__startswith="Cli").exists()
    call_command(
        "import", "organizations", str(path), "--community", "riverbend", "--max-rows", "5", verbosity=0
    )
    assert Organization.objects.filter(name__startswith="Cli").count() == 5
