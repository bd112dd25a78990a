from django import template

from rostra.core import form_tokens

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """The CSRF field: empty on public pages (filled by JavaScript when the reader starts
    to write), a real token for a personal page (see rostra.core.form_tokens)."""
    return form_tokens.form_token_field(context.get("request"))


@register.simple_tag(takes_context=True)
def form_token_value(context):
    return form_tokens.form_token_value(context.get("request"))
