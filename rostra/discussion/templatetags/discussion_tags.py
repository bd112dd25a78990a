from django import template
from django.utils.safestring import SafeString

from rostra.discussion import cards

register = template.Library()


@register.simple_tag
def passage_quote(anchor):
    """The passage a comment is about, as its card shows it (discussion.cards)."""
    return SafeString(cards.passage_quote(anchor))
