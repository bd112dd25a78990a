from django.core.management.base import BaseCommand

from rostra.notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Send the hourly and daily comment digests whose window has closed (safe to run often)."

    def handle(self, *args, **options):
        self.stdout.write(f"Sent {send_digests()} digest e-mail(s).")
