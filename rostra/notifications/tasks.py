"""Background e-mail of notifications. Each task loads by id and sends."""

from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from rostra.core.email import send_email
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


@task()
def send_confirmation(subscription_id: int) -> int:
    subscription = Subscription.objects.select_related("thread").filter(pk=subscription_id).first()
    if subscription is None or subscription.confirmed_at is not None:
        return 0
    confirm_url = services.absolute(
        reverse("notifications:confirm", args=[services.confirm_token(subscription)])
    )
    return send_email(
        template="notifications/email/confirm",
        context={
            "subscription": subscription,
            "confirm_url": confirm_url,
            # Requests held back by the one-e-mail-a-day limit are confirmed there.
            "manage_url": _manage_url(subscription),
        },
        to=[subscription.email],
    )


@task()
def notify_comment_published(comment_id: int) -> int:
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
        sent += send_email(
            template="notifications/email/new_comment",
            context={
                "comment": comment,
                "subscription": subscription,
                "permalink": permalink,
                "is_reply": subscription.kind == "replies",
                **links,
            },
            to=[subscription.email],
            headers=_list_headers(links),
        )
    return sent


def _schedule_digests(due_at) -> None:
    """Ask the worker to send the digests when the window closes. Backends that cannot
    defer work rely on `rostra send_digests` run from cron instead."""
    if default_task_backend.supports_defer:
        send_due_digests.using(run_after=due_at).enqueue()


@task()
def send_due_digests() -> int:
    return send_digests()


def send_digests(*, now=None) -> int:
    """One e-mail per subscriber listing the comments of each closed window."""
    sent = 0
    for due in services.due_digests(now=now).values():
        items = services.digest_items_claim(due, now=now or timezone.now())
        if not items:
            continue
        subscription = items[0].subscription
        links = _links(subscription)
        # No transaction is open here: an SMTP round trip never holds the write lock.
        try:
            sent += send_email(
                template="notifications/email/digest",
                context={
                    "subscription": subscription,
                    "items": [
                        (
                            item.comment,
                            services.absolute(
                                reverse("discussion:permalink", args=[item.comment_id])
                            ),
                        )
                        for item in items
                    ],
                    **links,
                },
                to=[subscription.email],
                headers=_list_headers(links),
            )
        except Exception:
            services.digest_items_release(items)
            raise
    return sent
