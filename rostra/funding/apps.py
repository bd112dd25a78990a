from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "rostra.funding"
    label = "funding"
    verbose_name = "Funding"
