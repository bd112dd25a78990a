"""Figures for the editors' funding report beyond monthly totals: where gifts came from
(article, ask position) and recurring revenue. Read-only; every figure is confirmed
gifts in the campaign currency at their recorded rates, months in TIME_ZONE."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum

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
    labels = [*AskPosition.choices, ("", "Not recorded")]
    return [
        SourceTotal(
            label,
            value or "none",
            Decimal(rows[value]["total"] or 0).quantize(CENT) if value in rows else Decimal(0),
            rows[value]["count"] if value in rows else 0,
        )
        for value, label in labels
    ]
