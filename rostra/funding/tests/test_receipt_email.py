"""The thank-you e-mail shows the donor's name as given, in text and in HTML."""

from datetime import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation

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


def test_receipt_is_written_in_the_active_language_with_its_date_format():
    """Rendered under German (as the worker does with LANGUAGE_CODE=de), the receipt's
    date reads "27. November 2026" (Django's German DATE_FORMAT), not "27 November 2026"."""
    received = timezone.make_aware(datetime(2026, 11, 27, 12, 0))
    donation = Donation.objects.create(
        channel="card", external_reference="pi_2", amount="25", currency="USD",
        status="confirmed", received_at=received, email="donor@example.org",
    )  # fmt: skip
    with translation.override("de"):
        send_receipt.enqueue(donation.pk)
    (message,) = mail.outbox
    assert "27. November 2026" in message.body
    assert "27. November 2026" in message.alternatives[0][0]
