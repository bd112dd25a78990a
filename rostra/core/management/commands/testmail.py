from django.core.management.base import BaseCommand, CommandError

from rostra.core.email import send_email


class Command(BaseCommand):
    help = "Send a test e-mail (HTML and plain text) to check the EMAIL_URL setting."

    def add_arguments(self, parser):
        parser.add_argument("recipient", help="Address to send the test message to.")

    def handle(self, *args, recipient, **options):
        try:
            sent = send_email(template="core/email/test_message", context={}, to=[recipient])
        except OSError as error:
            raise CommandError(f"Could not send mail: {error}") from error
        self.stdout.write(f"Sent {sent} test message to {recipient}.")
