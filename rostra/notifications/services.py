"""Subscriptions: request (with double opt-in for guests), confirm, unsubscribe, and
the e-mails sent when a comment is published."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from rostra.core.addresses import keyed_hash
from rostra.core.ratelimit import limit_exceeded
from rostra.core.tasks import enqueue_on_commit
from rostra.discussion.selectors import readable_thread_q
from rostra.notifications.models import (
    ConfirmationSent,
    DigestItem,
    Frequency,
    RepliesFeedKey,
    Subscription,
    SubscriptionKind,
)
from rostra.notifications.selectors import subscriptions_for_comment

EMAIL_MAX_LENGTH = Subscription._meta.get_field("email").max_length
CONFIRM_SALT = "rostra.notifications.confirm"
UNSUBSCRIBE_SALT = "rostra.notifications.unsubscribe"
MANAGE_SALT = "rostra.notifications.manage"
CONFIRM_MAX_AGE = timedelta(days=7)
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)
MANAGE_MAX_AGE = timedelta(days=30)
CONFIRMATION_RESEND_AFTER = timedelta(days=1)


class SubscriptionError(ValueError):
    """Something the reader can act on; the message says what, `status` how to answer."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class SubscriptionRequested:
    subscription: Subscription
    # "not needed" (already confirmed), "sent", or "held back": the address already
    # had its one confirmation e-mail of the day.
    confirmation: str


@dataclass(frozen=True)
class TokenResult:
    subscription: Subscription | None
    outcome: str  # "done", "already", "expired", "invalid"


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=CONFIRM_SALT)


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=UNSUBSCRIBE_SALT)


def manage_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=MANAGE_SALT)


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def address_hash(email: str) -> str:
    """Keyed hash of the inbox behind `email`. Case, a `+tag` and, at Gmail, dots reach
    the same inbox, so they must not buy it another confirmation e-mail."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return keyed_hash(f"{local}@{domain}", purpose="confirmation-address")


def _claim_daily_confirmation(email: str, now) -> bool:
    """Take the address's one confirmation e-mail of the day; False if it is taken.

    Holds across processes: a conditional UPDATE or the INSERT of a unique row decides,
    so two simultaneous requests cannot both win.
    """
    digest = address_hash(email)
    renewed = ConfirmationSent.objects.filter(
        address_hash=digest, sent_at__lte=now - CONFIRMATION_RESEND_AFTER
    ).update(sent_at=now)
    if renewed:
        return True
    _, created = ConfirmationSent.objects.get_or_create(
        address_hash=digest, defaults={"sent_at": now}
    )
    return created


def _check_connection_rate(ip_hash: str) -> None:
    count, seconds = settings.SUBSCRIPTION_RATE_LIMIT
    if limit_exceeded("notifications:subscribe", ip_hash, count=count, seconds=seconds):
        now = timezone.now()
        raise SubscriptionError(
            _(
                "Too many subscription requests came from your connection. Please try again "
                "in %(wait)s."
            )
            % {"wait": timeuntil(now + timedelta(seconds=seconds), now)},
            status=429,
        )


def subscription_request(
    *,
    email: str,
    kind: str,
    thread=None,
    author_key: str = "",
    user=None,
    frequency: str = Frequency.IMMEDIATE,
    ip_hash: str = "",
) -> SubscriptionRequested:
    """Follow a thread or replies. Signed-in readers are confirmed at once. Guests get a
    confirmation e-mail, but an address gets at most one a day whatever it was asked to
    follow (the request is still saved, to be confirmed from the subscriptions page),
    and one connection (`ip_hash`) may ask only `SUBSCRIPTION_RATE_LIMIT` times."""
    email = (email or "").strip().lower()
    trusted = user is not None and (user.email or "").lower() == email
    if not trusted:
        _check_connection_rate(ip_hash)
    try:
        validate_email(email)
    except ValidationError:
        raise SubscriptionError(_("Please give a valid e-mail address to be notified.")) from None
    if len(email) > EMAIL_MAX_LENGTH:
        raise SubscriptionError(
            _("An e-mail address has at most %(count)s characters; please check it.")
            % {"count": EMAIL_MAX_LENGTH}
        )
    if kind not in SubscriptionKind.values or frequency not in Frequency.values:
        raise SubscriptionError(_("Choose what to be notified of."))
    if kind == SubscriptionKind.THREAD and thread is None:
        raise SubscriptionError(_("Choose the article to follow."))
    now = timezone.now()
    with transaction.atomic():
        subscription, _created = Subscription.objects.select_for_update().get_or_create(
            email=email,
            kind=kind,
            thread=thread,
            author_key=author_key if kind == SubscriptionKind.REPLIES else "",
            defaults={"user": user, "frequency": frequency},
        )
        subscription.frequency = frequency
        subscription.unsubscribed_at = None
        if trusted and subscription.confirmed_at is None:
            subscription.confirmed_at = now
        if subscription.confirmed_at is not None:
            confirmation = "not needed"
        elif _claim_daily_confirmation(email, now):
            confirmation = "sent"
            subscription.confirmation_sent_at = now
        else:
            confirmation = "held back"
        subscription.save()
    if confirmation == "sent":
        from rostra.notifications.tasks import send_confirmation as task

        enqueue_on_commit(task, subscription.pk)
    return SubscriptionRequested(subscription, confirmation)


def _stamp_once(token: str, *, salt: str, max_age: timedelta, field: str) -> TokenResult:
    """Set the subscription's `field` to now, once, for a valid signed token."""
    try:
        pk = int(signing.loads(token, salt=salt, max_age=max_age))
    except signing.SignatureExpired:
        return TokenResult(None, "expired")
    except (signing.BadSignature, TypeError, ValueError):
        return TokenResult(None, "invalid")
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        return TokenResult(None, "invalid")
    if getattr(subscription, field) is not None:
        return TokenResult(subscription, "already")
    setattr(subscription, field, timezone.now())
    subscription.save(update_fields=[field])
    return TokenResult(subscription, "done")


