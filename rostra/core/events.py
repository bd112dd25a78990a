"""Typed events between apps, published after the database commit.

The discussion app publishes `CommentPublished` when a comment becomes visible to all
readers; notifications (e-mail now, live updates later) subscribe to it. Handlers run
in the publishing process after commit and must only enqueue work.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

_handlers: dict[type, list[Callable]] = defaultdict(list)


@dataclass(frozen=True)
class CommentPublished:
    comment_id: int
    thread_id: int


@dataclass(frozen=True)
class VoteChanged:
    comment_id: int
    thread_id: int
    score: int


def subscribe(event_type: type, handler: Callable) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


_recorders: dict[type, list[Callable]] = defaultdict(list)


def record_with(event_type: type, recorder: Callable) -> None:
    """Run `recorder(event)` inside the publishing transaction (for rows that must be
    written together with the change, such as live events)."""
    if recorder not in _recorders[event_type]:
        _recorders[event_type].append(recorder)


def publish(event) -> None:
    """Record the event now, in the current transaction; deliver it after commit."""
    for recorder in list(_recorders[type(event)]):
        recorder(event)
    publish_on_commit(event)


def publish_on_commit(event) -> None:
    def deliver():
        for handler in list(_handlers[type(event)]):
            handler(event)

    transaction.on_commit(deliver)
