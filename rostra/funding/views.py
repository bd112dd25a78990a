from django.shortcuts import render
from django.views.decorators.http import require_GET

from rostra.funding import selectors
from rostra.funding.models import FundingSettings


@require_GET
def support(request):
    funding = FundingSettings.for_request(request)
    campaign = selectors.active_campaign()
    return render(
        request,
        "funding/support_page.html",
        {
            "progress": selectors.campaign_progress(campaign) if campaign else None,
            "channels": selectors.enabled_channels(),
            "supporters": selectors.supporters(),
            "heading": selectors.support_heading(funding),
            "settings_text": funding.support_text,
        },
    )
