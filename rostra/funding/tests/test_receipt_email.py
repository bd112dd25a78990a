"""The thank-you e-mail shows the donor's name as given, in text and in HTML."""

import pytest
from django.core import mail
from django.utils import timezone

from rostra.funding.models import Donation
from rostra.funding.tasks import send_receipt

pytestmark = pytest.mark.django_db


def test_receipt_text_shows_the_name_literally_and_html_escapes_it():
    """`O'Brien <b>&` reads so in the plain-text receipt and is escaped in its HTML."""
    donation = Donation.objects.create(
        channel="card", external_reference="pi_1", amount="25", currency="USD",
        status="confirmed", received_at=timezone.now(), email="donor@example.org",
        donor_name="O'Brien <b>&",
    )  # fmt: skip
    send_receipt.enqueue(donation.pk)
    (message,) = mail.outbox
    assert "Dear O'Brien <b>&," in message.body
    assert "Dear O&#x27;Brien &lt;b&gt;&amp;," in message.alternatives[0][0]
