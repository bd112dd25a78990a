"""Retention: what Rostra keeps only for a while goes after its window, the rest stays."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from rostra.config.cache_url import DATABASE_CACHE_TABLE, parse_cache_url
from rostra.core import queues, retention
from rostra.core.models import WorkerHeartbeat
from rostra.core.tasks import prune_task, schedule_pruning
from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import post
from rostra.notifications.models import ConfirmationSent, DigestItem, LiveEvent, Subscription
from rostra.publishing.testing import make_article
from rostra.transfer.models import ImportRun, ImportRunStatus, import_storage

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _ago(delta):
    return timezone.now() - delta


def _live_event(thread_id, age):
    event = LiveEvent.objects.create(thread_id=thread_id, kind="comment", comment_id=1)
    LiveEvent.objects.filter(pk=event.pk).update(created_at=_ago(age))
    return event


def _task_result(status, finished_age):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="rostra.core.tasks.send_email_task",
        backend_name="default",
        run_after=_ago(30 * DAY),
        finished_at=None if finished_age is None else _ago(finished_age),
    )


def test_live_events_older_than_a_week_go_newer_stay():
    """Live events older than 7 days are pruned; those of the last 7 days stay."""
    old = _live_event(1, 8 * DAY)
    recent = _live_event(1, 6 * DAY)
    assert retention.prune()["live events"] == 1
    assert list(LiveEvent.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not LiveEvent.objects.filter(pk=old.pk).exists()


def test_event_ids_are_not_reused_after_everything_was_pruned():
    """A reader resuming from a pruned id must still get new events: ids keep growing
    even when every row was pruned."""
    old = _live_event(1, 8 * DAY)
    retention.prune()
    assert LiveEvent.objects.count() == 0
    assert LiveEvent.objects.create(thread_id=1, kind="comment", comment_id=2).pk > old.pk


def test_resuming_from_a_pruned_event_sends_what_is_left(client, section):
    """A live page reconnecting with the id of a pruned event gets the events still
    there after it, not an error."""
    article = make_article(section, "Long open page")
    thread = thread_for_article(article)
    pruned = _live_event(thread.pk, 8 * DAY)
    kept = _live_event(thread.pk, 1 * DAY)
    retention.prune()
    response = client.get(f"/live/articles/{article.pk}/poll/?since={pruned.pk}")
    assert response.status_code == 200
    assert [event["id"] for event in response.json()["events"]] == [kept.pk]
    stream = client.get(f"/live/articles/{article.pk}/", HTTP_LAST_EVENT_ID=str(pruned.pk))
    assert stream.status_code == 200


def test_finished_task_results_older_than_two_weeks_go():
    """Successful and failed results finished over 14 days ago go; newer ones and tasks
    still waiting or running stay, however old."""
    old_done = _task_result(TaskResultStatus.SUCCESSFUL, 15 * DAY)
    old_failed = _task_result(TaskResultStatus.FAILED, 15 * DAY)
    recent = _task_result(TaskResultStatus.SUCCESSFUL, 13 * DAY)
    waiting = _task_result(TaskResultStatus.READY, None)
    assert retention.prune()["finished task results"] == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not DBTaskResult.objects.filter(pk__in=[old_done.pk, old_failed.pk]).exists()


def test_sent_digest_items_older_than_a_month_go(section):
    """Digest items sent over 30 days ago go; recently sent and unsent ones stay."""
    thread = thread_for_article(make_article(section, "Digest"))
    subscription = Subscription.objects.create(
        email="d@example.org", kind="thread", thread=thread, confirmed_at=timezone.now()
    )
    comments = [post(thread, body=f"comment {n}") for n in range(3)]
    old, recent, unsent = (
        DigestItem.objects.create(subscription=subscription, comment=c, due_at=_ago(40 * DAY))
        for c in comments
    )
    DigestItem.objects.filter(pk=old.pk).update(sent_at=_ago(31 * DAY))
    DigestItem.objects.filter(pk=recent.pk).update(sent_at=_ago(29 * DAY))
    assert retention.prune()["sent digest items"] == 1
    assert set(DigestItem.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}


def test_expired_records_go():
    """Confirmation limits older than a day, guests' subscriptions never confirmed for 30
    days, expired sessions and heartbeats of workers gone for a day are removed."""
    ConfirmationSent.objects.create(address_hash="old", sent_at=_ago(DAY + timedelta(hours=1)))
    ConfirmationSent.objects.create(address_hash="today", sent_at=_ago(timedelta(hours=23)))
    stale = Subscription.objects.create(email="never@example.org", kind="replies", author_key="a")
    fresh = Subscription.objects.create(email="soon@example.org", kind="replies", author_key="b")
    asked_again = Subscription.objects.create(
        email="again@example.org", kind="replies", author_key="c",
        confirmation_sent_at=_ago(2 * DAY),
    )  # fmt: skip
    confirmed = Subscription.objects.create(
        email="yes@example.org", kind="replies", author_key="d", confirmed_at=_ago(40 * DAY)
    )
    Subscription.objects.filter(pk__in=[stale.pk, asked_again.pk, confirmed.pk]).update(
        created_at=_ago(31 * DAY)
    )
    Session.objects.create(session_key="gone", session_data="", expire_date=_ago(DAY))
    Session.objects.create(session_key="live", session_data="", expire_date=_ago(-DAY))
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=_ago(2 * DAY))
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=_ago(timedelta(seconds=10)))

    removed = retention.prune()

    assert removed["confirmation e-mail limits"] == 1
    assert list(ConfirmationSent.objects.values_list("address_hash", flat=True)) == ["today"]
    assert removed["unconfirmed subscriptions"] == 1
    assert set(Subscription.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        asked_again.pk,
        confirmed.pk,
    }
    assert removed["expired sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert removed["worker heartbeats"] == 1
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_import_leftovers_go():
    """Uploads of finished imports are deleted; runs that never finished within 7 days
    are marked failed and their uploads deleted; files no run refers to go once a week
    old; an upload of a run in progress stays."""
    storage = import_storage()
    finished = ImportRun.objects.create(
        file=ContentFile(b"<rss/>", name="done.xml"), original_name="done.xml",
        status=ImportRunStatus.DONE, finished_at=_ago(DAY),
    )  # fmt: skip
    abandoned = ImportRun.objects.create(
        file=ContentFile(b"<rss/>", name="stuck.xml"), original_name="stuck.xml",
        status=ImportRunStatus.RUNNING, started_at=_ago(8 * DAY),
    )  # fmt: skip
    running = ImportRun.objects.create(
        file=ContentFile(b"<rss/>", name="now.xml"), original_name="now.xml",
        status=ImportRunStatus.RUNNING, started_at=_ago(timedelta(minutes=5)),
    )  # fmt: skip
    uploads = {run.pk: run.file.name for run in (finished, abandoned, running)}
    orphan = storage.save("orphan.xml", ContentFile(b"<rss/>"))
    new_orphan = storage.save("2099/01/just-uploaded.xml", ContentFile(b"<rss/>"))

    removed = retention.prune()
    assert removed["abandoned import runs"] == 1
    assert removed["import uploads"] == 2
    assert not storage.exists(uploads[finished.pk])
    assert not storage.exists(uploads[abandoned.pk])
    assert storage.exists(uploads[running.pk])
    assert storage.exists(orphan) and storage.exists(new_orphan)

    abandoned.refresh_from_db()
    assert abandoned.status == ImportRunStatus.FAILED
    assert "did not finish within 7 days" in abandoned.error

    # A week on, files no run refers to are deleted too.
    retention.prune(now=timezone.now() + 7 * DAY + timedelta(seconds=1))
    assert not storage.exists(orphan) and not storage.exists(new_orphan)


def test_deletes_in_batches(monkeypatch):
    """Large backlogs go in many short transactions of at most BATCH rows."""
    monkeypatch.setattr(retention, "BATCH", 3)
    for _ in range(7):
        _live_event(1, 8 * DAY)
    assert retention.delete_in_batches(LiveEvent.objects.all()) == 7
    assert LiveEvent.objects.count() == 0


def test_expired_rows_of_the_database_cache_go_and_live_ones_stay(settings):
    """CACHE_URL=db: keeps entries in a table; Django culls it only when it is full, so
    the prune removes what expired (in batches) and keeps the rest."""
    settings.CACHES = parse_cache_url("db:")
    call_command("createcachetable", verbosity=0)
    cache = caches["default"]
    for n in range(5):
        cache.set(f"old {n}", n, 60)
    cache.set("fresh", "kept", 3600)
    later = timezone.now() + timedelta(minutes=2)
    assert retention.prune(now=later, dry_run=True)["expired cache entries"] == 5
    assert cache.delete_expired(now=later, batch=2) == 5
    assert retention.prune(now=later)["expired cache entries"] == 0
    assert cache.get("fresh") == "kept"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {DATABASE_CACHE_TABLE}")
        assert cursor.fetchone()[0] == 1


def test_prune_command_prints_each_kind_and_dry_run_removes_nothing(capsys):
    """`rostra prune --dry-run` says what would go and keeps it; `rostra prune` removes
    it and says how many of each kind went."""
    _live_event(1, 8 * DAY)
    _live_event(1, 8 * DAY)
    call_command("prune", "--dry-run")
    out = capsys.readouterr().out
    assert "Would remove 2 live events" in out
    assert "Would remove 0 finished task results" in out
    assert LiveEvent.objects.count() == 2

    call_command("prune")
    out = capsys.readouterr().out
    assert "Removed 2 live events" in out
    for kind in ("sent digest items", "expired sessions", "import uploads"):
        assert f"Removed 0 {kind}" in out
    assert LiveEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_worker_prunes_on_start_and_every_hour_after(settings):
    """A starting worker queues a prune (unless one waits already) and records its
    heartbeat; each prune queues the next one an hour later."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(queues.ALL)}
    }
    _live_event(1, 8 * DAY)
    # Only the queue pruning runs on: the test database is SQLite's shared in-memory
    # one, where a query from another queue's thread fails at once with "database
    # table is locked" instead of waiting as it does on a file (test_worker_process.py
    # runs all the queues against a file).
    call_command("worker", "--batch", "--queue", "default", "--worker-id", "test-worker")

    assert LiveEvent.objects.count() == 0
    prunes = DBTaskResult.objects.filter(task_path=prune_task.module_path)
    done = prunes.get(status=TaskResultStatus.SUCCESSFUL)
    assert done.return_value["live events"] == 1
    waiting = prunes.get(status=TaskResultStatus.READY)
    assert timedelta(minutes=59) < waiting.run_after - done.finished_at <= timedelta(minutes=61)
    assert WorkerHeartbeat.objects.filter(worker_id="test-worker").exists()

    schedule_pruning()  # another worker starting
    assert prunes.filter(status=TaskResultStatus.READY).count() == 1