def subscription_confirm(token: str) -> TokenResult:
    return _stamp_once(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE, field="confirmed_at")


def subscription_unsubscribe(token: str) -> TokenResult:
    return _stamp_once(
        token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE, field="unsubscribed_at"
    )


def email_from_manage_token(token: str) -> str | None:
    try:
        return signing.loads(token, salt=MANAGE_SALT, max_age=MANAGE_MAX_AGE)
    except signing.BadSignature:
        return None


def recipients_for(comment) -> list[Subscription]:
    """Active subscribers to tell about `comment`: one per address, never its author."""
    replied = comment.reply_to or comment.parent
    candidates = (
        subscriptions_for_comment(
            comment.thread_id, replying_to=replied.author_key if replied is not None else ""
        )
        .exclude(author_key=comment.author_key, kind=SubscriptionKind.REPLIES)
        .order_by("kind")  # "replies" before "thread": the more personal message wins
    )
    own = {comment.author_email.lower()} if comment.author_email else set()
    if comment.user_id:
        own.add((comment.user.email or "").lower())
    chosen: dict[str, Subscription] = {}
    for subscription in candidates:
        is_author = comment.user_id is not None and subscription.user_id == comment.user_id
        if subscription.email in own or is_author:
            continue
        chosen.setdefault(subscription.email, subscription)
    return list(chosen.values())


def digest_due_at(frequency: str, moment) -> "timezone.datetime":
    """End of the digest window that `moment` falls in, in the site's time zone."""
    local = timezone.localtime(moment)
    if frequency == Frequency.HOURLY:
        start = local.replace(minute=0, second=0, microsecond=0)
        return start + timedelta(hours=1)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return timezone.make_aware(
        timezone.datetime.combine(start.date() + timedelta(days=1), timezone.datetime.min.time())
    )


def digest_add(subscription: Subscription, comment, *, now=None) -> bool:
    """Queue `comment` for the subscriber's digest; True when it opens a new window."""
    due = digest_due_at(subscription.frequency, now or timezone.now())
    opens_window = not DigestItem.objects.filter(
        subscription=subscription, sent_at__isnull=True, due_at=due
    ).exists()
    DigestItem.objects.get_or_create(
        subscription=subscription, comment=comment, defaults={"due_at": due}
    )
    return opens_window


