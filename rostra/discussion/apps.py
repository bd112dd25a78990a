from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "rostra.discussion"
    label = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from rostra.discussion import receivers  # connects the signal handlers

        receivers.register()
