"""rostra restore FILE: bring a backup back into an empty site, then migrate it."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from rostra.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `rostra backup` into an empty site (a new data directory or "
        "an empty PostgreSQL database), then apply any newer migrations."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")

    def handle(self, *args, file, verbosity, **options):
        try:
            summary = backup_restore(path=file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        self.stdout.write(f"Restored {summary.describe()}")
