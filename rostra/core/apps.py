from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "rostra.core"
    label = "rostra_core"
    verbose_name = _("Rostra core")

    def ready(self):
        # Importing these registers their deploy checks.
        from rostra.core import checks, release_support  # noqa: F401
        from rostra.core.error_tracking import start_error_tracking

        start_error_tracking()
