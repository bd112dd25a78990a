from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from rostra.discussion.identity import client_ip, hash_ip
from rostra.funding import selectors
from rostra.funding.checkout import CheckoutRefused, CheckoutRequest, checkout_start
from rostra.funding.models import ChannelKind, FundingSettings


def _support_page(request, *, card_error="", card_values=None, status=200):
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
        },
        status=status,
    )


@require_GET
def support(request):
    return _support_page(request)


@require_POST
def card_checkout(request):
    """Start a Stripe Checkout for the amount the reader chose; refusals keep the form."""
    funding = FundingSettings.for_request(request)
    campaign = selectors.active_campaign()
    values = {k: request.POST.get(k, "") for k in ("amount", "frequency", "message", "public_name")}
    try:
        url = checkout_start(
            CheckoutRequest(
                amount=values["amount"],
                currency=campaign.currency if campaign else "USD",
                monthly=values["frequency"] == "monthly",
                public_name=values["public_name"] == "yes",
                message=values["message"],
                ip_hash=hash_ip(client_ip(request)),
            ),
            minimum=funding.card_minimum,
            maximum=funding.card_maximum,
        )
    except CheckoutRefused as refusal:
        status = 429 if "Too many" in str(refusal) else 400
        return _support_page(request, card_error=str(refusal), card_values=values, status=status)
    return HttpResponseRedirect(url, status=303)


@require_GET
def thanks(request):
    return render(request, "funding/thanks.html", {"site_name": settings.SITE_NAME})
