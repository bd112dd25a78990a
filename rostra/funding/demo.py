"""Demo funding: a monthly goal, ways to give, and a few gifts this month.

The crypto addresses are the specifications' own example addresses (BIP173, CashAddr,
EIP-55): valid, and belonging to no newsroom.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from rostra.funding import services
from rostra.funding.models import Campaign, Channel, ChannelKind, DonationStatus
from rostra.funding.services import DonationEvent

CHANNELS = [
    (ChannelKind.PAYPAL, "PayPal", "donations@harrowby-herald.example"),
    (ChannelKind.LINK, "Donate page", "https://harrowby-herald.example/donate"),
    (ChannelKind.PATREON, "Patreon", "https://www.patreon.com/harrowby-herald-example"),
    (ChannelKind.CARD, "Card", "Stripe Checkout"),
    (ChannelKind.BTC, "BTC", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
    (ChannelKind.BCH, "BCH", "qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuy"),
    (ChannelKind.ETH, "ETH", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
]

# Booked on the channels above (and one by hand, in cash), so that the funding report
# and the dashboard show them by the demo outlet's names.
GIFTS = [
    (
        ChannelKind.PAYPAL,
        "demo-1",
        Decimal("50.00"),
        "Mill Street Residents",
        "For the flood coverage.",
    ),
    (ChannelKind.LINK, "demo-2", Decimal("25.00"), "", ""),
    (
        ChannelKind.CASH,
        "demo-3",
        Decimal("100.00"),
        "A. Reader",
        "Keep asking the awkward questions.",
    ),
    (ChannelKind.PATREON, "demo-4", Decimal("15.00"), "", ""),
]


# The campaign's name and the donors' words while the demo loads in German.
GERMAN = {
    "Monthly running costs": "Laufende Kosten im Monat",
    "Mill Street Residents": "Anwohner der Mühlenstraße",
    "For the flood coverage.": "Für die Berichte über den Stadthaushalt.",
    "A. Reader": "Eine Leserin",
    "Keep asking the awkward questions.": "Stellen Sie weiter die unbequemen Fragen.",
}


def _in_demo_language(text: str) -> str:
    return GERMAN.get(text, text) if get_language() == "de" else text


def demo_funding_load() -> str:
    if Campaign.objects.exists():
        return ""
    today = timezone.localdate()
    Campaign.objects.create(
        title=_in_demo_language("Monthly running costs"),  # translatable: no (demo text)
        goal=Decimal("5000"),
        currency="USD",
        starts_on=today.replace(day=1),
    )
    for order, (kind, label, value) in enumerate(CHANNELS):
        channel = Channel(kind=kind, label=label, value=value, sort_order=order)
        channel.full_clean()
        channel.save()
    now = timezone.now()
    start_of_month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0)
    for n, (kind, reference, amount, name, message) in enumerate(GIFTS):
        services.donation_record(
            DonationEvent(
                channel=kind,
                external_reference=reference,
                amount=amount,
                currency="USD",
                status=DonationStatus.CONFIRMED,
                received_at=max(start_of_month, now - timedelta(hours=5 * (n + 1))),
                donor_name=_in_demo_language(name),
                message=_in_demo_language(message),
                is_anonymous=not name,
            ),
            campaign_currency="USD",
        )
    summary = f"a funding campaign with {len(CHANNELS)} channels"
    if not settings.STRIPE_SECRET_KEY:
        # Readers are not offered the card channel without a key; say how to turn it on.
        summary += (
            " (card gifts stay hidden until ROSTRA_STRIPE_SECRET_KEY and"
            " ROSTRA_STRIPE_WEBHOOK_SECRET are set: README, Reader funding)"
        )
    return summary
