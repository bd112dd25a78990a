"""Donor records: one per person across channels, by verified address (case and
plus-addressing folded) or reader account; figures kept current; merge and erase;
the monthly status counted in TIME_ZONE."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from rostra.funding import selectors, services
from rostra.funding.models import Donation, Donor, DonorStatus, RecurringGift
from rostra.funding.services import DonationEvent

pytestmark = pytest.mark.django_db

JAN = datetime(2025, 1, 10, 12, tzinfo=UTC)


def gift(reference, email, *, channel="card", amount="10", at=JAN, status="confirmed", **more):
    donation, _ = services.donation_record(
        DonationEvent(channel, reference, Decimal(amount), "USD", status, at, email=email, **more),
        campaign_currency="USD",
    )
    return donation


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def test_one_donor_across_channels_with_case_and_plus_addressing_folded(campaign):
    """Card, PayPal and Patreon gifts from Ana@Example.org, ana+news@example.org and
    ana@example.org belong to one donor, whose figures add them up."""
    gift("pi_1", "Ana@Example.org", amount="25", at=JAN)
    gift("pp_1", "ana+news@example.org", channel="paypal", amount="10", at=JAN + timedelta(days=3))
    last = gift("pat_1", "ana@example.org", channel="patreon", at=JAN + timedelta(days=40))
    donor = Donor.objects.get()
    assert set(donor.donations.values_list("pk", flat=True)) == set(
        Donation.objects.values_list("pk", flat=True)
    )
    assert (donor.email, donor.email_key, donor.email_verified) == (
        "Ana@Example.org",
        "ana@example.org",
        True,
    )
    assert (donor.gifts, donor.lifetime_total, donor.lifetime_currency) == (
        3,
        Decimal("45.00"),
        "USD",
    )
    assert (donor.first_gift_at, donor.last_gift_at) == (JAN, last.received_at)


def test_an_unverified_address_never_joins_a_verified_donor(campaign):
    """Ko-fi and BTCPay addresses are typed by whoever pays: a gift from one with a
    verified donor's address gets a donor of its own, and two unverified gifts from the
    same address share one."""
    gift("pi_1", "ana@example.org")
    gift("kofi_1", "ana@example.org", channel="kofi")
    gift("btcpay_1", "ANA+x@example.org", channel="btcpay")
    verified, unverified = Donor.objects.order_by("-email_verified")
    assert verified.email_verified and not unverified.email_verified
    assert list(verified.donations.values_list("external_reference", flat=True)) == ["pi_1"]
    assert set(unverified.donations.values_list("external_reference", flat=True)) == {
        "kofi_1",
        "btcpay_1",
    }


def test_a_gift_without_address_or_account_has_no_donor(campaign):
    assert gift("btc_1", "", channel="btcpay").donor is None
    assert not Donor.objects.exists()


def test_a_signed_in_reader_gift_joins_their_account_donor(campaign):
    """A reader who gave signed in from two addresses is one donor."""
    reader = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    gift("pi_1", "first@example.org", reader_id=reader.pk)
    gift("pi_2", "second@example.org", reader_id=reader.pk)
    donor = Donor.objects.get()
    assert donor.user == reader and donor.gifts == 2


def test_a_refund_leaves_the_lifetime_total(campaign):
    gift("pi_1", "ana@example.org", amount="25")
    gift("pi_1", "ana@example.org", amount="25", status="refunded")
    donor = Donor.objects.get()
    assert (donor.gifts, donor.lifetime_total) == (0, Decimal("0.00"))


def test_merge_moves_gifts_and_later_gifts_follow(campaign):
    """After merging, the kept record has both records' gifts, and a later gift from
    the merged-away address arrives there too."""
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    gift("pi_1", "ana@example.org", amount="25")
    gift("kofi_1", "ana.r@example.net", channel="kofi", amount="5")
    keep, other = Donor.objects.get(email_verified=True), Donor.objects.get(email_verified=False)
    services.donor_merge(keep=keep, merge=other, user=editor)
    gift("kofi_2", "ana.r@example.net", channel="kofi", amount="7")
    keep.refresh_from_db()
    assert (keep.gifts, keep.lifetime_total) == (3, Decimal("37.00"))
    assert list(selectors.donors_listed()) == [keep]
    with pytest.raises(services.DonorRefused):
        services.donor_merge(keep=keep, merge=keep, user=editor)


def test_erase_removes_personal_data_and_keeps_the_amounts(campaign):
    """An erased donor has no address or name, their gifts no name, address or message,
    and the ledger's totals do not move; a new gift from the address starts afresh."""
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    gift("pi_1", "ana@example.org", amount="25", donor_name="Ana", message="Keep going")
    donor = Donor.objects.get()
    services.donor_erase(donor=donor, user=editor)
    donor.refresh_from_db()
    assert (donor.email, donor.email_key, donor.name, donor.user) == ("", "", "", None)
    assert donor.erased_at is not None and str(donor) == f"Erased donor #{donor.pk}"
    donation = Donation.objects.get()
    assert (donation.email, donation.donor_name, donation.message) == ("", "", "")
    assert (donation.amount, donation.donor) == (Decimal("25.00"), donor)
    gift("pi_2", "ana@example.org")
    assert Donor.objects.count() == 2


