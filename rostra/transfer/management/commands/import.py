"""rostra import [SOURCE] FILE: bring another system's export into Rostra."""

import sys

from django.core.management.base import BaseCommand, CommandError

from rostra.transfer import sources
from rostra.transfer.services import import_error_message, import_file


class Command(BaseCommand):
    help = (
        "Import articles and comments from an export file. SOURCE is one of: "
        + ", ".join(sources.sources())
        + "; left out, it is detected from the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="+", metavar="[SOURCE] FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; save nothing."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar, even on a terminal."
        )

    def handle(self, *args, dry_run=False, no_progress=False, **options):
        if len(args) == 1:
            source, path = "", args[0]
        elif len(args) == 2:
            source, path = args
        else:
            raise CommandError("Give at most a SOURCE and a FILE.")
        show_bar = not no_progress and sys.stderr.isatty()
        try:
            if show_bar:
                summary = self._with_bar(path, source, dry_run)
            else:
                summary = import_file(path, source=source, dry_run=dry_run)
        except Exception as error:  # one line, whatever the cause; --traceback shows more
            raise CommandError(f"{import_error_message(error)} Nothing was imported.") from error
        for line in summary.lines():
            self.stdout.write(line)

    def _with_bar(self, path, source, dry_run):
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[records]:>10,} records  {task.fields[rate]:>8,.0f}/s"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, transient=False) as bar:
            task = bar.add_task("Importing", total=None, records=0, rate=0.0)

            def report(records, progress):
                elapsed = bar.tasks[0].elapsed or 0
                bar.update(
                    task,
                    completed=progress.bytes_read,
                    total=progress.total or None,
                    records=records,
                    rate=records / elapsed if elapsed else 0.0,
                )

            return import_file(path, source=source, dry_run=dry_run, on_progress=report)
