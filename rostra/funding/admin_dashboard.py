"""The newsroom's funding panel on the Wagtail dashboard: this month's goal progress in
the goal bar's words, the latest gifts and a link to the funding report."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from rostra.funding import selectors
from rostra.funding.money import format_money


class FundingPanel(Component):
    name = "funding"
    template_name = "funding/admin/dashboard_panel.html"
    order = 90  # above Wagtail's own panels (pages in moderation are at 200 and on)

    def get_context_data(self, parent_context):
        campaign = selectors.active_campaign()
        return {
            "progress": selectors.campaign_progress(campaign) if campaign else None,
            "gifts": [
                (gift, format_money(gift.amount, gift.currency))
                for gift in selectors.latest_gifts(limit=5)
            ],
            "report_url": reverse("funding_report"),
        }


def add_funding_panel(request, panels) -> None:
    """Shown to those who may see the ledger (the report's own permission)."""
    if request.user.has_perm("funding.view_donation"):
        panels.append(FundingPanel())
