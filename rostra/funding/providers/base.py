"""What a payment provider's webhook is to Rostra: a class that verifies a delivery and
reads the gifts and refunds in it. The dispatch view (`funding.views.webhooks`) does the
rest the same way for every provider: answers, logging, and recording through
`services.webhook_delivery_record`.

A provider answers with one of three errors, each with the text the provider is sent:
`WebhookRejected` (400, permanent: sending it again will not help), `RetryLater` (503:
the provider sends it again later, e.g. when its own server or our database is busy) and
`NotBooked` (200: a genuine message about something other than a gift, acknowledged so
that it is not sent again, logged with the reason).
"""

import hmac
import logging
from datetime import datetime

from rostra.funding.services.donations import DonationEvent, DonationRejected
from rostra.funding.services.recurring import RecurringRejected

# The name operators' log filters already know.
logger = logging.getLogger("rostra.funding.webhooks")

# What goes wrong when a verified message cannot be read as a gift: a missing or
# mistyped field, a date or amount that is no such thing.
UNUSABLE_EVENT = (
    DonationRejected, RecurringRejected, KeyError, IndexError, TypeError, ValueError,
    AttributeError, ArithmeticError,
)  # fmt: skip


class WebhookRejected(Exception):
    """A delivery refused for good (400). `answer` is sent back; `reason`, logged, may
    say more than the sender should be told (which setting is missing …)."""

    def __init__(self, answer: str, *, reason: str = ""):
        super().__init__(answer)
        self.answer = answer
        self.reason = reason or answer


class RetryLater(Exception):
    """Not handled now, through no fault of the delivery (503, so the provider retries).
    `answer` is sent back; the exception's cause, if any, is logged."""

    def __init__(self, answer: str, *, reason: str = ""):
        super().__init__(answer)
        self.answer = answer
        self.reason = reason or answer


class NotBooked(Exception):
    """A genuine message about something other than a gift to this outlet: acknowledged,
    logged, and booked as nothing. Routine ones (sign-ups, pending payments, money the
    account sent) are logged at INFO only."""

    def __init__(self, reason: str, *, level: int = logging.WARNING):
        super().__init__(reason)
        self.level = level


class PaymentProvider:
    """One payment provider's webhook. Subclasses set `name` (the last part of the
    webhook's URL, `/funding/webhooks/<name>/`, and the key of its deliveries) and
    `label` (how logs name it), and implement `verify` and `events`.

    Subclassing registers the provider: see `providers.registry`.
    """

    name: str = ""
    label: str = ""
    # The start of the 400 answer for a verified message that cannot be read as a gift,
    # and for a gift the ledger cannot keep.
    refusal: str = "Invalid donation"
    record_refusal: str = ""

    registered: dict[str, type["PaymentProvider"]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.name:
            PaymentProvider.registered[cls.name] = cls

    def verify(self, request) -> None:
        """Raise WebhookRejected unless `request` really comes from the provider
        (signature, shared secret, postback); RetryLater when that cannot be told now."""
        raise NotImplementedError

    def delivery_id(self, request) -> str:
        """The provider's number for this delivery, when it numbers them and the delivery
        may book something: a delivery seen before is answered without being read again.
        "" for providers whose gifts' own references are enough."""
        return ""

    def events(self, request) -> list:
        """The gifts and refunds (DonationEvent) and changes to monthly gifts
        (services.RecurringEvent) a verified delivery reports ([] for none). May raise
        WebhookRejected, RetryLater, NotBooked, or any of UNUSABLE_EVENT."""
        raise NotImplementedError

    def parse(self, request) -> list:
        """`events`, with a message that cannot be read as a gift refused (400) saying why."""
        try:
            return self.events(request)
        except UNUSABLE_EVENT as error:
            raise WebhookRejected(f"{self.refusal}: {error}") from error

    def check_bookable(self, event: DonationEvent, *, campaign_currency: str) -> None:
        """Raise NotBooked for a gift this provider's messages should not book now (a
        second look that needs the ledger's currency). Books everything by default."""

    def rejection(self, error: DonationRejected | RecurringRejected) -> WebhookRejected:
        """The 400 for a gift the ledger refused to keep."""
        return WebhookRejected(f"{self.record_refusal or self.refusal}: {error}")


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison that also copes with characters outside ASCII (which
    `hmac.compare_digest` refuses on str) and lone surrogates from JSON."""
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


def parse_iso(value: str) -> datetime:
    """An ISO 8601 moment with its time zone (“Z” included); ValueError without one."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone")
    return moment
