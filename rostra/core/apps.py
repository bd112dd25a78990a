from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "rostra.core"
    label = "rostra_core"
    verbose_name = "Rostra core"
