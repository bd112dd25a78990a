from rostra.core import events
from rostra.core.events import CommentPublished, VoteChanged


def _enqueue_notifications(event: CommentPublished) -> None:
    """Queue the e-mails, unless nobody could be told: most comments on most articles
    have no subscriber, and a queued task costs a write and a worker run."""
    from django.db import connection

    from rostra.notifications.tasks import notify_comment_published

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM notifications_subscription WHERE confirmed_at IS NOT NULL"
            " AND unsubscribed_at IS NULL AND (thread_id = %s"
            " OR (kind = 'replies' AND thread_id IS NULL)) LIMIT 1",
            [event.thread_id],
        )
        anyone = cursor.fetchone() is not None
    if anyone:
        notify_comment_published.enqueue(event.comment_id)


events.subscribe(CommentPublished, _enqueue_notifications)


def _record_live_event(kind: str, comment_id: int, thread_id: int, score=None) -> None:
    """Written in the same transaction as the comment or vote, so the event exists
    exactly when the change does."""
    # Raw SQL: this runs inside every post and vote, where ORM overhead shows in the
    # posting benchmark.
    from django.db import connection
    from django.utils import timezone

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notifications_liveevent (thread_id, kind, comment_id, score, created_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            [thread_id, kind, comment_id, score, now],
        )


def _announce(event) -> None:
    from rostra.notifications.live import bus

    bus.announce()


events.record_with(
    CommentPublished, lambda e: _record_live_event("comment", e.comment_id, e.thread_id)
)
events.record_with(
    VoteChanged, lambda e: _record_live_event("vote", e.comment_id, e.thread_id, e.score)
)
events.subscribe(CommentPublished, _announce)
events.subscribe(VoteChanged, _announce)
