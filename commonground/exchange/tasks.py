"""Run an import from the Import page in the background, recording its progress on its ImportJob."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _
from django_tasks import task

from commonground.communities.models import Community
from commonground.core.exchange import IMPORTERS
from commonground.core.importing import ImportReport
from commonground.core.models import ImportJob, ImportStatus


def report_json(report: ImportReport) -> dict:
    """Return what the progress page shows of a finished import."""
    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "summary": report.summary(),
        "rows": report.rows,
        "error_count": report.error_count,
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in report.errors],
    }


def stored_path(name: str) -> Path:
    return Path(settings.IMPORT_UPLOAD_DIR) / Path(name).name


@task()
def import_run(job_id: int) -> None:
    """Run one queued import (a dry run or the real one) and leave its report on the job."""
    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    jobs = ImportJob.objects.filter(pk=job_id)
    jobs.update(status=ImportStatus.RUNNING)
    path = stored_path(job.file)
    try:
        importer = IMPORTERS[job.kind](actor=job.actor, community=Community.objects.get(pk=job.community_id))
        with path.open("rb") as stream:
            report = importer.run(
                stream,
                job.original_name,
                dry_run=job.dry_run,
                progress=lambda rows: jobs.update(rows_read=F("rows_read") + rows),
            )
    except Exception:
        path.unlink(missing_ok=True)
        jobs.update(
            status=ImportStatus.FAILED,
            report={"ok": False, "summary": _("The import stopped unexpectedly; nothing was written.")},
        )
        raise
    if not (report.ok and report.dry_run):
        path.unlink(missing_ok=True)
    jobs.update(
        status=ImportStatus.DONE,
        rows_read=report.rows,
        error_count=report.error_count,
        report=report_json(report),
    )
