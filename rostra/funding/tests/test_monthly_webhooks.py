"""Webhooks keep monthly gifts current: Stripe's subscription updates and deletions and
failed payments (one polite e-mail with a manage link per unpaid invoice, after the
commit), Patreon's member updates; each change through the one recording service and
idempotent under replay."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from rostra.funding import services
from rostra.funding.models import Donor, RecurringGift
from rostra.funding.services import DonationEvent
from rostra.funding.tests.test_kofi_and_patreon_webhooks import (
    PATREON_SECRET,
    patreon_body,
    post_patreon,
)
from rostra.funding.tests.test_stripe_webhook import SECRET, event, send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def secrets_set(settings, campaign):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.PATREON_WEBHOOK_SECRET = PATREON_SECRET


@pytest.fixture
def monthly(campaign):
    """Ana gives 10 USD a month by card (Stripe subscription sub_1, customer cus_1)."""
    services.donation_record(
        DonationEvent(
            "card", "pi_month1", Decimal("10"), "USD", "confirmed", timezone.now(),
            email="ana@example.org", donor_name="Ana",
            recurring_reference="sub_1", customer_reference="cus_1",
        ),
        campaign_currency="USD",
    )  # fmt: skip
    mail.outbox.clear()
    return RecurringGift.objects.get()


FAILED_INVOICE = {
    "id": "in_2",
    "object": "invoice",
    "subscription": "sub_1",
    "customer": "cus_1",
    "customer_email": "ana@example.org",
    "customer_name": "Ana",
    "amount_due": 1000,
    "currency": "usd",
}


def replay(client, callbacks, payload, times=10):
    with callbacks(execute=True) as queued:
        answers = {send(client, payload).status_code for _ in range(times)}
    assert answers == {200}
    return queued


def test_a_failed_payment_replayed_ten_times_changes_once_and_mails_once(
    client, monthly, django_capture_on_commit_callbacks
):
    """Ten deliveries of the same failure: the gift is marked past due once, the donor
    gets one e-mail, after the commit, with a manage link that opens their page."""
    payload = event("invoice.payment_failed", FAILED_INVOICE, "evt_fail")
    queued = replay(client, django_capture_on_commit_callbacks, payload)
    assert len(queued) == 1, "one e-mail queued, once the delivery committed"
    monthly.refresh_from_db()
    assert (monthly.status, monthly.failed_invoice) == ("past_due", "in_2")
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"] and "could not be paid" in message.subject
    link = urlsplit(re.search(r"http://\S+/support/manage/open/\S+/", message.body).group(0))
    assert client.post(link.path).status_code == 302
    # Stripe also reports the subscription past due on the same invoice: no second e-mail.
    updated = {"id": "sub_1", "object": "subscription", "status": "past_due",
               "customer": "cus_1", "latest_invoice": "in_2"}  # fmt: skip
    replay(
        client, django_capture_on_commit_callbacks, event("customer.subscription.updated", updated)
    )
    assert len(mail.outbox) == 1


def test_a_new_payment_puts_the_gift_back_in_good_standing(
    client, monthly, django_capture_on_commit_callbacks
):
    """After a failure, the next paid invoice makes the gift active again; a later
    failure of another invoice is told again."""
    replay(
        client,
        django_capture_on_commit_callbacks,
        event("invoice.payment_failed", FAILED_INVOICE),
        1,
    )
    paid = {"id": "in_3", "object": "invoice", "amount_paid": 1000, "currency": "usd",
            "payment_intent": "pi_month2", "customer_email": "ana@example.org",
            "customer": "cus_1", "subscription": "sub_1"}  # fmt: skip
    replay(client, django_capture_on_commit_callbacks, event("invoice.paid", paid), 1)
    monthly.refresh_from_db()
    assert (monthly.status, monthly.failed_invoice) == ("active", "")
    again = {**FAILED_INVOICE, "id": "in_4"}
    replay(client, django_capture_on_commit_callbacks, event("invoice.payment_failed", again), 3)
    failures = [m for m in mail.outbox if "could not be paid" in m.subject]
    assert len(failures) == 2, "one note per unpaid invoice (the receipt aside)"


def test_a_deleted_subscription_replayed_ten_times_cancels_once(
    client, monthly, django_capture_on_commit_callbacks
):
    """The gift is cancelled once (its change time does not move on replays), the donor
    has no monthly gift running, and a stale 'active' update does not revive it."""
    deleted = {"id": "sub_1", "object": "subscription", "status": "canceled", "customer": "cus_1"}
    replay(
        client,
        django_capture_on_commit_callbacks,
        event("customer.subscription.deleted", deleted),
        1,
    )
    monthly.refresh_from_db()
    changed_at = monthly.updated_at
    replay(
        client,
        django_capture_on_commit_callbacks,
        event("customer.subscription.deleted", deleted),
        9,
    )
    monthly.refresh_from_db()
    assert (monthly.status, monthly.updated_at) == ("cancelled", changed_at)
    assert monthly.cancelled_at is not None
    stale = {**deleted, "status": "active"}
    replay(
        client, django_capture_on_commit_callbacks, event("customer.subscription.updated", stale), 1
    )
    monthly.refresh_from_db()
    donor = Donor.objects.get()
    assert monthly.status == "cancelled" and donor.active_monthly_gifts == 0
    assert donor.status_at(timezone.now()) == "monthly_lapsed" and not mail.outbox


def test_subscription_status_updates_map_to_the_gift(
    client, monthly, django_capture_on_commit_callbacks
):
    unpaid = {"id": "sub_1", "object": "subscription", "status": "unpaid", "customer": "cus_1"}
    replay(
        client,
        django_capture_on_commit_callbacks,
        event("customer.subscription.updated", unpaid),
        1,
    )
    monthly.refresh_from_db()
    assert monthly.status == "past_due"
    paused = {**unpaid, "status": "paused"}
    response = send(client, event("customer.subscription.updated", paused))
    assert response.content == b"ignored"


def test_a_monthly_checkout_starts_the_gift_with_its_donor(client, campaign):
    session = {
        "id": "cs_1", "object": "checkout.session", "mode": "subscription",
        "subscription": "sub_9", "customer": "cus_9", "payment_status": "paid",
        "customer_details": {"email": "Bea@example.org", "name": "Bea"},
        "metadata": {"public_name": "yes", "position": "support_page"},
    }  # fmt: skip
    for _ in range(3):
        assert send(client, event("checkout.session.completed", session)).status_code == 200
    gift = RecurringGift.objects.get()
    assert (gift.reference, gift.customer_reference, gift.position) == (
        "sub_9",
        "cus_9",
        "support_page",
    )
    assert gift.donor.email == "Bea@example.org" and gift.donor.show_name
    assert gift.donor.active_monthly_gifts == 1


@pytest.mark.parametrize(
    "broken",
    [
        {**FAILED_INVOICE, "customer_email": "not an address"},
        {**FAILED_INVOICE, "id": "in_" + "x" * 300},
    ],
    ids=["bad address", "reference too long"],
)
def test_failure_reports_that_cannot_be_kept_get_400_and_change_nothing(client, monthly, broken):
    response = send(client, event("invoice.payment_failed", broken))
    assert response.status_code == 400
    monthly.refresh_from_db()
    assert monthly.status == "active" and not mail.outbox


def test_a_subscription_event_without_an_id_gets_400(client, campaign):
    response = send(client, event("customer.subscription.deleted", {"object": "subscription"}))
    assert response.status_code == 400 and not RecurringGift.objects.exists()


def test_patreon_member_updates_change_the_monthly_gift_once(
    client, campaign, django_capture_on_commit_callbacks
):
    """A paid pledge starts the membership; a declined member is past due (Patreon tells
    them itself: no e-mail from us); a deleted pledge, replayed, cancels it once."""
    assert post_patreon(client, patreon_body()).status_code == 200
    gift = RecurringGift.objects.get()
    assert (gift.channel, gift.reference, gift.status) == ("patreon", "8c3b-member", "active")
    declined = patreon_body(status="Declined")
    declined["data"]["attributes"]["patron_status"] = "declined_patron"
    with django_capture_on_commit_callbacks(execute=True):
        assert post_patreon(client, declined, event="members:update").status_code == 200
    gift.refresh_from_db()
    assert gift.status == "past_due" and not mail.outbox
    for _ in range(10):
        post_patreon(client, patreon_body(), event="members:pledge:delete")
    gift.refresh_from_db()
    changed_at = gift.updated_at
    post_patreon(client, patreon_body(), event="members:pledge:delete")
    gift.refresh_from_db()
    assert (gift.status, gift.updated_at) == ("cancelled", changed_at)
    assert Donor.objects.get().active_monthly_gifts == 0