def test_only_editors_with_the_permission_merge_or_erase(campaign):
    reader = get_user_model().objects.create_user("reader", "r@example.org", "pw")
    gift("pi_1", "ana@example.org")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.donor_erase(donor=Donor.objects.get(), user=reader)


def test_monthly_status_lapses_after_35_days_counted_in_the_time_zone(campaign, settings):
    """A monthly gift paid at 23:30 on 31 January in TIME_ZONE (Kiritimati, UTC+14:
    still the morning of 31 January in UTC) keeps the donor active to the end of 7 March
    local time (35 days, across February) and lapsed from local midnight on 8 March, when
    it is only the 7th in UTC."""
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: the local day runs ahead of UTC
    paid = datetime(2025, 1, 31, 23, 30, tzinfo=UTC) - timedelta(hours=14)  # local 31 Jan
    gift("in_1", "ana@example.org", at=paid, recurring_reference="sub_1")
    donor = Donor.objects.get()
    assert donor.active_monthly_gifts == 1
    local = timezone.get_current_timezone()
    last_active = datetime(2025, 3, 7, 23, 59, tzinfo=local)  # 35 days after 31 January
    first_lapsed = datetime(2025, 3, 8, 0, 0, tzinfo=local)
    assert donor.status_at(last_active) == DonorStatus.MONTHLY_ACTIVE
    assert donor.status_at(first_lapsed) == DonorStatus.MONTHLY_LAPSED
    for moment, status in ((last_active, "monthly_active"), (first_lapsed, "monthly_lapsed")):
        assert list(Donor.objects.filter(selectors.donor_status_q(status, moment))) == [donor]
    gift("pi_9", "bea@example.org", at=paid)
    assert Donor.objects.get(email_key="bea@example.org").status_at(paid) == DonorStatus.ONE_OFF


def test_a_cancelled_monthly_gift_is_lapsed_at_once(campaign):
    gift("in_1", "ana@example.org", at=timezone.now(), recurring_reference="sub_1")
    services.recurring_gift_record(
        services.RecurringEvent("card", "sub_1", "cancelled", timezone.now())
    )
    donor = Donor.objects.get()
    assert donor.active_monthly_gifts == 0
    assert donor.status_at(timezone.now()) == DonorStatus.MONTHLY_LAPSED


