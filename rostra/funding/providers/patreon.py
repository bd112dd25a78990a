"""Patreon: each paid charge of a pledge is one gift. Signed with HMAC-MD5 of the body
in X-Patreon-Signature (their protocol, not our choice); the event is named in
X-Patreon-Event."""

import hashlib
import hmac
import json

from django.conf import settings

from rostra.funding import selectors
from rostra.funding.amounts import minor_to_decimal
from rostra.funding.models import ChannelKind, DonationStatus
from rostra.funding.providers.base import PaymentProvider, WebhookRejected, parse_iso, same_secret
from rostra.funding.services.donations import DonationEvent

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

    def events(self, request) -> list[DonationEvent]:
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
        if kind not in PLEDGE_EVENTS or attributes.get("last_charge_status") != "Paid":
            return []
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
            )
        ]
