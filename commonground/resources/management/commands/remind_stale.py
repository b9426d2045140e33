from django.core.management.base import BaseCommand, CommandError

from commonground.communities.models import Community
from commonground.resources.reminders import remind_stale_resources


class Command(BaseCommand):
    help = "Mail organizations the resources they have not verified lately; run it daily (cron or a timer)."

    def add_arguments(self, parser):
        parser.add_argument("--community", help="Only this community (its slug).")
        parser.add_argument("--dry-run", action="store_true", help="Count, but send nothing.")

    def handle(self, *args, **options):
        community = None
        if options["community"]:
            community = Community.objects.filter(slug=options["community"]).first()
            if community is None:
                raise CommandError(f"There is no community '{options['community']}'.")
        report = remind_stale_resources(community=community, dry_run=options["dry_run"])
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{report.resources} stale resource(s) of {report.organizations} organization(s); "
            f"{report.mails} reminder(s) {verb} sent."
        )
