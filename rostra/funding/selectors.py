"""Read side of funding: the active campaign and how far it has come this period."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from rostra.funding.lapse import lapse_cutoff
from rostra.funding.models import (
    Campaign,
    CampaignPeriod,
    Channel,
    ChannelKind,
    Donation,
    DonationStatus,
    Donor,
    DonorStatus,
    RecurringGiftStatus,
    WebhookDelivery,
)
from rostra.funding.money import format_money


@dataclass(frozen=True)
class Tick:
    amount: Decimal
    label: str
    position: float  # 0..100, along the bar


@dataclass(frozen=True)
class Progress:
    campaign: Campaign
    period_label: str
    starts_at: datetime
    ends_at: datetime
    raised: Decimal
    goal: Decimal
    ticks: list[Tick]
    gifts: int = 0

    @property
    def sentence(self) -> str:
        """ "$190 raised of $5,000 this month · 4 supporters": the goal bar's words, in the
        active language (whole sentences, so a translation may reorder them)."""
        figures = {"raised": self.raised_label, "goal": self.goal_label, "count": self.gifts}
        if self.campaign.period == CampaignPeriod.MONTHLY:
            sentence = ngettext(
                "%(raised)s raised of %(goal)s this month · %(count)s supporter",
                "%(raised)s raised of %(goal)s this month · %(count)s supporters",
                self.gifts,
            )
        else:
            sentence = ngettext(
                "%(raised)s raised of %(goal)s so far · %(count)s supporter",
                "%(raised)s raised of %(goal)s so far · %(count)s supporters",
                self.gifts,
            )
        return sentence % figures

    @property
    def percent(self) -> float:
        return float(min(self.raised / self.goal, 1) * 100) if self.goal else 0.0

    @property
    def raised_label(self) -> str:
        return format_money(self.raised, self.campaign.currency)

    @property
    def goal_label(self) -> str:
        return format_money(self.goal, self.campaign.currency)


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def campaign_window(campaign: Campaign, now: datetime) -> tuple[datetime, datetime, str]:
    """[start, end) of the current period in the site's time zone, and its label in the
    active language ("NOVEMBER 2026", "NOVEMBER 2026" in German too, "НОЯБРЬ 2026")."""
    today = timezone.localtime(now).date()
    if campaign.period == CampaignPeriod.MONTHLY:
        first = today.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        label = date_format(first, "YEAR_MONTH_FORMAT").upper()
        return _local_midnight(first), _local_midnight(following), label
    end_day = campaign.ends_on + timedelta(days=1)
    first, last = (
        date_format(day, "DATE_FORMAT") for day in (campaign.starts_on, campaign.ends_on)
    )
    # Translators: a campaign's period, from its first to its last day.
    label = (_("%(first)s – %(last)s") % {"first": first, "last": last}).upper()
    return _local_midnight(campaign.starts_on), _local_midnight(end_day), label


def active_campaign(now: datetime | None = None) -> Campaign | None:
    today = timezone.localtime(now or timezone.now()).date()
    for campaign in Campaign.objects.filter(is_active=True, starts_on__lte=today):
        if campaign.period == CampaignPeriod.MONTHLY or campaign.ends_on >= today:
            return campaign
    return None


def ledger_currency(now: datetime | None = None) -> str:
    """The currency gifts are counted in: the active campaign's, between campaigns the
    newest one's, and US dollars before the first."""
    campaign = active_campaign(now) or Campaign.objects.first()
    return campaign.currency if campaign else "USD"


def raised_between(campaign: Campaign, start: datetime, end: datetime) -> tuple[Decimal, int]:
    """Confirmed gifts in [start, end) in the campaign currency, at their recorded rates:
    their total and how many they are."""
    value = ExpressionWrapper(
        F("amount") * F("rate_to_campaign"),
        output_field=DecimalField(max_digits=24, decimal_places=10),
    )
    figures = Donation.objects.filter(
        status=DonationStatus.CONFIRMED,
        received_at__gte=start,
        received_at__lt=end,
        campaign_currency=campaign.currency,
        rate_to_campaign__isnull=False,
    ).aggregate(total=Sum(value), gifts=Count("pk"))
    return Decimal(figures["total"] or 0).quantize(Decimal("0.01")), figures["gifts"]


