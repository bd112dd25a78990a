"""Recording gifts: one validation for every way into the ledger, webhook deliveries
recorded once with their gifts, and the exact number of queries a gift costs."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from rostra.funding.models import Donation, WebhookDelivery
from rostra.funding.services import (
    DonationEvent,
    DonationRejected,
    donation_record,
    donation_restore,
    webhook_delivery_record,
)

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def gift(reference="G-1", **changes) -> DonationEvent:
    fields = {
        "channel": "kofi",
        "external_reference": reference,
        "amount": "5.00",
        "currency": "USD",
        "status": "confirmed",
        "received_at": RECEIVED,
    }
    return DonationEvent(**{**fields, **changes})


def archive_row(event: DonationEvent) -> dict:
    return {**event.__dict__, "received_at": event.received_at.isoformat(),
            "campaign_currency": "USD"}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"external_reference": "R" * 201}, "external_reference"),
        ({"email": "not an address"}, "email"),
    ],
    ids=["reference longer than the column", "e-mail that is no address"],
)
def test_a_gift_the_ledger_cannot_keep_is_refused_alike_by_every_path(campaign, changes, field):
    """A webhook's or import's gift and an archive row are checked by the same rules: a
    reference longer than its column or a malformed e-mail is refused by both, with the
    field named, and nothing is written (it used to be stored as given by webhooks)."""
    event = gift(**changes)
    with pytest.raises(DonationRejected, match=field):
        donation_record(event, campaign_currency="USD")
    outcome, reason = donation_restore(archive_row(event))
    assert outcome == "rejected" and reason.startswith(field)
    assert not Donation.objects.exists()


def test_a_delivery_is_recorded_once_with_its_gifts(campaign):
    """The delivery's mark and its gifts are written together; the same delivery again
    does nothing and says so."""
    events = [gift("G-1"), gift("G-2", amount="7.50")]
    assert webhook_delivery_record(
        provider="btcpay", delivery_id="d-1", events=events, campaign_currency="USD"
    )
    assert not webhook_delivery_record(
        provider="btcpay", delivery_id="d-1", events=[gift("G-3")], campaign_currency="USD"
    )
    assert sorted(Donation.objects.values_list("external_reference", flat=True)) == ["G-1", "G-2"]
    assert WebhookDelivery.objects.get().delivery_id == "d-1"


def test_a_delivery_with_a_gift_the_ledger_refuses_leaves_nothing_behind(campaign):
    """One bad gift refuses the whole delivery: no gift and no mark, so that a corrected
    resend of the same delivery is recorded."""
    with pytest.raises(DonationRejected):
        webhook_delivery_record(
            provider="btcpay",
            delivery_id="d-1",
            events=[gift("G-1"), gift("G-2", amount="0.001")],
            campaign_currency="USD",
        )
    assert not Donation.objects.exists() and not WebhookDelivery.objects.exists()


def test_recording_a_new_gift_costs_an_exact_number_of_queries(campaign, django_assert_num_queries):
    """A new gift: a savepoint, the look-up of its reference under lock, a savepoint for
    the insert, the insert, two releases. A replay: savepoint, look-up, release."""
    with django_assert_num_queries(6):
        donation_record(gift(), campaign_currency="USD")
    with django_assert_num_queries(3):
        donation_record(gift(), campaign_currency="USD")
    assert Donation.objects.get().amount == Decimal("5.00")
