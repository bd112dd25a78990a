"""The comment card template's tags as they were, for tests/test_cards.py's reference."""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from rostra.discussion.avatars import avatar_svg
from rostra.discussion.services import comment_can_change

register = template.Library()


@register.simple_tag
def avatar(comment):
    return avatar_svg(comment.author_name, comment.author_key)


@register.filter
def ago(moment, now=None):
    """“5 minutes ago”, “just now”. (`now`: for tests/test_cards.py's sweep of ages.)"""
    delta = (now or timezone.now()) - moment
    if delta.total_seconds() < 60:
        return "just now"
    return f"{timesince(moment, now=now, depth=1)} ago"


@register.simple_tag
def can_change(comment, viewer, policy):
    return comment_can_change(comment, viewer, policy)
