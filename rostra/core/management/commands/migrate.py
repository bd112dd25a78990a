"""`migrate` under Rostra's migration lock, so concurrent starts wait instead of failing.

This command takes the place of Django's own (rostra.core comes first in INSTALLED_APPS),
so `rostra serve`, `rostra setup`, `rostra upgrade` and a plain `rostra migrate` all hold
the lock; see rostra.core.migration_lock.
"""

from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from rostra.core.migration_lock import migration_lock


class Command(DjangoMigrateCommand):
    help = "Apply database migrations, one process at a time (others wait for the lock)."

    def handle(self, *args, **options):
        with migration_lock(options["database"]):
            return super().handle(*args, **options)
