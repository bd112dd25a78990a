"""rostra backup [-o FILE] | --check FILE: an online snapshot of the site, or check one."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rostra.core.backup import BackupError, backup_check, backup_create, default_backup_path


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the database, uploaded media and the signing key while "
        "the site keeps serving, or check an existing backup with --check."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="Backup file to write (default: $ROSTRA_DATA_DIR/backups/rostra-DATE.tar.gz).",
        )
        parser.add_argument(
            "--check", type=Path, metavar="FILE", help="Check FILE instead of writing a backup."
        )

    def handle(self, *args, output=None, check=None, **options):
        try:
            if check:
                summary = backup_check(path=check)
                self.stdout.write(f"Backup is complete and intact: {summary.describe()}")
            else:
                summary = backup_create(output=output or default_backup_path())
                self.stdout.write(f"Backup written and checked: {summary.describe()}")
        except BackupError as error:
            raise CommandError(str(error)) from error
