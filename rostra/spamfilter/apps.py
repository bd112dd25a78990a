from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpamFilterConfig(AppConfig):
    name = "rostra.spamfilter"
    label = "spamfilter"
    verbose_name = _("Spam filter")