def test_the_data_migration_links_gifts_recorded_before_donors(campaign):
    """Gifts recorded before donor records existed get their donors by the same rules,
    Patreon charges their membership, and the donors their figures."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("rostra.funding.migrations.0002_donors")
    common = {"currency": "USD", "campaign_currency": "USD", "rate_to_campaign": 1}
    for reference, channel, email, amount in [
        ("pi_1", "card", "Ana@example.org", 25),
        ("m1:2025-01-01T00:00:00+00:00", "patreon", "ana+p@example.org", 5),
        ("kofi_1", "kofi", "ana@example.org", 3),
    ]:
        Donation.objects.create(
            channel=channel, external_reference=reference, email=email, amount=amount,
            received_at=JAN, status="confirmed", **common,
        )  # fmt: skip
    migration.link_existing_donations(apps, None)
    verified = Donor.objects.get(email_verified=True)
    assert (verified.gifts, verified.lifetime_total, verified.active_monthly_gifts) == (
        2,
        Decimal("30.00"),
        1,
    )
    assert RecurringGift.objects.get().reference == "m1"
    assert Donor.objects.get(email_verified=False).gifts == 1


# The admin ---------------------------------------------------------------------------


def test_the_donor_list_never_offers_to_add_a_donor(editor, campaign):
    """Donor records come from gifts, so the list (empty or not) has no "Add" link: it
    would lead to a 404."""
    html = editor.get("/admin/snippets/funding/donor/").content.decode()
    assert "/admin/snippets/funding/donor/add/" not in html
    assert editor.get("/admin/snippets/funding/donor/add/").status_code == 404


def test_donor_list_filters_searches_and_exports(editor, campaign):
    gift("pi_1", "ana@example.org", amount="25", donor_name="Ana Ribeiro")
    gift("in_1", "bea@example.org", at=timezone.now(), recurring_reference="sub_1")
    html = editor.get("/admin/snippets/funding/donor/").content.decode()
    assert "Ana Ribeiro" in html and "bea@example.org" in html
    listed = editor.get("/admin/snippets/funding/donor/?status=monthly_active").content.decode()
    assert "bea@example.org" in listed and "Ana Ribeiro" not in listed
    found = editor.get("/admin/snippets/funding/donor/?q=ribeiro").content.decode()
    assert "Ana Ribeiro" in found and "bea@example.org" not in found
    response = editor.get("/admin/snippets/funding/donor/?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["Email"]: row["Status"] for row in rows} == {
        "ana@example.org": "one_off",
        "bea@example.org": "monthly_active",
    }


def test_donor_list_queries_do_not_grow_with_gifts(editor, campaign, django_assert_num_queries):
    """The list reads the donors' kept figures: as many queries for 3 donors with 1 gift
    as for 3 donors with 4 gifts each."""
    for n in range(3):
        gift(f"pi_{n}", f"d{n}@example.org")
    editor.get("/admin/snippets/funding/donor/")  # warm the session and the admin's caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert editor.get("/admin/snippets/funding/donor/").status_code == 200
    for n in range(3):
        for k in range(3):
            gift(f"pi_{n}_{k}", f"d{n}@example.org")
    with django_assert_num_queries(len(few.captured_queries)):
        editor.get("/admin/snippets/funding/donor/")


def test_donor_page_shows_gift_history_and_merge_and_erase_work(editor, campaign):
    gift("pi_1", "ana@example.org", amount="25")
    gift("kofi_1", "ana@example.org", channel="kofi", amount="5")
    keep, other = Donor.objects.get(email_verified=True), Donor.objects.get(email_verified=False)
    page = editor.get(f"/admin/snippets/funding/donor/inspect/{keep.pk}/").content.decode()
    assert "pi_1" in page and "Gift history" in page and "Merge another record" in page
    bad = editor.post(f"/admin/funding/donors/{keep.pk}/merge/", {"other": "999999"})
    assert bad.status_code == 400 and "no such donor record" in bad.content.decode()
    merged = editor.post(f"/admin/funding/donors/{keep.pk}/merge/", {"other": other.pk})
    assert merged.status_code == 302
    assert Donation.objects.filter(donor=keep).count() == 2
    assert editor.post(f"/admin/funding/donors/{keep.pk}/erase/").status_code == 302
    keep.refresh_from_db()
    assert keep.erased_at and not Donation.objects.exclude(email="").exists()


def test_donor_records_are_not_created_by_hand(editor, campaign):
    assert editor.get("/admin/snippets/funding/donor/add/").status_code == 404
