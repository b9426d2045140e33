from django.core.management.base import CommandError

from commonground.communities.commands import CommunityCommand
from commonground.communities.models import Community
from commonground.socialcapital.services import recent_months
from commonground.socialcapital.tasks import snapshots_enqueue


class Command(CommunityCommand):
    help = (
        "Queue the measurement of every community's network (or --community's) for this month, and with "
        "--months N for the N-1 months before it too; the worker computes them. Run it monthly (a daily run "
        "keeps this month's snapshot fresh)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--months", type=int, default=1, help="How many months back, this one included.")

    def handle(self, *args, **options):
        if options["months"] < 1 or options["months"] > 120:
            raise CommandError("--months must be between 1 and 120.")
        self.months = options["months"]
        super().handle(*args, **options)

    def run(self, *, community, dry_run):
        communities = [community] if community else list(Community.objects.order_by("pk"))
        # This month is read as it stands now (None), the earlier ones at their ends.
        months = [*recent_months(self.months)[:-1], None]
        if dry_run:
            return f"{len(communities) * len(months)} measurement(s) would be queued."
        return f"{snapshots_enqueue(communities, months)} measurement(s) queued."
