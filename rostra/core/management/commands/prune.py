from django.core.management.base import BaseCommand

from rostra.core import retention


class Command(BaseCommand):
    help = (
        "Remove what Rostra keeps only for a while (live events, finished task results, "
        "sent digest items, expired records, import leftovers); the worker does it hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be removed; remove nothing."
        )

    def handle(self, *, dry_run: bool, **options):
        removed = retention.prune(dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        for kind, count in removed.items():
            self.stdout.write(f"{verb} {count} {kind}")
