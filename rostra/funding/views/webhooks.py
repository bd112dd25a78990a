"""The one webhook view: `/funding/webhooks/<provider>/` for every payment provider in
`funding.providers`. It verifies, parses and hands the gifts to the recording service;
what it answers is the same for every provider:

- 200 "ok" when recorded, "already handled" for a delivery or gift seen before,
  "ignored" for an event that is not about a gift, "not booked: <why>" for a genuine
  message the ledger should not book (logged);
- 400 with the reason for anything unverified, malformed or that the ledger cannot
  keep (permanent: sending it again will not help), logged, with nothing recorded;
- 503 when it cannot be handled now (the provider's server unreachable, our database
  busy), so that the provider sends it again later; nothing is recorded.
"""

from django.db import OperationalError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from rostra.funding import selectors, services
from rostra.funding.providers.base import NotBooked, RetryLater, WebhookRejected, logger
from rostra.funding.providers.registry import provider_for


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain")


@csrf_exempt  # each provider authenticates its deliveries (signature, token or postback)
def webhook(request, provider: str):
    handler = provider_for(provider)
    if handler is None:
        raise Http404("No such payment provider.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        handler.verify(request)
        delivery_id = handler.delivery_id(request)
        if delivery_id and selectors.webhook_delivery_handled(handler.name, delivery_id):
            return _text("already handled")
        events = handler.parse(request)
        if not events:
            return _text("ignored")
        campaign_currency = selectors.ledger_currency()
        for event in events:
            handler.check_bookable(event, campaign_currency=campaign_currency)
        try:
            recorded = services.webhook_delivery_record(
                provider=handler.name,
                delivery_id=delivery_id,
                events=events,
                campaign_currency=campaign_currency,
            )
        except (services.DonationRejected, services.RecurringRejected) as error:
            raise handler.rejection(error) from error
    except OperationalError as error:  # locked, or the connection lost: not the sender's fault
        logger.error("%s not processed, the provider will retry: %s", handler.label, error)
        return _text("busy, retry later", status=503)
    except WebhookRejected as refusal:
        logger.warning("%s refused: %s", handler.label, refusal.reason)
        return _text(refusal.answer, status=400)
    except RetryLater as delay:
        logger.error("%s not processed, the provider will retry: %s", handler.label, delay.reason)
        return _text(delay.answer, status=503)
    except NotBooked as reason:
        logger.log(reason.level, "%s not booked: %s", handler.label, reason)
        return _text(f"not booked: {reason}")
    return _text("ok" if recorded else "already handled")
