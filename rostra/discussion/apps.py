from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "rostra.discussion"
    label = "discussion"
    verbose_name = _("Discussion")

    def ready(self):
        from rostra.discussion import receivers  # connects the signal handlers

        receivers.register()
