from django import template

from rostra.funding.qr import payment_uri, qr_svg

register = template.Library()


@register.simple_tag
def channel_qr(channel):
    return qr_svg(payment_uri(channel), title=f"{channel.label}: {payment_uri(channel)}")
