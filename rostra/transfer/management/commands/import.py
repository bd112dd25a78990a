"""rostra import [SOURCE] FILE: bring another system's export into Rostra."""

import sys

from django.core.management.base import BaseCommand, CommandError

from rostra.transfer import sources
from rostra.transfer.services import import_error_message, import_file, wrote_nothing
from rostra.transfer.writer import CHECKING


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
            message = import_error_message(error, again="run the same command again")
            if wrote_nothing(error):
                message += " Nothing was imported."
            raise CommandError(message) from error
        for line in summary.lines():
            self.stdout.write(line)

    def _with_bar(self, path, source, dry_run):
        from rich.progress import (
            BarColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("[bold]{task.description:<8}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[records]:>10,} records"),
            TimeRemainingColumn(),
        )
        with Progress(*columns, transient=False) as bar:
            # The file is checked whole first (by bytes read), then written in batches.
            checking = bar.add_task("Checking", total=None, records=0)
            writing = bar.add_task("Writing", total=None, records=0, start=False)

            def report(progress, read):
                if progress.phase == CHECKING:
                    bar.update(
                        checking,
                        completed=read.bytes_read,
                        total=read.total or None,
                        records=progress.records,
                    )
                    return
                bar.update(checking, completed=read.total, total=read.total or 1)
                bar.start_task(writing)
                bar.update(
                    writing,
                    completed=progress.written,
                    total=progress.to_write or 1,
                    records=progress.written,
                )

            return import_file(path, source=source, dry_run=dry_run, on_progress=report)
