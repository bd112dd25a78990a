"""Notifications hear the discussion's events: subscribed once, from `ready()`; the live
event is written with the comment, the e-mail task and the wake-up wait for the commit;
"is anyone subscribed?" asks the same question as the recipient list."""

from collections import defaultdict

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.utils import timezone

from rostra.core import events
from rostra.discussion.events import CommentPublished, VoteChanged
from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import guest, post
from rostra.notifications import receivers
from rostra.notifications.models import LiveEvent, Subscription, SubscriptionKind
from rostra.notifications.selectors import ANY_AUTHOR, subscriptions_for_comment
from rostra.publishing.testing import make_article


def test_ready_subscribes_each_handler_once_however_often_it_runs(monkeypatch):
    """`NotificationsConfig.ready()` registers the receivers; running it twice leaves each
    recorder and handler registered once, in the order they act."""
    monkeypatch.setattr(events, "_recorders", defaultdict(list))
    monkeypatch.setattr(events, "_handlers", defaultdict(list))
    config = apps.get_app_config("notifications")
    config.ready()
    config.ready()
    assert events.recorders(CommentPublished) == (receivers.record_live_comment,)
    assert events.recorders(VoteChanged) == (receivers.record_live_vote,)
    assert events.handlers(CommentPublished) == (
        receivers.enqueue_notifications,
        receivers.announce_live,
    )
    assert events.handlers(VoteChanged) == (receivers.announce_live,)


@pytest.fixture
def thread(section):
    return thread_for_article(make_article(section, "Ferry timetable changes"))


def _follow(email, **fields):
    return Subscription.objects.create(email=email, confirmed_at=timezone.now(), **fields)


@pytest.mark.django_db
def test_the_live_event_is_written_with_the_comment_and_the_email_waits_for_the_commit(
    thread, django_capture_on_commit_callbacks
):
    """Before the commit the comment's LiveEvent row exists and no e-mail has gone out;
    after it, the subscriber's e-mail has."""
    _follow("f@example.org", kind=SubscriptionKind.THREAD, thread=thread)
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, body="Earlier sailings, please")
        assert LiveEvent.objects.filter(kind="comment", comment_id=comment.pk).exists()
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["f@example.org"]]


@pytest.mark.django_db
def test_anyone_listening_covers_every_recipient_and_no_inactive_subscription(thread, section):
    """Before the comment is read, "anyone listening?" counts the thread's followers and
    every follower of replies here or on all articles; given the author answered, only
    that author's reply followers remain. Unconfirmed, unsubscribed and other threads'
    subscriptions never count."""
    other = thread_for_article(make_article(section, "Another article"))
    author, someone = guest("author").key, guest("someone").key
    _follow("thread@example.org", kind=SubscriptionKind.THREAD, thread=thread)
    _follow("here@example.org", kind=SubscriptionKind.REPLIES, thread=thread, author_key=author)
    _follow("all@example.org", kind=SubscriptionKind.REPLIES, author_key=author)
    _follow("someone@example.org", kind=SubscriptionKind.REPLIES, author_key=someone)
    _follow("elsewhere@example.org", kind=SubscriptionKind.THREAD, thread=other)
    gone = timezone.now()
    _follow("gone@example.org", kind=SubscriptionKind.THREAD, thread=thread, unsubscribed_at=gone)
    Subscription.objects.create(
        email="unconfirmed@example.org", kind=SubscriptionKind.THREAD, thread=thread
    )

    def told(thread_id, replying_to):
        found = subscriptions_for_comment(thread_id, replying_to=replying_to)
        return set(found.values_list("email", flat=True))

    assert told(thread.pk, ANY_AUTHOR) == {
        "thread@example.org",
        "here@example.org",
        "all@example.org",
        "someone@example.org",
    }
    assert told(thread.pk, author) == {"thread@example.org", "here@example.org", "all@example.org"}
    assert told(thread.pk, "") == {"thread@example.org"}
    assert told(other.pk, ANY_AUTHOR) == {
        "elsewhere@example.org",
        "all@example.org",
        "someone@example.org",
    }


@pytest.fixture
def queued_tasks(settings):
    """Tasks go to the database queue, as in production, instead of running at once."""
    from django_tasks_db.models import DBTaskResult

    from rostra.core import queues

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(queues.ALL)}
    }
    return DBTaskResult.objects


def _posting_queries(*, queued_task: bool) -> int:
    """The rate-limit counts, the ban check, SAVEPOINT, the comment's INSERT (its path
    included), the thread's version, the live event's INSERT, RELEASE SAVEPOINT;
    after the commit "anyone listening?", the task's INSERT if any, and on PostgreSQL
    the NOTIFY that wakes other processes; and the spam filter's settings and current
    version (2, read by the first post in a minute in a process: here, in a test)."""
    return 10 + queued_task + (connection.vendor == "postgresql")


@pytest.mark.django_db
def test_posting_a_comment_nobody_follows_queues_nothing(
    thread, queued_tasks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Posting on a thread nobody follows, after-commit work included, costs exactly 10
    queries (11 on PostgreSQL), and queues no task."""
    with (
        django_assert_num_queries(_posting_queries(queued_task=False)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        post(thread, body="Nobody follows this")
    assert not queued_tasks.exists()


@pytest.mark.django_db
def test_posting_a_comment_someone_follows_costs_one_query_more_the_queued_email(
    thread, queued_tasks, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Posting on a followed thread costs exactly 11 queries (12 on PostgreSQL): one more
    than on a thread nobody follows, the queued e-mail task, which carries the comment's
    id."""
    _follow("f@example.org", kind=SubscriptionKind.THREAD, thread=thread)
    with (
        django_assert_num_queries(_posting_queries(queued_task=True)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        comment = post(thread, body="Someone follows this")
    (task,) = queued_tasks.all()
    assert task.args_kwargs["args"] == [comment.pk]
