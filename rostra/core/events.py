"""Rostra's one mechanism for its own domain events: typed, recorded in the transaction
of the change, delivered after the commit.

- An event is a frozen dataclass defined next to the code that publishes it (the
  discussion's `CommentPublished` and `VoteChanged` live in `rostra/discussion/events.py`).
  It carries ids and values, never model instances, so every handler reads fresh state.
- The publishing service calls `publish(event)` inside its transaction. The event's
  recorders run at once, in that transaction, for rows that must exist exactly when the
  change does (the live stream's `LiveEvent`); its handlers run after the commit, and
  never if the transaction rolls back.
- Handlers only start work: queue a task, wake a stream. They run in the publishing
  process, in registration order, so they stay quick; what they start must be safe to
  run twice.
- Apps subscribe explicitly from their `AppConfig.ready()`, through a `register()`
  function in their `receivers.py`; importing a module subscribes nothing. Registering
  the same function twice changes nothing, so `ready()` may run again.

Django signals are kept only for the framework's own signals, which Rostra does not send:
Wagtail's `page_published` (the discussion re-anchors quoted passages) and `post_save` /
`post_delete` of settings models (cached settings are forgotten). Rostra defines no
`Signal` of its own: a new cross-app event is a dataclass published here.

Which events exist, who publishes and who subscribes: docs/ARCHITECTURE.md.
"""

from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

_recorders: dict[type, list[Callable]] = defaultdict(list)
_handlers: dict[type, list[Callable]] = defaultdict(list)


def record_with(event_type: type, recorder: Callable) -> None:
    """Run `recorder(event)` inside the publishing transaction; once per function."""
    if recorder not in _recorders[event_type]:
        _recorders[event_type].append(recorder)


def subscribe(event_type: type, handler: Callable) -> None:
    """Run `handler(event)` after the publishing transaction commits; once per function."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def recorders(event_type: type) -> tuple[Callable, ...]:
    return tuple(_recorders[event_type])


def handlers(event_type: type) -> tuple[Callable, ...]:
    return tuple(_handlers[event_type])


def publish(event) -> None:
    """Record the event now, in the current transaction; deliver it after commit."""
    for recorder in recorders(type(event)):
        recorder(event)

    def deliver():
        for handler in handlers(type(event)):
            handler(event)

    transaction.on_commit(deliver)
