"""`{% js_catalog %}`: the script element loading the JavaScript translation catalog of
the active language (rostra.core.js_catalog); put it before the scripts that use it."""

from django import template
from django.utils.html import format_html

from rostra.core.js_catalog import catalog_url

register = template.Library()


@register.simple_tag
def js_catalog():
    return format_html('<script src="{}" defer></script>', catalog_url())
