"""The report's recurring revenue: monthly recurring revenue, new, churned (36th day
without a payment) and recovered monthly donors per month, average gift per channel;
as a server-drawn chart, tables and CSV."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from rostra.funding import revenue, services
from rostra.funding.services import DonationEvent

pytestmark = pytest.mark.django_db

MONTHS = [date(2025, m, 1) for m in range(1, 6)]


def pay(who: str, day: tuple[int, int, int], amount="10", channel="card", monthly=True):
    year, month, dom = day
    services.donation_record(
        DonationEvent(
            channel, f"{who}-{year}-{month}-{dom}", Decimal(amount), "USD", "confirmed",
            datetime(year, month, dom, 12, tzinfo=UTC), email=f"{who}@example.org",
            recurring_reference=f"sub_{who}" if monthly else "",
        ),
        campaign_currency="USD",
    )  # fmt: skip


@pytest.fixture
def history(campaign):
    for day in [(2025, 1, 5), (2025, 2, 5), (2025, 3, 5)]:
        pay("ana", day)  # stops after March: churned on 10 April
    for day in [(2025, 1, 10), (2025, 4, 20)]:
        pay("bea", day)  # churned 15 February, recovered in April, churned 26 May
    for day in [(2025, 3, 1), (2025, 4, 1), (2025, 5, 1)]:
        pay("cy", day, amount="20")  # new in March, still paying
    pay("dan", (2024, 12, 20))  # before the window; January is no news, churned 25 Feb
    pay("dan", (2025, 1, 20))
    pay("eve", (2024, 10, 1))  # lapsed long ago: back in January, churned 20 February
    pay("eve", (2025, 1, 15))
    pay("flo", (2025, 2, 1), amount="100", monthly=False)  # a one-off gift: not recurring


def test_new_churned_and_recovered_monthly_donors_per_month(history):
    rows = revenue.recurring_months("USD", MONTHS, datetime(2025, 5, 31, 12, tzinfo=UTC))
    assert [(r.month.month, r.mrr, r.new, r.churned, r.recovered) for r in rows] == [
        (1, Decimal("40.00"), 2, 0, 1),
        (2, Decimal("10.00"), 0, 3, 0),
        (3, Decimal("30.00"), 1, 0, 0),
        (4, Decimal("30.00"), 0, 1, 1),
        (5, Decimal("20.00"), 0, 1, 0),
    ]


def test_churn_is_not_counted_before_it_happens(history):
    """On 20 May, Bea's churn on 26 May has not happened yet."""
    rows = revenue.recurring_months("USD", MONTHS, datetime(2025, 5, 20, 12, tzinfo=UTC))
    assert rows[-1].churned == 0


@pytest.fixture
def editor(client):
    client.force_login(get_user_model().objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def test_the_report_draws_recurring_revenue_and_exports_it(editor, campaign):
    from django.utils import timezone

    today = timezone.localdate()
    pay("ana", (today.year, today.month, 1))
    pay("bea", (today.year, today.month, 1), amount="30", channel="paypal", monthly=False)
    html = editor.get("/admin/funding/report/").content.decode()
    assert "Recurring revenue" in html and 'aria-label="Monthly recurring revenue"' in html
    assert 'aria-label="Gifts per month"' in html
    assert "<td>$10</td><td>1</td><td>0</td><td>0</td>" in html
    rows = list(
        csv.reader(
            io.StringIO(
                editor.get("/admin/funding/report/?format=csv&table=recurring").content.decode()
            )
        )
    )
    assert rows[0] == ["month", "mrr_usd", "new", "churned", "recovered"]
    assert rows[-1] == [today.strftime("%Y-%m"), "10.00", "1", "0", "0"] and len(rows) == 13
    channels = editor.get("/admin/funding/report/?format=csv&table=channels").content.decode()
    assert list(csv.reader(io.StringIO(channels))) == [
        ["channel", "total_usd", "gifts", "average"],
        ["card", "10.00", "1", "10.00"],
        ["paypal", "30.00", "1", "30.00"],
    ]


def test_the_report_reads_a_fixed_number_of_queries(
    editor, campaign, django_assert_max_num_queries
):
    """The recurring figures take three queries however many gifts there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pay("ana", (2025, 1, 5))
    editor.get("/admin/funding/report/")
    with CaptureQueriesContext(connection) as few:
        editor.get("/admin/funding/report/")
    for month in range(2, 12):
        pay("ana", (2025, month, 5))
        pay("bea", (2025, month, 6))
    with django_assert_max_num_queries(len(few.captured_queries)):
        editor.get("/admin/funding/report/")
