from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from commonground.core.redis_settings import RQ_JOB_CLASS, uses_rq


class Command(BaseCommand):
    help = (
        "Work the background task queue: the database's (db_worker) by default, RQ's on Redis when REDIS_URL "
        "is set (with its scheduler, which runs deferred retries). Run one or more beside the servers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Work until the queue is empty, then stop.")

    def handle(self, *args, **options):
        if uses_rq(settings.TASKS):
            call_command(
                "rqworker", "default", job_class=RQ_JOB_CLASS, with_scheduler=True, burst=options["batch"]
            )
        else:
            call_command("db_worker", batch=options["batch"], reload=False)
