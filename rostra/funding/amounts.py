"""What a gift's amount must be for the ledger to hold it: the one rule for webhooks,
CSV imports, manual entry and corrections in the admin, and archive restores.

An amount is a finite, positive number below 10**12 (the `Donation.amount` column keeps
14 digits, two after the point), in whole units of its currency's smallest coin (cents
for dollars; yen have none), and at least one of them. Anything else is refused, never
rounded: a provider that reports 0.001 USD has sent something other than a gift.
"""

from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from django.utils.translation import gettext as _

LEDGER_MAX_DIGITS = 14
LEDGER_DECIMAL_PLACES = 2
_LEDGER_LIMIT = Decimal(10) ** (LEDGER_MAX_DIGITS - LEDGER_DECIMAL_PLACES)


class InvalidAmount(ValueError):
    pass


def _not_a_number(value) -> InvalidAmount:
    return InvalidAmount(_("amount %(value)r is not a number") % {"value": value})


def _as_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise _not_a_number(value)
    if isinstance(value, float):
        # JSON numbers arrive as floats: 3.1 means 3.1, not 3.1000000000000000888….
        value = repr(value)
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise _not_a_number(value) from None
    if not amount.is_finite():
        raise _not_a_number(value)
    return amount


def ledger_amount(value, currency: str) -> Decimal:
    """`value` as the ledger keeps it (two decimal places), or InvalidAmount saying why not.

    `currency` must already be a three-letter code.
    """
    amount = _as_decimal(value)
    figures = {"amount": amount, "currency": currency}
    if amount <= 0:
        raise InvalidAmount(_("amount %(amount)s %(currency)s must be positive") % figures)
    if amount >= _LEDGER_LIMIT:
        raise InvalidAmount(
            _("amount %(amount)s %(currency)s is too large for the ledger") % figures
        )
    places = min(get_currency_precision(currency), LEDGER_DECIMAL_PLACES)
    smallest = Decimal(1).scaleb(-places)
    if amount % smallest:
        raise InvalidAmount(
            _(
                "amount %(amount)s %(currency)s is in a smaller unit than %(currency)s has "
                "(at most %(places)s decimal places)"
            )
            % {**figures, "places": places}
        )
    return amount.quantize(Decimal(1).scaleb(-LEDGER_DECIMAL_PLACES))


# Amounts in the currency's smallest unit (Stripe, Patreon): these currencies have none.
ZERO_DECIMAL_CURRENCIES = {
    "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
    "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
}  # fmt: skip


def minor_to_decimal(amount: int, currency: str) -> Decimal:
    """An amount given in the currency's smallest unit (cents), as a number of units."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"amount {amount!r} is not a whole number of the currency's minor unit")
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(amount)
    return Decimal(amount) / 100
