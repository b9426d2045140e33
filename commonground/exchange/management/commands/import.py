from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from commonground.core.exchange import IMPORTERS

from ._common import community_and_actor


class Command(BaseCommand):
    help = "Import organizations or people from a CSV or XLSX file; a file with any error writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--community", required=True, help="Slug of the community.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument("--as", dest="username", help="Act as this user (default: the system).")
        parser.add_argument(
            "--max-rows",
            type=int,
            help="Refuse a file of more data rows than this (default: IMPORT_MAX_ROWS).",
        )

    def handle(self, *args, kind, file, community, dry_run, username, max_rows, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if max_rows is not None and max_rows < 1:
            raise CommandError("--max-rows must be at least 1.")
        community, actor = community_and_actor(community, username)
        try:
            importer = IMPORTERS[kind](actor=actor, community=community)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        with (
            file.open("rb") as stream,
            tqdm(desc=f"{kind}", unit="row", disable=options["verbosity"] < 1) as bar,
        ):
            report = importer.run(stream, file.name, dry_run=dry_run, progress=bar.update, max_rows=max_rows)
        for error in report.errors:
            self.stderr.write(f"{file.name}: {error}")
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(report.summary())
