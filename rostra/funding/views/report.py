"""The editors' funding report: totals per month and per channel, a bar chart drawn
as SVG on the server, and the same figures as CSV."""

import csv
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rostra.funding import revenue, selectors
from rostra.funding.money import format_money

CHART_WIDTH, CHART_HEIGHT, BAR_GAP = 720, 220, 8


def _average(total: Decimal, count: int) -> Decimal:
    return (total / count).quantize(Decimal("0.01")) if count else Decimal(0)


def month_label(month) -> str:
    """A bar's month, short ("Nov 26"), with the active language's month names."""
    # Translators: a Django date format for a chart bar's month (M: "Nov", y: "26").
    return date_format(month, pgettext("chart month, a Django date format", "M y"))


def bar_chart_svg(points: list[tuple[str, Decimal, str]], description: str = "") -> SafeString:
    """Bars for (label, value, value label), scaled to the largest value; `description`
    is what a screen reader says the chart is (gifts per month unless said)."""
    description = description or _("Gifts per month")
    top = max((value for _, value, _ in points), default=Decimal(0)) or Decimal(1)
    slot = CHART_WIDTH / max(len(points), 1)
    bars = []
    for index, (label, value, value_label) in enumerate(points):
        height = float(value / top) * (CHART_HEIGHT - 40)
        x = index * slot + BAR_GAP / 2
        width = slot - BAR_GAP
        numbers = (x, CHART_HEIGHT - 20 - height, width, height, x + width / 2)
        bars.append((*(f"{n:.1f}" for n in numbers), label, value_label, CHART_HEIGHT - 5))
    body = format_html_join(
        "",
        '<g><title>{5}: {6}</title><rect x="{0}" y="{1}" width="{2}" height="{3}" rx="3" '
        'fill="currentColor"/><text x="{4}" y="{7}" text-anchor="middle" font-size="11">'
        "{5}</text></g>",
        bars,
    )
    return format_html(
        '<svg class="funding-chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        description,
        body,
    )


def _csv(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def funding_report(request):
    if not request.user.has_perm("funding.view_donation"):
        raise PermissionDenied
    campaign = selectors.active_campaign()
    currency = campaign.currency if campaign else "USD"
    totals, first = selectors.monthly_totals(currency=currency)
    months, month = [], first
    while len(months) < 12:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    per_month: dict = defaultdict(Decimal)
    per_channel: dict = defaultdict(lambda: [Decimal(0), 0])
    for row in totals:
        per_month[row.month] += row.total
        per_channel[row.channel][0] += row.total
        per_channel[row.channel][1] += row.count

    since = timezone.make_aware(datetime.combine(first, time.min))
    by_article = revenue.gifts_by_article(currency, since)
    by_position = revenue.gifts_by_position(currency, since)
    recurring = revenue.recurring_months(currency, months, timezone.now())
    table = request.GET.get("table", "")
    if request.GET.get("format") == "csv":
        if table == "recurring":
            rows = [
                [r.month.strftime("%Y-%m"), f"{r.mrr:.2f}", r.new, r.churned, r.recovered]
                for r in recurring
            ]
            header = ["month", f"mrr_{currency.lower()}", "new", "churned", "recovered"]
            return _csv("rostra-funding-recurring", header, rows)
        if table == "channels":
            rows = [
                [kind, f"{total:.2f}", count, f"{_average(total, count):.2f}"]
                for kind, (total, count) in sorted(per_channel.items())
            ]
            header = ["channel", f"total_{currency.lower()}", "gifts", "average"]
            return _csv("rostra-funding-channels", header, rows)
        if table in ("articles", "positions"):
            sources = by_article if table == "articles" else by_position
            header = ["article", "title"] if table == "articles" else ["position", "label"]
            rows = [[s.key, s.label, f"{s.total:.2f}", s.count] for s in sources]
            return _csv(
                f"rostra-funding-{table}", [*header, f"total_{currency.lower()}", "gifts"], rows
            )
        rows = [[r.month.strftime("%Y-%m"), r.channel, f"{r.total:.2f}", r.count] for r in totals]
        return _csv(
            "rostra-funding", ["month", "channel", f"total_{currency.lower()}", "gifts"], rows
        )

    labels = selectors.channel_names()
    chart = bar_chart_svg(
        [(month_label(m), per_month[m], format_money(per_month[m], currency)) for m in months]
    )
    return render(
        request,
        "funding/admin/report.html",
        {
            "chart": chart,
            "currency": currency,
            "months": [(m, format_money(per_month[m], currency)) for m in reversed(months)],
            "channels": sorted(
                (
                    (
                        labels.get(kind, kind),
                        format_money(total, currency),
                        count,
                        format_money(_average(total, count), currency),
                    )
                    for kind, (total, count) in per_channel.items()
                ),
                key=lambda item: item[0],
            ),
            "recurring_chart": bar_chart_svg(
                [(month_label(r.month), r.mrr, format_money(r.mrr, currency)) for r in recurring],
                description=_("Monthly recurring revenue"),
            ),
            "recurring": [(r, format_money(r.mrr, currency)) for r in reversed(recurring)],
            "grand_total": format_money(sum(per_month.values(), Decimal(0)), currency),
            "by_article": [(s, format_money(s.total, currency)) for s in by_article],
            "by_position": [(s, format_money(s.total, currency)) for s in by_position],
        },
    )
