"""What the ask shows (after the article body and on /support/): the editor's headline and
text, the goal bar, preset amounts in the site's locale, once or monthly, the card button
when card giving is configured, and the other ways to give."""

from django.conf import settings

from rostra.funding.models import ChannelKind, parse_amount_presets
from rostra.funding.money import format_money


def card_giving_configured(channels) -> bool:
    """Card gifts are offered only with a Stripe key and a card channel enabled."""
    return bool(settings.STRIPE_SECRET_KEY) and any(c.kind == ChannelKind.CARD for c in channels)


def amount_chips(funding, currency: str) -> list[dict]:
    """The editor's preset amounts as chips; the middle one is chosen to start with."""
    amounts = parse_amount_presets(funding.amount_presets)
    chosen = len(amounts) // 2 if amounts else -1
    return [
        {"value": f"{amount:f}", "label": format_money(amount, currency), "checked": i == chosen}
        for i, amount in enumerate(amounts)
    ]


def ask_context(*, funding, channels, progress, heading, ask: dict, position: str) -> dict:
    currency = progress.campaign.currency if progress else "USD"
    return {
        "position": position,
        "heading": heading,
        "text": funding.support_text,
        "progress": progress,
        "card_enabled": card_giving_configured(channels),
        "chips": amount_chips(funding, currency),
        "monthly": funding.monthly_preselected,
        "other_channels": [c for c in channels if c.kind != ChannelKind.CARD],
        "ask": ask,
    }
