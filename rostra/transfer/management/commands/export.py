"""rostra export: everything as a re-importable Rostra archive, or a WordPress WXR file."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from rostra.transfer.exporter import archive_lines, write_wxr


class Command(BaseCommand):
    help = (
        "Export articles, threads, comments, votes, subscriptions and donations as a "
        "Rostra archive (JSON lines, for `rostra import`), or articles and comments as "
        "a WordPress WXR file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["rostra", "wxr"], default="rostra", help="Default: rostra."
        )
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--private",
            action="store_true",
            help="Include e-mail addresses, IP hashes, subscriptions and anonymous "
            "donors' names. Keep such a file as safe as the database.",
        )

    def handle(self, *args, format="rostra", output=None, private=False, **options):
        target = Path(output) if output else None
        if format == "wxr":
            if target:
                with open(target, "wb") as out:
                    write_wxr(out, private=private)
            else:
                write_wxr(sys.stdout.buffer, private=private)
        elif target:
            with open(target, "w", encoding="utf-8") as out:
                out.writelines(archive_lines(private=private))
        else:
            for line in archive_lines(private=private):
                self.stdout.write(line, ending="")
        if target:
            self.stderr.write(f"Wrote {target} ({target.stat().st_size:,} bytes).")
