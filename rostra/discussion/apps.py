from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "rostra.discussion"
    label = "discussion"
    verbose_name = "Discussion"
