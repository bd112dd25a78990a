from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "rostra.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from rostra.notifications import receivers

        receivers.register()
