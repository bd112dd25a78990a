"""Patreon: each paid charge of a pledge is one gift, and member events (`members:*`)
change the member's monthly gift (active, declined, former). Signed with HMAC-MD5 of the body
in X-Patreon-Signature (their protocol, not our choice); the event is named in
X-Patreon-Event."""

import hashlib
import hmac
import json

from django.conf import settings
from django.utils import timezone

from rostra.funding import selectors
from rostra.funding.amounts import minor_to_decimal
from rostra.funding.models import ChannelKind, DonationStatus, RecurringGiftStatus
from rostra.funding.providers.base import PaymentProvider, WebhookRejected, parse_iso, same_secret
from rostra.funding.services.donations import DonationEvent
from rostra.funding.services.recurring import RecurringEvent

PLEDGE_EVENTS = {"members:pledge:create", "members:pledge:update", "members:create"}


class Patreon(PaymentProvider):
    name = "patreon"
    label = "Patreon webhook"
    refusal = "Invalid pledge"

    def verify(self, request) -> None:
        secret = settings.PATREON_WEBHOOK_SECRET
        signature = request.headers.get("X-Patreon-Signature", "")
        if not secret or not same_secret(
            signature, hmac.new(secret.encode(), request.body, hashlib.md5).hexdigest()
        ):
            raise WebhookRejected("Invalid signature.", reason="bad or missing X-Patreon-Signature")

    def events(self, request) -> list[DonationEvent | RecurringEvent]:
        try:
            payload = json.loads(request.body)
            member = payload["data"]
            attributes = member["attributes"]
            if not isinstance(attributes, dict):
                raise TypeError("the member's attributes are not an object")
        except (KeyError, ValueError, TypeError) as error:
            raise WebhookRejected(
                "Malformed payload.", reason=f"malformed body ({error})"
            ) from error
        kind = request.headers.get("X-Patreon-Event", "")
        membership = _membership(kind, member, attributes)
        if kind not in PLEDGE_EVENTS or attributes.get("last_charge_status") != "Paid":
            return [membership] if membership else []
        campaigns = [i for i in payload.get("included", []) if i.get("type") == "campaign"]
        currency = (campaigns[0]["attributes"].get("currency") if campaigns else None) or (
            selectors.ledger_currency()
        )
        charge_date = attributes["last_charge_date"]
        return [
            DonationEvent(
                channel=ChannelKind.PATREON,
                # One gift per member and charge: a pledge update re-sends the same charge.
                external_reference=f"{member['id']}:{charge_date}",
                amount=minor_to_decimal(attributes["currently_entitled_amount_cents"], currency),
                currency=currency,
                status=DonationStatus.CONFIRMED,
                received_at=parse_iso(charge_date),
                donor_name=str(attributes.get("full_name") or ""),
                email=str(attributes.get("email") or ""),
                recurring_reference=str(member["id"]),  # a pledge is a monthly gift
            ),
            *([membership] if membership else []),
        ]


# A member's `patron_status`, as their monthly gift's. Patreon tells its patrons about
# declined payments itself, and only Patreon can take a new card: no e-mail from us.
PATRON_STATUSES = {
    "active_patron": RecurringGiftStatus.ACTIVE,
    "declined_patron": RecurringGiftStatus.PAST_DUE,
    "former_patron": RecurringGiftStatus.CANCELLED,
}
ENDING_EVENTS = {"members:delete", "members:pledge:delete"}


def _membership(kind: str, member: dict, attributes: dict) -> RecurringEvent | None:
    """What a member event says about the member's monthly gift (None: nothing)."""
    if not kind.startswith("members:"):
        return None
    status = (
        RecurringGiftStatus.CANCELLED
        if kind in ENDING_EVENTS
        else PATRON_STATUSES.get(attributes.get("patron_status"))
    )
    if status is None:
        return None
    return RecurringEvent(
        channel=ChannelKind.PATREON,
        reference=str(member["id"]),
        status=status,
        at=timezone.now(),
        email=str(attributes.get("email") or ""),
        donor_name=str(attributes.get("full_name") or "")[:120],
    )
