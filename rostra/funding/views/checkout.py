"""Starting a card gift from the support page's form."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from rostra.core.addresses import client_ip, hash_ip
from rostra.funding import selectors
from rostra.funding.models import FundingSettings
from rostra.funding.services import CheckoutRefused, CheckoutRequest, checkout_start
from rostra.funding.views.support import support_page

CARD_FIELDS = ("amount", "frequency", "message", "public_name", "article", "position")


def card_form_again(request):
    """A card gift posted from a cached page without JavaScript has no form token: show
    /support/'s card form with the reader's choice and a token, to send again."""
    if request.path != reverse("funding:card_checkout"):
        return None
    values = {k: request.POST.get(k, "") for k in CARD_FIELDS}
    return support_page(request, card_values=values)


@require_POST
def card_checkout(request):
    """Start a Stripe Checkout for the amount the reader chose; refusals keep the form."""
    funding = FundingSettings.for_request(request)
    campaign = selectors.active_campaign()
    values = {k: request.POST.get(k, "") for k in CARD_FIELDS}
    try:
        url = checkout_start(
            CheckoutRequest(
                amount=values["amount"],
                currency=campaign.currency if campaign else "USD",
                monthly=values["frequency"] == "monthly",
                public_name=values["public_name"] == "yes",
                message=values["message"],
                ip_hash=hash_ip(client_ip(request)),
                article=values["article"],
                position=values["position"],
                reader_id=request.user.pk if request.user.is_authenticated else None,
            ),
            minimum=funding.card_minimum,
            maximum=funding.card_maximum,
        )
    except CheckoutRefused as refusal:
        return support_page(
            request, card_error=str(refusal), card_values=values, status=refusal.status
        )
    return HttpResponseRedirect(url, status=303)
