from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from rostra.core.app_hooks import registered
from rostra.publishing.demo import DEMO_TEXTS, demo_content_load, demo_language


class Command(BaseCommand):
    help = "Load the demo newsroom (3 sections, 13 articles, a discussion). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only-if-empty",
            action="store_true",
            help="Do nothing when the site already has articles.",
        )
        parser.add_argument(
            "--language",
            help=(
                f"Language of the demo text ({', '.join(sorted(DEMO_TEXTS))}). "
                "Default: the site's LANGUAGE_CODE when there is a demo in it, else English."
            ),
        )

    def handle(self, *args, only_if_empty, language, **options):
        with translation.override(self._language(language)):
            created = demo_content_load(only_if_empty=only_if_empty)
            # Other apps add their part of the demo (a discussion, a campaign …) here, in
            # the active language.
            extras = []
            if created or not only_if_empty:
                extras = [loader() for loader in registered("rostra_load_demo")]
        summary = ", ".join([f"{created} new article(s)", *filter(None, extras)])
        self.stdout.write(f"Demo newsroom ready: {summary}.")

    def _language(self, requested: str | None) -> str:
        if requested is None:
            return demo_language(settings.LANGUAGE_CODE) or "en"
        language = demo_language(requested)
        if language is None:
            raise CommandError(
                f"There is no demo in {requested!r}: choose one of "
                f"{', '.join(sorted(DEMO_TEXTS))}.",
                returncode=2,
            )
        return language
