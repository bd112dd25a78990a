"""Money shown to readers, in the site's locale: “$2,500”, “2.500 $”, “$12.50”."""

from decimal import Decimal

from babel import Locale
from babel.numbers import format_currency
from django.conf import settings


def format_money(amount: Decimal, currency: str) -> str:
    locale = Locale.parse(settings.ROSTRA_LOCALE)
    if amount == amount.to_integral_value():
        pattern = locale.currency_formats["standard"].pattern.replace("0.00", "0")
        return format_currency(
            amount, currency, format=pattern, locale=locale, currency_digits=False
        )
    return format_currency(amount, currency, locale=locale)
