from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from commonground.core.importing.analyze import analyze_tables, tables_written
from commonground.demo.seeding import seed_community


class Command(BaseCommand):
    help = "Create synthetic communities, organizations and people; deterministic with --seed."

    def add_arguments(self, parser):
        parser.add_argument("--communities", type=int, default=1, help="How many communities (default 1).")
        parser.add_argument("--organizations", type=int, default=100, help="Organizations per community.")
        parser.add_argument("--people", type=int, default=2, help="People per organization.")
        parser.add_argument("--resources", type=int, default=3, help="Resources per organization (step 4).")
        parser.add_argument(
            "--assessing",
            type=float,
            default=0.6,
            help="Share of organizations (0 to 1) with critical functions and hazard assessments (step 5).",
        )
        parser.add_argument(
            "--no-issues", action="store_true", help="Leave out the common issues and endorsements (step 3)."
        )
        parser.add_argument(
            "--spread",
            type=float,
            default=0.05,
            help="Degrees around the region's towns to place organizations; 2 or more scatters them state-wide.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same data."
        )
        parser.add_argument("--prefix", default="synthetic", help="Slug prefix of the communities.")

    def handle(self, *args, **options):
        if (
            options["communities"] < 1
            or min(options["organizations"], options["people"], options["resources"]) < 0
        ):
            raise CommandError(
                "--communities must be at least 1; --organizations, --people and --resources not negative."
            )
        if not 0 <= options["assessing"] <= 1:
            raise CommandError("--assessing is a share between 0 and 1.")
        if not 0 <= options["spread"] <= 10:
            raise CommandError("--spread is between 0 and 10 degrees.")
        with tables_written() as tables:
            self.seed(options)
        analyze_tables(tables)  # the planner's statistics of the tables seeded, as an import leaves them

    def seed(self, options) -> None:
        for n in range(1, options["communities"] + 1):
            slug = f"{options['prefix']}-{n}"
            with tqdm(
                total=options["organizations"], desc=slug, unit="org", disable=options["verbosity"] < 1
            ) as bar:
                result = seed_community(
                    slug=slug,
                    name=f"Synthetic Region {n}",
                    organizations=options["organizations"],
                    people_per_organization=options["people"],
                    resources_per_organization=options["resources"],
                    spread=options["spread"],
                    assessing_share=options["assessing"],
                    issues=not options["no_issues"],
                    seed=options["seed"] + n - 1,
                    progress=bar.update,
                )
            self.stdout.write(
                f"{slug}: {result.organizations} organizations, {result.people} people, {result.resources} resources, "
                f"{result.assessments} hazard assessments, {result.endorsements} endorsements of common issues"
            )
