from django import template

from rostra.core import slots

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context, name, wrap=True):
    """Render what other apps registered for the slot `name` (see rostra.core.slots)."""
    return slots.render(name, context, wrap=wrap)
