"""`commonground needs_totals --check` compares the needs profile's stored totals with their answers;
`--rebuild` computes them again (all assessments, or one community's with `--community SLUG`)."""

from django.core.management.base import BaseCommand, CommandError

from commonground.sustainability import totals
from commonground.sustainability.models import NeedsAssessment


class Command(BaseCommand):
    help = "Check the needs profile's stored totals against the answers (--check), or compute them again (--rebuild)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="Report assessments whose totals differ.")
        action.add_argument(
            "--rebuild", action="store_true", help="Compute the totals again from the answers."
        )
        parser.add_argument("--community", help="Only this community's assessments (its slug).")

    def handle(self, *args, check=False, rebuild=False, community=None, **options):
        assessments = NeedsAssessment.objects.select_related("tally", "community").order_by("pk")
        if community:
            assessments = assessments.filter(community__slug=community)
            if not assessments.exists():
                raise CommandError(f"No needs assessment in a community {community!r}.")
        differing = []
        for assessment in assessments:
            if rebuild:
                totals.rebuild(assessment)
            elif hasattr(assessment, "tally") and totals.stored(assessment) != totals.recomputed(assessment):
                differing.append(assessment)
        if rebuild:
            self.stdout.write(f"Totals computed again for {assessments.count()} needs assessment(s).")
            return
        for assessment in differing:
            self.stdout.write(
                f"Totals differ from the answers: {assessment.pk} {assessment} ({assessment.community})"
            )
        if differing:
            raise CommandError(f"{len(differing)} needs assessment(s) need --rebuild.")
        self.stdout.write(f"Totals match the answers for {assessments.count()} needs assessment(s).")
