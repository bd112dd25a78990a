"""Figures for the editors' funding report beyond monthly totals: where gifts came from
(article, ask position) and recurring revenue. Read-only; every figure is confirmed
gifts in the campaign currency at their recorded rates, months in TIME_ZONE."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from rostra.funding.lapse import LAPSED_AFTER_DAYS
from rostra.funding.models import AskPosition, Donation, DonationStatus

CENT = Decimal("0.01")


def _value():
    return ExpressionWrapper(
        F("amount") * F("rate_to_campaign"),
        output_field=DecimalField(max_digits=24, decimal_places=10),
    )


def counted_gifts(currency: str, since: datetime):
    """Confirmed gifts since `since` that count in `currency`."""
    return Donation.objects.filter(
        status=DonationStatus.CONFIRMED,
        campaign_currency=currency,
        rate_to_campaign__isnull=False,
        received_at__gte=since,
    )


@dataclass(frozen=True)
class SourceTotal:
    label: str
    key: str  # article id or position value, for the CSV
    total: Decimal
    count: int


def gifts_by_article(currency: str, since: datetime, limit: int = 25) -> list[SourceTotal]:
    """The articles that brought the most, in one query."""
    rows = (
        counted_gifts(currency, since)
        .filter(article__isnull=False)
        .values("article_id", "article__title")
        .annotate(total=Sum(_value()), count=Count("pk"))
        .order_by("-total", "article_id")[:limit]
    )
    return [
        SourceTotal(
            row["article__title"],
            str(row["article_id"]),
            Decimal(row["total"] or 0).quantize(CENT),
            row["count"],
        )
        for row in rows
    ]


def gifts_by_position(currency: str, since: datetime) -> list[SourceTotal]:
    """Every ask position, with gifts whose position is not known as "Not recorded"."""
    rows = {
        row["position"]: row
        for row in counted_gifts(currency, since)
        .values("position")
        .annotate(total=Sum(_value()), count=Count("pk"))
        .order_by()
    }
    labels = [*AskPosition.choices, ("", _("Not recorded"))]
    return [
        SourceTotal(
            label,
            value or "none",
            Decimal(rows[value]["total"] or 0).quantize(CENT) if value in rows else Decimal(0),
            rows[value]["count"] if value in rows else 0,
        )
        for value, label in labels
    ]


# Recurring revenue ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecurringMonth:
    month: date
    mrr: Decimal  # monthly gifts' payments received that month
    new: int  # monthly donors whose first monthly payment came that month
    churned: int  # monthly donors who reached their 36th day without a payment
    recovered: int  # lapsed monthly donors who paid again


def _month(day: date) -> date:
    return day.replace(day=1)


def recurring_months(currency: str, months: list[date], now: datetime) -> list[RecurringMonth]:
    """Recurring revenue and monthly donors' movements for each of `months` (first days,
    oldest first), in three queries whatever the number of gifts beyond the window's.

    A monthly donor is the donor record of a monthly gift's payments (the monthly gift
    itself when the payments have no donor). Days are local (TIME_ZONE)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(months[0], time.min, tzinfo=zone)
    monthly = Donation.objects.filter(status=DonationStatus.CONFIRMED, recurring__isnull=False)
    mrr = {
        row["month"].date() if isinstance(row["month"], datetime) else row["month"]: row["total"]
        for row in counted_gifts(currency, start)
        .filter(recurring__isnull=False)
        .annotate(month=TruncMonth("received_at", tzinfo=zone))
        .values("month")
        .annotate(total=Sum(_value()))
        .order_by()
    }
    history: dict[tuple, dict] = {}
    for row in (
        monthly.values("donor_id", "recurring_id")
        .annotate(
            first=Min("received_at"), before=Max("received_at", filter=Q(received_at__lt=start))
        )
        .order_by()
    ):
        who = ("donor", row["donor_id"]) if row["donor_id"] else ("gift", row["recurring_id"])
        seen = history.setdefault(who, {"first": row["first"], "before": row["before"], "paid": []})
        seen["first"] = min(seen["first"], row["first"])
        if row["before"] and (seen["before"] is None or row["before"] > seen["before"]):
            seen["before"] = row["before"]
    for donor_id, recurring_id, received_at in monthly.filter(received_at__gte=start).values_list(
        "donor_id", "recurring_id", "received_at"
    ):
        who = ("donor", donor_id) if donor_id else ("gift", recurring_id)
        history[who]["paid"].append(received_at)

    counts = {month: {"new": 0, "churned": 0, "recovered": 0} for month in months}
    today = timezone.localtime(now).date()

    def count(kind: str, day: date) -> None:
        if _month(day) in counts and day <= today:
            counts[_month(day)][kind] += 1

    for seen in history.values():
        previous = timezone.localtime(seen["before"]).date() if seen["before"] else None
        for moment in sorted(seen["paid"]):
            day = timezone.localtime(moment).date()
            if moment == seen["first"]:
                count("new", day)
            elif previous is not None and (day - previous).days > LAPSED_AFTER_DAYS:
                count("churned", previous + timedelta(days=LAPSED_AFTER_DAYS + 1))
                count("recovered", day)
            previous = day
        if previous is not None:
            count("churned", previous + timedelta(days=LAPSED_AFTER_DAYS + 1))
    return [
        RecurringMonth(month, Decimal(mrr.get(month) or 0).quantize(CENT), **counts[month])
        for month in months
    ]
