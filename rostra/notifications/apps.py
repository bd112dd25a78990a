from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "rostra.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from rostra.notifications import receivers

        receivers.register()
