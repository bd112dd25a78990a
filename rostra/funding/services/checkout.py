"""Card gifts through Stripe Checkout: the reader picks an amount (once or monthly),
Rostra asks Stripe for a checkout session and sends the reader there. The gift itself
is recorded when Stripe's signed webhook says it was paid."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from rostra.core.ratelimit import limit_exceeded
from rostra.funding.amounts import ZERO_DECIMAL_CURRENCIES
from rostra.funding.services.attribution import ask_article_id, ask_position
from rostra.funding.services.stripe_api import stripe_client


class CheckoutRefused(ValueError):
    """A reason the reader can act on, and the HTTP status to tell it with (the reason
    is in the site's language, so the status is not read from its words)."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CheckoutRequest:
    amount: str
    currency: str
    monthly: bool
    public_name: bool
    message: str
    ip_hash: str
    # Where the reader was asked (checked here: unknown values are left out) and who
    # they are when signed in: first-party metadata that comes back with the payment.
    article: str = ""
    position: str = ""
    reader_id: int | None = None


def _check_rate(ip_hash: str) -> None:
    count, seconds = settings.CARD_CHECKOUT_RATE_LIMIT
    if limit_exceeded("funding:checkout", ip_hash, count=count, seconds=seconds):
        raise CheckoutRefused(
            _(
                "Too many card payments were started from your connection. Please try again "
                "in a few minutes."
            ),
            status=429,
        )


def _amount(raw: str, minimum: Decimal, maximum: Decimal) -> Decimal:
    try:
        amount = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation:
        raise CheckoutRefused(_("Please enter the amount as a number, e.g. 25.")) from None
    if not amount.is_finite() or amount < minimum:
        raise CheckoutRefused(_("The smallest card gift is %(amount)s.") % {"amount": minimum})
    if amount > maximum:
        raise CheckoutRefused(
            _("The largest card gift is %(amount)s; please contact us for more.")
            % {"amount": maximum}
        )
    return amount.quantize(Decimal("0.01"))


def _attribution(request: CheckoutRequest) -> dict:
    article_id = ask_article_id(request.article)
    values = {
        "article": str(article_id) if article_id else "",
        "position": ask_position(request.position),
        "reader": str(request.reader_id) if request.reader_id else "",
    }
    return {key: value for key, value in values.items() if value}


def checkout_start(request: CheckoutRequest, *, minimum: Decimal, maximum: Decimal) -> str:
    """Create a Stripe Checkout session; return the address to send the reader to."""
    if not settings.STRIPE_SECRET_KEY:
        raise CheckoutRefused(_("Card gifts are not set up yet. Please use another way to give."))
    amount = _amount(request.amount, minimum, maximum)
    _check_rate(request.ip_hash)
    currency = request.currency.upper()
    unit_amount = int(amount if currency in ZERO_DECIMAL_CURRENCIES else amount * 100)
    price_data = {
        "currency": currency.lower(),
        "unit_amount": unit_amount,
        # Translators: the product name the donor sees on the card payment page.
        "product_data": {"name": _("Gift to %(site_name)s") % {"site_name": settings.SITE_NAME}},
    }
    params = {
        "mode": "subscription" if request.monthly else "payment",
        "line_items": [{"quantity": 1, "price_data": price_data}],
        "success_url": f"{settings.BASE_URL}/support/thanks/",
        "cancel_url": f"{settings.BASE_URL}/support/#card",
        "metadata": {
            "public_name": "yes" if request.public_name else "no",
            "message": request.message[:500],
            **_attribution(request),
        },
    }
    if request.monthly:
        price_data["recurring"] = {"interval": "month"}
        if _attribution(request):  # every invoice carries it: each month is credited
            params["subscription_data"] = {"metadata": _attribution(request)}
    else:
        params["submit_type"] = "donate"
    client = stripe_client()
    try:
        session = client.v1.checkout.sessions.create(params=params)
    except stripe.StripeError as error:
        raise CheckoutRefused(
            _("The card payment could not be started. Please try again in a moment.")
        ) from error
    return session.url
