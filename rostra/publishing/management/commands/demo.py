from django.core.management.base import BaseCommand

from rostra.publishing.demo import demo_content_load


class Command(BaseCommand):
    help = "Load the demo newsroom (3 sections, 13 articles). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-if-empty",
            action="store_true",
            help="Do nothing when the site already has articles.",
        )

    def handle(self, *args, only_if_empty, **options):
        created = demo_content_load(only_if_empty=only_if_empty)
        self.stdout.write(f"Demo newsroom ready: {created} new article(s).")