def campaign_progress(campaign: Campaign, now: datetime | None = None) -> Progress:
    start, end, label = campaign_window(campaign, now or timezone.now())
    ticks_amounts = campaign.tick_amounts()
    top = max([campaign.goal, *ticks_amounts])
    ticks = [
        Tick(amount, format_money(amount, campaign.currency), float(amount / top * 100))
        for amount in ticks_amounts
    ]
    raised, gifts = raised_between(campaign, start, end)
    return Progress(
        campaign=campaign,
        period_label=label,
        starts_at=start,
        ends_at=end,
        raised=raised,
        goal=campaign.goal,
        ticks=ticks,
        gifts=gifts,
    )


def enabled_channels() -> list[Channel]:
    return list(Channel.objects.filter(enabled=True))


# Which of the outlet's channels names a kind of gift: the enabled ones first, in the
# editors' order (gifts record the kind, e.g. "paypal", not the channel).
_NAMING_ORDER = ("-enabled", "sort_order", "pk")


def channel_names() -> dict[str, str]:
    """Every kind of gift with the name editors and readers know it by: the outlet's
    own channel's label (as on /support/), else the kind's description."""
    names = dict(ChannelKind.choices)
    configured = {}
    for kind, label in Channel.objects.order_by(*_NAMING_ORDER).values_list("kind", "label"):
        configured.setdefault(kind, label)
    return {**names, **configured}


def latest_gifts(limit: int = 5) -> list[Donation]:
    """The newest confirmed gifts with their article and `channel_name` (see
    `channel_names`), in one query."""
    name = Channel.objects.filter(kind=OuterRef("channel")).order_by(*_NAMING_ORDER)
    gifts = (
        Donation.objects.filter(status=DonationStatus.CONFIRMED)
        .select_related("article")
        .annotate(outlet_channel_name=Subquery(name.values("label")[:1]))
        .order_by("-received_at", "-pk")[:limit]
    )
    for gift in gifts:
        gift.channel_name = gift.outlet_channel_name or gift.get_channel_display()
    return list(gifts)


def supporters(limit: int = 50) -> list[Donation]:
    """Named, confirmed supporters who chose to be shown, newest first: the donor's own
    choice (`Donor.show_name`) decides for gifts linked to a donor."""
    shown = Q(donor__isnull=True, is_anonymous=False) | Q(donor__show_name=True)
    return list(
        Donation.objects.filter(shown, status=DonationStatus.CONFIRMED)
        .exclude(donor_name="")
        .only("donor_name", "message", "received_at")[:limit]
    )


def support_heading(funding_settings) -> str:
    return funding_settings.support_heading or _("Support %(site_name)s") % {
        "site_name": settings.SITE_NAME
    }


@dataclass(frozen=True)
class PeriodTotal:
    month: date
    channel: str
    total: Decimal
    count: int


