"""The permission matrix's rows for the import page, an import's progress and the export downloads."""

from commonground.core.models import ImportJob
from commonground.core.testing import PAGE_LEADERS, PAGE_READ


def import_job(world) -> int:
    return ImportJob.objects.create(
        actor=world.table.cochair, community_id=world.table.community.pk, kind="organizations", file="x.csv"
    ).pk


PAGES = {
    "exchange:import": (lambda w: "/c/riverbend/import/", "GET", PAGE_LEADERS),
    "exchange:import-job": (lambda w: f"/c/riverbend/import/{import_job(w)}/", "GET", PAGE_LEADERS),
    "exchange:export": (lambda w: "/c/riverbend/export/people.csv", "GET", PAGE_READ),
}
