from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from commonground.core.backup import BackupError, restore_backup, summarize


class Command(BaseCommand):
    help = "Load a backup file into a new (empty, migrated) database; refuses one that holds communities."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        file = Path(file)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            counts = restore_backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for line in summarize(counts):
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Restored {file}"))
