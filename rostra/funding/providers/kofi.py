"""Ko-fi: donations and subscription payments, posted as a form whose `data` field holds
the JSON message, with the account's verification token inside it."""

import json

from django.conf import settings

from rostra.funding.models import ChannelKind, DonationStatus
from rostra.funding.providers.base import PaymentProvider, WebhookRejected, parse_iso, same_secret
from rostra.funding.services.donations import DonationEvent

COUNTED_TYPES = {"Donation", "Subscription"}


class KoFi(PaymentProvider):
    name = "kofi"
    label = "Ko-fi webhook"

    def verify(self, request) -> None:
        try:
            given = str(_message(request)["verification_token"])
        except KeyError as error:
            raise WebhookRejected("Malformed payload.", reason=f"no {error}") from error
        token = settings.KOFI_VERIFICATION_TOKEN
        if not token or not same_secret(given, token):
            raise WebhookRejected("Invalid verification token.", reason="wrong verification token")

    def events(self, request) -> list[DonationEvent]:
        data = _message(request)
        if data.get("type") not in COUNTED_TYPES:
            return []
        public = bool(data.get("is_public"))
        return [
            DonationEvent(
                channel=ChannelKind.KOFI,
                external_reference=str(data["kofi_transaction_id"]),
                amount=data["amount"],
                currency=data["currency"],
                status=DonationStatus.CONFIRMED,
                received_at=parse_iso(data["timestamp"]),
                donor_name=str(data.get("from_name") or ""),
                email=str(data.get("email") or ""),
                message=str(data.get("message") or "") if public else "",
                is_anonymous=not public,
            )
        ]


def _message(request) -> dict:
    try:
        data = json.loads(request.POST["data"])
    except (KeyError, ValueError, TypeError) as error:
        raise WebhookRejected("Malformed payload.", reason=f"malformed body ({error})") from error
    if not isinstance(data, dict):
        raise WebhookRejected("Malformed payload.", reason="the message is not an object")
    return data
