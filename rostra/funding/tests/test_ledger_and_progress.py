"""Gifts move the bar exactly once, in the right period, at the rate of their day."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from rostra.funding import selectors, services
from rostra.funding.models import Campaign, Channel, CurrencyRate, Donation, DonationStatus
from rostra.funding.services import DonationEvent, DonationRejected

pytestmark = pytest.mark.django_db


def gift(reference, amount, *, at, currency="USD", status=DonationStatus.CONFIRMED, **extra):
    event = DonationEvent(
        channel="card",
        external_reference=reference,
        amount=Decimal(amount),
        currency=currency,
        status=status,
        received_at=at,
        **extra,
    )
    return services.donation_record(event, campaign_currency="USD")


def test_replayed_event_is_recorded_once_and_a_refund_lowers_the_total(campaign):
    at = datetime(2025, 3, 10, 12, tzinfo=UTC)
    assert gift("pi_1", "100.00", at=at)[1] is True
    assert gift("pi_1", "100.00", at=at)[1] is False
    gift("pi_2", "40.50", at=at)
    progress = selectors.campaign_progress(campaign, now=at)
    assert progress.raised == Decimal("140.50")
    gift("pi_1", "100.00", at=at, status=DonationStatus.REFUNDED)
    assert selectors.campaign_progress(campaign, now=at).raised == Decimal("40.50")
    assert gift("pi_1", "100.00", at=at)[1] is False, "a refunded gift never comes back"
    assert Donation.objects.count() == 2


def test_monthly_period_rolls_over_at_local_midnight(campaign, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    with timezone.override("America/New_York"):
        late = timezone.make_aware(datetime(2025, 3, 31, 23, 59, 59))
        early = timezone.make_aware(datetime(2025, 4, 1, 0, 0, 0))
        gift("march", "10", at=late)
        gift("april", "20", at=early)
        march = selectors.campaign_progress(campaign, now=late)
        april = selectors.campaign_progress(campaign, now=early)
    assert (march.period_label, march.raised) == ("MARCH 2025", Decimal("10.00"))
    assert (april.period_label, april.raised) == ("APRIL 2025", Decimal("20.00"))


def test_period_name_and_goal_sentence_follow_the_active_language(campaign):
    """The period is named with Django's month names in the active language ("MÄRZ
    2025" in German), and the goal sentence counts supporters with ngettext: one
    "supporter", two "supporters"."""
    at = datetime(2025, 3, 10, 12, tzinfo=UTC)
    gift("one", "10", at=at)
    one = selectors.campaign_progress(campaign, now=at)
    assert one.sentence.endswith("this month · 1 supporter")
    gift("two", "10", at=at)
    assert selectors.campaign_progress(campaign, now=at).sentence.endswith("· 2 supporters")
    with translation.override("de"):
        assert selectors.campaign_progress(campaign, now=at).period_label == "MÄRZ 2025"


def test_other_currencies_count_at_the_rate_recorded_when_received(campaign):
    CurrencyRate.objects.create(
        currency="EUR",
        campaign_currency="USD",
        rate=Decimal("1.10"),
        valid_from=datetime(2025, 1, 1, tzinfo=UTC),
    )
    at = datetime(2025, 3, 5, tzinfo=UTC)
    gift("eur-1", "100", at=at, currency="EUR")
    CurrencyRate.objects.create(
        currency="EUR",
        campaign_currency="USD",
        rate=Decimal("2.00"),
        valid_from=datetime(2025, 3, 6, tzinfo=UTC),
    )
    gift("gbp-1", "50", at=at, currency="GBP")  # no rate known: recorded, not counted
    assert selectors.campaign_progress(campaign, now=at).raised == Decimal("110.00")
    assert Donation.objects.get(external_reference="gbp-1").rate_to_campaign is None


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("0", "USD", "positive"),
        ("-5", "USD", "positive"),
        ("NaN", "USD", "not a number"),
        ("abc", "USD", "not a number"),
        ("10", "US", "ISO 4217"),
    ],
)
def test_malformed_gifts_are_rejected(campaign, amount, currency, message):
    with pytest.raises(DonationRejected, match=message):
        services.donation_record(
            DonationEvent("card", "x", amount, currency, "confirmed", timezone.now()),
            campaign_currency="USD",
        )
    assert not Donation.objects.exists()


def test_a_receipt_is_emailed_once_to_donors_who_gave_an_address(
    campaign, django_capture_on_commit_callbacks
):
    at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        gift("pi_9", "25", at=at, email="donor@example.org", donor_name="Ines")
        gift("pi_9", "25", at=at, email="donor@example.org", donor_name="Ines")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["donor@example.org"]
    assert "$25" in mail.outbox[0].body and "Dear Ines" in mail.outbox[0].body


def test_ticks_default_to_zero_half_and_full(campaign):
    progress = selectors.campaign_progress(campaign, now=datetime(2025, 3, 1, 12, tzinfo=UTC))
    assert [t.label for t in progress.ticks] == ["$0", "$2,500", "$5,000"]
    assert [t.position for t in progress.ticks] == [0.0, 50.0, 100.0]


def test_one_off_campaign_counts_only_between_its_dates(db):
    campaign = Campaign.objects.create(
        title="New press",
        period="one_off",
        goal=Decimal("1000"),
        currency="USD",
        starts_on=date(2025, 5, 1),
        ends_on=date(2025, 5, 31),
    )
    gift("before", "5", at=datetime(2025, 4, 30, 12, tzinfo=UTC))
    gift("inside", "7", at=datetime(2025, 5, 31, 12, tzinfo=UTC))
    assert selectors.campaign_progress(campaign, now=datetime(2025, 5, 15, tzinfo=UTC)).raised == 7
    assert selectors.active_campaign(datetime(2025, 6, 2, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("btc", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz", "checksum does not match"),
        ("bch", "qr95sy3j9xwd2ap32xkykttr4cvcu7as4y0qverfuz", "checksum does not match"),
        ("eth", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55"),
        ("patreon", "patreon.com/x", "https://"),
        ("paypal", "not an address", "PayPal"),
    ],
)
def test_channels_refuse_wrong_addresses_with_a_clear_message(db, kind, value, message):
    with pytest.raises(ValidationError, match=message):
        Channel(kind=kind, label=kind, value=value).full_clean()


def test_ethereum_channel_is_stored_in_checksum_form(db):
    channel = Channel(kind="eth", label="ETH", value="0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    channel.full_clean()
    assert channel.value == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
