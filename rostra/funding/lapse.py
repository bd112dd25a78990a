"""When a monthly donor counts as lapsed: a payment missed for more than 35 days,
counted in local days (TIME_ZONE). One rule for the donor's status, the donor list's
filter and the report's churn."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

LAPSED_AFTER_DAYS = 35


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def lapse_cutoff(now: datetime | None = None) -> datetime:
    """A monthly donor whose last payment came before this moment has missed it for more
    than 35 days: local midnight 35 days before today, so that a gift's day counts as a
    whole day wherever the month ends."""
    today = timezone.localtime(now or timezone.now()).date()
    return local_midnight(today - timedelta(days=LAPSED_AFTER_DAYS))
