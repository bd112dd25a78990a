from rostra.core import events
from rostra.core.events import CommentPublished, VoteChanged


def _enqueue_notifications(event: CommentPublished) -> None:
    from rostra.notifications.tasks import notify_comment_published

    notify_comment_published.enqueue(event.comment_id)


events.subscribe(CommentPublished, _enqueue_notifications)


def _record_live_event(kind: str, comment_id: int, thread_id: int, score=None) -> None:
    from rostra.notifications.live import bus
    from rostra.notifications.models import LiveEvent

    LiveEvent.objects.create(thread_id=thread_id, kind=kind, comment_id=comment_id, score=score)
    bus.announce()


def _live_comment(event: CommentPublished) -> None:
    _record_live_event("comment", event.comment_id, event.thread_id)


def _live_vote(event: VoteChanged) -> None:
    _record_live_event("vote", event.comment_id, event.thread_id, event.score)


events.subscribe(CommentPublished, _live_comment)
events.subscribe(VoteChanged, _live_vote)
