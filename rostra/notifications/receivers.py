from rostra.core import events
from rostra.core.events import CommentPublished


def _enqueue_notifications(event: CommentPublished) -> None:
    from rostra.notifications.tasks import notify_comment_published

    notify_comment_published.enqueue(event.comment_id)


events.subscribe(CommentPublished, _enqueue_notifications)
