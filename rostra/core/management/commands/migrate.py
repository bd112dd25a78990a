"""`migrate` under Rostra's migration lock, so concurrent starts wait instead of failing.

This command takes the place of Django's own (rostra.core comes first in INSTALLED_APPS),
so `rostra serve`, `rostra setup`, `rostra upgrade` and a plain `rostra migrate` all hold
the lock; see rostra.core.migration_lock.
"""

from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from rostra.core.migration_lock import migration_lock


class Command(DjangoMigrateCommand):
    help = "Apply database migrations, one process at a time (others wait for the lock)."

    def handle(self, *args, **options):
        with migration_lock(options["database"]):
            result = super().handle(*args, **options)
            if not (options["plan"] or options["check_unapplied"]):
                # CACHE_URL=db: (the default) keeps the shared cache in a table of its
                # own, outside the migrations: create it here so no operator has to.
                call_command("createcachetable", database=options["database"], verbosity=0)
            return result
