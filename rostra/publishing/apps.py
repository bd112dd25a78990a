from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "rostra.publishing"
    label = "publishing"
    verbose_name = "Publishing"
