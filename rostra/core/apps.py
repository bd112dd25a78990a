from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rostra.core"
    label = "rostra_core"
    verbose_name = "Rostra core"

    def ready(self):
        from rostra.core import checks  # noqa: F401  (registers the deploy checks)