def monthly_totals(*, currency: str, months: int = 12, now: datetime | None = None):
    """Confirmed gifts per month and channel, in `currency` at recorded rates."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    today = timezone.localtime(now or timezone.now()).date().replace(day=1)
    first = today
    for _month in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    value = ExpressionWrapper(
        F("amount") * F("rate_to_campaign"),
        output_field=DecimalField(max_digits=24, decimal_places=10),
    )
    rows = (
        Donation.objects.filter(
            status=DonationStatus.CONFIRMED,
            campaign_currency=currency,
            rate_to_campaign__isnull=False,
            received_at__gte=_local_midnight(first),
        )
        .annotate(month=TruncMonth("received_at", tzinfo=timezone.get_current_timezone()))
        .values("month", "channel")
        .annotate(total=Sum(value), count=Count("pk"))
        .order_by("month", "channel")
    )
    return [
        PeriodTotal(
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
            channel=row["channel"],
            total=Decimal(row["total"] or 0).quantize(Decimal("0.01")),
            count=row["count"],
        )
        for row in rows
    ], first


def gift_totals() -> list[tuple[str, str, int, Decimal]]:
    """(currency, status, gifts, amount) for every currency and status in the ledger, in
    one query (for /metrics)."""
    rows = (
        Donation.objects.order_by("currency", "status")
        .values_list("currency", "status")
        .annotate(gifts=Count("id"), amount=Sum("amount"))
    )
    return [(currency, status, gifts, amount) for currency, status, gifts, amount in rows]


def webhook_delivery_handled(provider: str, delivery_id: str) -> bool:
    """Whether this delivery from `provider` was recorded already."""
    return WebhookDelivery.objects.filter(provider=provider, delivery_id=delivery_id).exists()


def donations_version_queries() -> list[QuerySet]:
    """How many donations there are and when the newest change was, as queries of one
    value each: they change whenever a donation is added, changed or removed."""
    donations = Donation.objects.order_by()
    return [
        # An aggregate over all rows as one value (a constant groups nothing).
        donations.annotate(rows=Value(1)).values("rows").annotate(n=Count("pk")).values_list("n"),
        donations.order_by("-updated_at").values_list("updated_at")[:1],
    ]


# Donors -------------------------------------------------------------------------------


def donor_status_q(status: str, now: datetime | None = None) -> Q:
    """The donors with `status` (see `Donor.status_at`), as a filter."""
    active = Q(active_monthly_gifts__gt=0, last_monthly_gift_at__gte=lapse_cutoff(now))
    if status == DonorStatus.ONE_OFF:
        return Q(last_monthly_gift_at__isnull=True)
    if status == DonorStatus.MONTHLY_ACTIVE:
        return active
    if status == DonorStatus.MONTHLY_LAPSED:
        return Q(last_monthly_gift_at__isnull=False) & ~active
    return Q()


def donors_listed() -> QuerySet:
    """Donor records as editors list them: merged-away records left out."""
    return Donor.objects.filter(merged_into__isnull=True).select_related("user")


def donor_gifts(donor: Donor) -> QuerySet:
    """Every gift of a donor, newest first, with what a list of them shows (one query,
    however many)."""
    return (
        Donation.objects.filter(donor=donor)
        .select_related("recurring", "article")
        .order_by("-received_at", "-pk")
    )


def _supporting_donors():
    """Donor records with a confirmed gift (not merged into another)."""
    return Donor.objects.filter(merged_into__isnull=True, gifts__gt=0)


def donor_is_supporter(user) -> bool:
    """Whether a reader gets the supporter badge: their account is linked to a donor
    who chose to be named and has a confirmed gift. (For the discussion's badge.)"""
    if not getattr(user, "is_authenticated", False):
        return False
    return _supporting_donors().filter(user=user, show_name=True).exists()


def supporter_badges(user_ids) -> dict[int, str]:
    """The discussion's "Supporter" badges of the accounts `user_ids` (as
    `donor_is_supporter`, for a page of comments in one query)."""
    found = _supporting_donors().filter(user_id__in=list(user_ids), show_name=True)
    # Translators: a badge next to a commenter's name: they give to the newsroom.
    badge = pgettext("badge", "Supporter")
    return {user_id: badge for user_id in found.values_list("user_id", flat=True)}


def account_supports(user_id: int) -> bool:
    """Whether an account may post to a supporters-only discussion: it is linked to a
    donor with a confirmed gift, named on the wall or not."""
    return _supporting_donors().filter(user_id=user_id).exists()


def donor_monthly_gifts(donor: Donor) -> list:
    """The donor's monthly gifts that have not been cancelled."""
    return list(donor.recurring_gifts.exclude(status=RecurringGiftStatus.CANCELLED))


def donor_confirmed_gifts_between(donor: Donor, start: datetime, end: datetime) -> list:
    """The donor's confirmed gifts received in [start, end), oldest first."""
    return list(
        Donation.objects.filter(
            donor=donor,
            status=DonationStatus.CONFIRMED,
            received_at__gte=start,
            received_at__lt=end,
        ).order_by("received_at", "pk")
    )
