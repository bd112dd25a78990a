"""The readers' support page (`/support/`) and the thank-you page after a card gift."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rostra.funding import selectors, services
from rostra.funding.models import AskPosition, ChannelKind, FundingSettings


def support_page(request, *, card_error="", card_values=None, status=200):
    """The support page; the card form shows `card_error` and the reader's `card_values`."""
    funding = FundingSettings.for_request(request)
    campaign = selectors.active_campaign()
    channels = selectors.enabled_channels()
    return render(
        request,
        "funding/support_page.html",
        {
            "progress": selectors.campaign_progress(campaign) if campaign else None,
            "channels": channels,
            "supporters": selectors.supporters(),
            "heading": selectors.support_heading(funding),
            "settings_text": funding.support_text,
            "card_enabled": any(c.kind == ChannelKind.CARD for c in channels),
            "card_currency": campaign.currency if campaign else "USD",
            "funding": funding,
            "card_error": card_error,
            "card_values": card_values or {"amount": "25", "frequency": "once"},
            "ask": ask_from(card_values or request.GET),
        },
        status=status,
    )


def ask_from(data) -> dict:
    """The ask the reader came from, for the card form's hidden fields: the article (if
    it is one) and the position, `support_page` when they came straight here."""
    return {
        "article": services.ask_article_id(data.get("article")) or "",
        "position": services.ask_position(data.get("position")) or AskPosition.SUPPORT_PAGE,
    }


@require_GET
def support(request):
    return support_page(request)


@require_GET
def thanks(request):
    return render(request, "funding/thanks.html", {"site_name": settings.SITE_NAME})
