"""One amount rule for every way into the ledger: finite, positive, within the column, and
in whole units of the currency's smallest coin."""

from decimal import Decimal

import pytest

from rostra.funding.models import Donation
from rostra.funding.services import donation_restore


def archive_row(amount, currency, *, reference="T-1") -> dict:
    """A donation row as a Rostra archive holds it."""
    return {
        "amount": amount,
        "currency": currency,
        "channel": "bank",
        "external_reference": reference,
        "status": "confirmed",
        "received_at": "2025-03-20T10:00:00+00:00",
        "campaign_currency": "USD",
    }


@pytest.mark.parametrize(
    ("amount", "currency", "reason"),
    [
        ("1" + "0" * 30, "USD", "too large"),
        ("1e30", "USD", "too large"),
        (1e30, "USD", "too large"),
        ("1000000000000", "USD", "too large"),
        ("0.001", "USD", "smaller unit"),
        ("0.005", "USD", "smaller unit"),
        ("10.5", "JPY", "smaller unit"),
        ("0", "USD", "positive"),
        ("-5", "USD", "positive"),
        ("NaN", "USD", "not a number"),
        ("Infinity", "USD", "not a number"),
        ("sNaN", "USD", "not a number"),
        ("ten", "USD", "not a number"),
        (True, "USD", "not a number"),
        (None, "USD", "not a number"),
    ],
)
@pytest.mark.django_db
def test_archive_rows_the_ledger_cannot_hold_are_rejected(amount, currency, reason):
    """Restoring an archive uses the same rule as webhooks: the row is rejected with the
    reason, and nothing is written."""
    outcome, why = donation_restore(archive_row(amount, currency))
    assert outcome == "rejected" and why.startswith("amount:") and reason in why
    assert not Donation.objects.exists()


@pytest.mark.django_db
def test_archive_rows_within_the_rule_are_restored():
    """The largest amount the column holds, and a whole number of yen, are fine."""
    assert donation_restore(archive_row("999999999999.99", "USD")) == ("created", "")
    assert donation_restore(archive_row("500", "JPY", reference="T-2")) == ("created", "")
    assert Donation.objects.get(external_reference="T-1").amount == Decimal("999999999999.99")


@pytest.mark.parametrize(
    "received_at", ["2025-13-01T10:00:00+00:00", "2025-02-30T10:00:00", "yesterday", "", 12345]
)
@pytest.mark.django_db
def test_archive_rows_with_an_impossible_date_are_rejected(received_at):
    """A month 13, a 30 February or a date that is not one rejects the row with the
    reason, instead of failing the whole import, and writes nothing."""
    row = {**archive_row("10", "USD"), "received_at": received_at}
    outcome, why = donation_restore(row)
    assert outcome == "rejected" and why.startswith("received_at:"), why
    assert not Donation.objects.exists()
