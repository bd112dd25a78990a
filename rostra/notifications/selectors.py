"""Reads of subscriptions: the one definition of who hears of a new comment."""

from django.db.models import Q, QuerySet

from rostra.notifications.models import Subscription, SubscriptionKind

# `replying_to` when the comment is not loaded: replies to any author count.
ANY_AUTHOR = object()


def active_subscriptions() -> QuerySet[Subscription]:
    """Confirmed and not unsubscribed."""
    return Subscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def subscriptions_for_comment(thread_id: int, *, replying_to) -> QuerySet[Subscription]:
    """Active subscriptions that hear of a new comment in thread `thread_id`: the
    thread's followers, and the followers of replies to `replying_to` (the author key of
    the comment answered; empty when it answers nobody) on this article or on all.

    With `replying_to=ANY_AUTHOR` it is everyone a comment of this thread could reach,
    whoever it answers: the cheap "is anyone listening?" check made before the comment
    itself is read. It never leaves out a recipient of the exact question."""
    told = Q(kind=SubscriptionKind.THREAD, thread_id=thread_id)
    if replying_to is ANY_AUTHOR or replying_to:
        replies = Q(kind=SubscriptionKind.REPLIES) & (
            Q(thread_id=thread_id) | Q(thread__isnull=True)
        )
        if replying_to is not ANY_AUTHOR:
            replies &= Q(author_key=replying_to)
        told |= replies
    return active_subscriptions().filter(told)
