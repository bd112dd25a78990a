"""rostra upgrade: prepare the database and files for the code just installed."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

import rostra
from rostra.core.static_files import collect_static_if_changed

PACKAGE = Path(rostra.__file__).resolve().parent


class Command(BaseCommand):
    help = (
        "After installing a new version: apply migrations (under the migration lock), collect "
        "static files (when they changed) and compile translations; then restart with "
        "`serve --no-migrate`."
    )

    def handle(self, *args, verbosity, **options):
        quiet = max(verbosity - 1, 0)
        call_command("migrate", interactive=False, verbosity=quiet)
        if not collect_static_if_changed(verbosity=quiet):
            self.stdout.write("Static files unchanged since they were last collected.")
        if any(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po")):
            call_command("compilemessages", verbosity=quiet)
        self.stdout.write(f"Rostra {rostra.__version__} is ready: restart its processes.")
