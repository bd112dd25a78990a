from django.core.management import call_command
from django.core.management.base import BaseCommand

from rostra.core.app_hooks import registered
from rostra.core.services import admin_account_ensure


class Command(BaseCommand):
    help = (
        "Prepare a new installation: apply migrations, create the first admin account "
        "(its password is printed once) and, with --demo, load the demo newsroom into an "
        "empty site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="Load demo content when the site is empty."
        )

    def handle(self, *args, demo, verbosity, **options):
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        for step in registered("rostra_setup"):  # the home page, the Moderators group
            step()
        if demo:
            call_command("demo", only_if_empty=True, verbosity=verbosity)
        created = admin_account_ensure()
        if created:
            username, password = created
            self.stdout.write(
                self.style.SUCCESS("Created the first admin account. Keep this password:")
            )
            self.stdout.write(f"  user name: {username}\n  password:  {password}")
            self.stdout.write("  (change it with `rostra changepassword admin`)")
