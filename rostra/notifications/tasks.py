"""Background e-mail of notifications. Each task loads by id and sends, once per
recipient (rostra.core.email.send_email_once): a run taken back from a dead worker
skips whoever was already told."""

from uuid import uuid4

from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from rostra.core import queues
from rostra.core.email import send_email_once, was_sent
from rostra.core.tasks import run_id
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.selectors import readable_thread_q
from rostra.notifications import services
from rostra.notifications.models import Frequency, Subscription


def _manage_url(subscription: Subscription) -> str:
    return services.absolute(
        reverse("notifications:manage", args=[services.manage_token(subscription.email)])
    )


def _links(subscription: Subscription) -> dict:
    unsubscribe = services.absolute(
        reverse("notifications:unsubscribe", args=[services.unsubscribe_token(subscription)])
    )
    return {"unsubscribe_url": unsubscribe, "manage_url": _manage_url(subscription)}


def _list_headers(links: dict) -> dict:
    # RFC 8058 one-click unsubscribe: mail clients POST to this address.
    return {
        "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@task(queue_name=queues.EMAIL, takes_context=True)
def send_confirmation(context, subscription_id: int) -> int:
    subscription = Subscription.objects.select_related("thread").filter(pk=subscription_id).first()
    if subscription is None or subscription.confirmed_at is not None:
        return 0
    confirm_url = services.absolute(
        reverse("notifications:confirm", args=[services.confirm_token(subscription)])
    )
    # A request renewed on a later day asks for a new e-mail, hence the timestamp.
    requested = f"{subscription.confirmation_sent_at:%Y%m%d%H%M%S%f}"
    return send_email_once(
        key=f"confirm:{subscription.pk}:{requested}",
        owner=run_id(context),
        template="notifications/email/confirm",
        context={
            "subscription": subscription,
            "confirm_url": confirm_url,
            # Requests held back by the one-e-mail-a-day limit are confirmed there.
            "manage_url": _manage_url(subscription),
        },
        to=subscription.email,
    )


@task(queue_name=queues.EMAIL, takes_context=True)
def notify_comment_published(context, comment_id: int) -> int:
    """E-mail every immediate subscriber about a newly visible comment (of a thread
    readers may see: none while its article is unpublished or private)."""
    comment = (
        Comment.objects.select_related("thread", "user", "parent", "reply_to")
        .filter(pk=comment_id, status=CommentStatus.APPROVED, deleted_at__isnull=True)
        .filter(readable_thread_q("thread__"))
        .first()
    )
    if comment is None:
        return 0
    sent = 0
    permalink = services.absolute(reverse("discussion:permalink", args=[comment.pk]))
    for subscription in services.recipients_for(comment):
        if subscription.frequency != Frequency.IMMEDIATE:
            if services.digest_add(subscription, comment):
                _schedule_digests(services.digest_due_at(subscription.frequency, timezone.now()))
            continue
        links = _links(subscription)
        sent += send_email_once(
            key=f"comment:{comment.pk}",
            owner=run_id(context),
            template="notifications/email/new_comment",
            context={
                "comment": comment,
                "subscription": subscription,
                "permalink": permalink,
                "is_reply": subscription.kind == "replies",
                **links,
            },
            to=subscription.email,
            headers=_list_headers(links),
        )
    return sent


def _schedule_digests(due_at) -> None:
    """Ask the worker to send the digests when the window closes. Backends that cannot
    defer work rely on `rostra send_digests` run from cron instead."""
    if default_task_backend.supports_defer:
        send_due_digests.using(run_after=due_at).enqueue()


@task(queue_name=queues.EMAIL, takes_context=True)
def send_due_digests(context) -> int:
    return send_digests(owner=run_id(context))


def send_digests(*, now=None, owner: str = "") -> int:
    """One e-mail per subscriber listing the comments of each closed window.

    A digest is keyed by its first item: until its items are marked sent, a second run
    (the same task taken back, `rostra send_digests` from cron, another worker) finds
    the same key and the ledger sends it once. Items are marked only once their e-mail
    went: a worker killed in between leaves them for the next run.
    """
    owner = owner or uuid4().hex
    sent = 0
    for items in services.due_digests(now=now).values():
        subscription = items[0].subscription
        key = f"digest:{min(item.pk for item in items)}"
        links = _links(subscription)
        sent += send_email_once(
            key=key,
            owner=owner,
            template="notifications/email/digest",
            context={
                "subscription": subscription,
                "items": [
                    (
                        item.comment,
                        services.absolute(reverse("discussion:permalink", args=[item.comment_id])),
                    )
                    for item in items
                ],
                **links,
            },
            to=subscription.email,
            headers=_list_headers(links),
        )
        if was_sent(key=key, to=subscription.email):
            services.digest_items_mark_sent(items, now=now or timezone.now())
    return sent
