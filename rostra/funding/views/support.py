"""The readers' support page (`/support/`) and the thank-you page after a card gift."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rostra.funding import selectors, services
from rostra.funding.asks import ask_context
from rostra.funding.models import AskPosition, ChannelKind, FundingSettings


def support_page(request, *, card_error="", card_values=None, status=200):
    """The support page; the card form shows `card_error` and the reader's `card_values`."""
    funding = FundingSettings.for_request(request)
    campaign = selectors.active_campaign()
    channels = selectors.enabled_channels()
    progress = selectors.campaign_progress(campaign) if campaign else None
    ask = ask_from(card_values or request.GET)
    context = ask_context(
        funding=funding,
        channels=channels,
        progress=progress,
        heading=_("Give"),
        ask=ask,
        position="page",
    )
    return render(
        request,
        "funding/support_page.html",
        {
            **context,
            "supporters": selectors.supporters(),
            "card_currency": campaign.currency if campaign else "USD",
            "funding": funding,
            "card_error": card_error,
            "card_values": card_values or _card_start(request.GET, funding),
            "stripe_missing": not context["card_enabled"]
            and request.user.is_staff
            and any(c.kind == ChannelKind.CARD for c in channels),
        },
        status=status,
    )


def _card_start(query, funding) -> dict:
    """The card form's first values: what the reader chose in an ask, else 25."""
    frequency = query.get("frequency", "monthly" if funding.monthly_preselected else "once")
    return {"amount": query.get("amount", "25")[:12], "frequency": frequency}


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
