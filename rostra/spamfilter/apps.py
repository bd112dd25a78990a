from django.apps import AppConfig


class SpamFilterConfig(AppConfig):
    name = "rostra.spamfilter"
    label = "spamfilter"
    verbose_name = "Spam filter"
