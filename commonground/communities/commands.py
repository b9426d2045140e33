"""A base for the daily commands that work on every community, or on one named by --community."""

from django.core.management.base import BaseCommand, CommandError

from .models import Community


class CommunityCommand(BaseCommand):
    """`--community SLUG` narrows the work to one community; `--dry-run` counts and changes nothing."""

    def add_arguments(self, parser):
        parser.add_argument("--community", help="Only this community (its slug).")
        parser.add_argument("--dry-run", action="store_true", help="Count, but send nothing.")

    def handle(self, *args, **options):
        community = None
        if options["community"]:
            community = Community.objects.filter(slug=options["community"]).first()
            if community is None:
                raise CommandError(f"There is no community '{options['community']}'.")
        self.stdout.write(self.run(community=community, dry_run=options["dry_run"]))

    def run(self, *, community: Community | None, dry_run: bool) -> str:
        """Do the work; return the line that reports it."""
        raise NotImplementedError


class ReminderCommand(CommunityCommand):
    """A daily reminder: `remind(community=..., dry_run=...)` mails and returns its report (with `mails`);
    `summary(report)` says what it found, and the line ends with how many mails went, or would go."""

    remind = None

    def summary(self, report) -> str:
        raise NotImplementedError

    def run(self, *, community, dry_run):
        # Read off the class: a function kept as a class attribute would otherwise be bound to the command.
        report = type(self).remind(community=community, dry_run=dry_run)
        return f"{self.summary(report)}; {report.mails} reminder(s) {'would be' if dry_run else 'were'} sent."