def due_digests(*, now=None) -> dict[int, list]:
    """Unsent digest items whose window has closed, grouped by subscription. Comments
    of threads readers may not see (article unpublished or private) wait until they may.
    """
    items = (
        DigestItem.objects.filter(sent_at__isnull=True, due_at__lte=now or timezone.now())
        .filter(subscription__unsubscribed_at__isnull=True)
        .filter(readable_thread_q("comment__thread__"))
        .select_related("subscription", "comment__thread")
        .order_by("subscription_id", "comment__created_at")
    )
    grouped: dict[int, list] = {}
    for item in items:
        grouped.setdefault(item.subscription_id, []).append(item)
    return grouped


def digest_items_mark_sent(items: list, *, now) -> None:
    """Mark `items` sent once their digest e-mail went (see tasks.send_digests)."""
    DigestItem.objects.filter(pk__in=[item.pk for item in items], sent_at=None).update(sent_at=now)


def _own_subscription(email: str, subscription_id: int | None) -> Subscription:
    """The subscription `subscription_id` if it belongs to `email` (a manage link's)."""
    subscription = Subscription.objects.filter(pk=subscription_id, email=email).first()
    if subscription is None:
        raise SubscriptionError(_("That subscription is not yours to change."))
    return subscription


def subscription_set_frequency(
    *, email: str, subscription_id: int | None, frequency: str
) -> Subscription:
    if frequency not in Frequency.values:
        raise SubscriptionError(_("Choose at once, hourly or daily."))
    subscription = _own_subscription(email, subscription_id)
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    return subscription


def subscription_confirm_own(*, email: str, subscription_id: int | None) -> Subscription:
    """Confirm from the subscriptions page, whose link only that address received: how
    requests held back by the one-e-mail-a-day limit get confirmed."""
    subscription = _own_subscription(email, subscription_id)
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def replies_feed_owners(*, email: str, viewer_key: str | None) -> set[str]:
    """Whose private replies feed the subscriptions page of `email` may reset: the
    visitor's own, and the commenters whose replies this address confirmed it follows."""
    owners = set(
        Subscription.objects.filter(
            email=email, kind=SubscriptionKind.REPLIES, confirmed_at__isnull=False
        )
        .exclude(author_key="")
        .values_list("author_key", flat=True)
    )
    if viewer_key:
        owners.add(viewer_key)
    return owners


def replies_feed_reset(*, email: str, viewer_key: str | None) -> int:
    """Retire every replies feed address given out so far for the readers this page
    speaks for (see `replies_feed_owners`); returns how many feeds were reset."""
    owners = replies_feed_owners(email=email, viewer_key=viewer_key)
    if not owners:
        raise SubscriptionError(_("There is no private replies feed to reset here."))
    with transaction.atomic():
        for author_key in owners:
            RepliesFeedKey.objects.get_or_create(author_key=author_key)
        RepliesFeedKey.objects.filter(author_key__in=owners).update(version=F("version") + 1)
    return len(owners)


def subscription_restore(
    *,
    email: str,
    kind: str,
    thread_id: int | None,
    author_key: str,
    frequency: str,
    confirmed_at,
    unsubscribed_at,
) -> bool:
    """Bring back a subscription from a Rostra archive as it was (no new confirmation
    e-mail: the address was confirmed, or not, on the original site). True if created."""
    if kind not in SubscriptionKind.values:
        kind = SubscriptionKind.THREAD
    _, created = Subscription.objects.get_or_create(
        email=email.strip().lower(),
        kind=kind,
        thread_id=thread_id,
        author_key=author_key if kind == SubscriptionKind.REPLIES else "",
        defaults={
            "frequency": frequency if frequency in Frequency.values else Frequency.IMMEDIATE,
            "confirmed_at": confirmed_at,
            "unsubscribed_at": unsubscribed_at,
        },
    )
    return created
