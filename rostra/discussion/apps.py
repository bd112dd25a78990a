from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "rostra.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from rostra.discussion import receivers  # noqa: F401 - connects the signal handlers
