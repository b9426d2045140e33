from pathlib import Path

from django.core.management.base import BaseCommand

from commonground.core.backup import summarize, write_backup


class Command(BaseCommand):
    help = "Write the whole installation, or one community, to a single portable backup file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--community", help="Slug of one community to back up (default: everything).")

    def handle(self, *args, file, community, **options):
        counts = write_backup(Path(file), community=community)
        for line in summarize(counts):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Backup written to {file}"))
