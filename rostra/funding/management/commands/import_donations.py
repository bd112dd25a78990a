from django.core.management.base import BaseCommand, CommandError

from rostra.funding import selectors
from rostra.funding.imports import PARSERS, ImportFileError, import_donations


class Command(BaseCommand):
    help = (
        "Import gifts from a payment provider's CSV export into the donation ledger. "
        "Already recorded gifts are counted as duplicates; a file with a bad row "
        "imports nothing unless --skip-bad-rows is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=sorted(PARSERS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")
        parser.add_argument(
            "--skip-bad-rows", action="store_true", help="Import the good rows of a bad file."
        )

    def handle(self, *args, source, file, dry_run, skip_bad_rows, **options):
        try:
            with open(file, encoding="utf-8-sig") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        campaign = selectors.active_campaign()
        try:
            report = import_donations(
                source,
                text,
                campaign_currency=campaign.currency if campaign else "USD",
                dry_run=dry_run,
                skip_bad_rows=skip_bad_rows,
            )
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from error
        for line in report.lines():
            self.stdout.write(line)
        if report.rejected and not skip_bad_rows:
            raise CommandError(
                "Nothing was imported because of the rejected rows above; fix them or run "
                "again with --skip-bad-rows."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
