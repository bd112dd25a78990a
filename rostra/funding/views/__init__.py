"""Funding's views, one module per page or endpoint: `support` (the support and thanks
pages), `checkout` (starting a card gift), `webhooks` (every payment provider's webhook),
`manage` (donors' self-service) and `report` (the editors' report in the admin). They
parse the request and call `funding.services` or `funding.selectors`."""

from rostra.funding.views.checkout import card_checkout
from rostra.funding.views.manage import (
    manage_cancel,
    manage_card,
    manage_gifts,
    manage_open,
    manage_receipt,
    manage_request,
    manage_summary,
    manage_wall,
)
from rostra.funding.views.report import funding_report
from rostra.funding.views.support import support, thanks
from rostra.funding.views.webhooks import webhook

__all__ = [
    "card_checkout",
    "funding_report",
    "manage_cancel",
    "manage_card",
    "manage_gifts",
    "manage_open",
    "manage_receipt",
    "manage_request",
    "manage_summary",
    "manage_wall",
    "support",
    "thanks",
    "webhook",
]
