"""Subscriptions: request (with double opt-in for guests), confirm, unsubscribe, and
the e-mails sent when a comment is published."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rostra.core.tasks import enqueue_on_commit
from rostra.notifications.models import Frequency, Subscription, SubscriptionKind

CONFIRM_SALT = "rostra.notifications.confirm"
UNSUBSCRIBE_SALT = "rostra.notifications.unsubscribe"
MANAGE_SALT = "rostra.notifications.manage"
CONFIRM_MAX_AGE = timedelta(days=7)
UNSUBSCRIBE_MAX_AGE = timedelta(days=365)
MANAGE_MAX_AGE = timedelta(days=30)
CONFIRMATION_RESEND_AFTER = timedelta(days=1)


class SubscriptionError(ValueError):
    """Something the reader can act on; the message says what."""


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


def subscription_request(
    *,
    email: str,
    kind: str,
    thread=None,
    author_key: str = "",
    user=None,
    frequency: str = Frequency.IMMEDIATE,
) -> Subscription:
    """Follow a thread or replies. Signed-in readers are confirmed at once; guests get a
    confirmation e-mail, never more than one a day to an unconfirmed address."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise SubscriptionError("Please give a valid e-mail address to be notified.") from None
    if kind not in SubscriptionKind.values or frequency not in Frequency.values:
        raise SubscriptionError("Choose what to be notified of.")
    if kind == SubscriptionKind.THREAD and thread is None:
        raise SubscriptionError("Choose the article to follow.")
    now = timezone.now()
    with transaction.atomic():
        subscription, _ = Subscription.objects.select_for_update().get_or_create(
            email=email,
            kind=kind,
            thread=thread,
            author_key=author_key if kind == SubscriptionKind.REPLIES else "",
            defaults={"user": user, "frequency": frequency},
        )
        subscription.frequency = frequency
        subscription.unsubscribed_at = None
        trusted = user is not None and user.email.lower() == email
        if trusted and subscription.confirmed_at is None:
            subscription.confirmed_at = now
        send_confirmation = subscription.confirmed_at is None and (
            subscription.confirmation_sent_at is None
            or now - subscription.confirmation_sent_at >= CONFIRMATION_RESEND_AFTER
        )
        if send_confirmation:
            subscription.confirmation_sent_at = now
        subscription.save()
    if send_confirmation:
        from rostra.notifications.tasks import send_confirmation as task

        enqueue_on_commit(task, subscription.pk)
    return subscription


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
    conditions = Q(kind=SubscriptionKind.THREAD, thread_id=comment.thread_id)
    if replied is not None and replied.author_key:
        conditions |= Q(kind=SubscriptionKind.REPLIES, author_key=replied.author_key) & (
            Q(thread_id=comment.thread_id) | Q(thread__isnull=True)
        )
    candidates = (
        Subscription.objects.filter(conditions)
        .filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
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
    from rostra.notifications.models import DigestItem

    due = digest_due_at(subscription.frequency, now or timezone.now())
    opens_window = not DigestItem.objects.filter(
        subscription=subscription, sent_at__isnull=True, due_at=due
    ).exists()
    DigestItem.objects.get_or_create(
        subscription=subscription, comment=comment, defaults={"due_at": due}
    )
    return opens_window


def due_digests(*, now=None) -> dict[int, list]:
    """Unsent digest items whose window has closed, grouped by subscription."""
    from rostra.notifications.models import DigestItem

    items = (
        DigestItem.objects.filter(sent_at__isnull=True, due_at__lte=now or timezone.now())
        .filter(subscription__unsubscribed_at__isnull=True)
        .select_related("subscription", "comment__thread")
        .order_by("subscription_id", "comment__created_at")
    )
    grouped: dict[int, list] = {}
    for item in items:
        grouped.setdefault(item.subscription_id, []).append(item)
    return grouped


def subscription_set_frequency(*, email: str, subscription_id: int, frequency: str) -> Subscription:
    if frequency not in Frequency.values:
        raise SubscriptionError("Choose at once, hourly or daily.")
    subscription = Subscription.objects.filter(pk=subscription_id, email=email).first()
    if subscription is None:
        raise SubscriptionError("That subscription is not yours to change.")
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    return subscription


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
