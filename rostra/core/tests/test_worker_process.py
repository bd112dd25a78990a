"""Real `rostra worker` processes against a real database and a real SMTP server.

Killed with kill -9 in the middle of a batch of notification e-mails, a worker's task is
taken back by the next worker: every recipient gets exactly one e-mail and no task stays
RUNNING. A database locked for longer than the busy timeout does not end it. An import
queued behind a backlog of e-mail starts at once. SIGTERM lets the task at hand finish.

The workers use rostra.core.tests.worker_settings (a dead worker is lost after 2 s, a
0.2 s SQLite busy timeout); the test reads and writes their database through a second
connection alias, "site".
"""

import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from rostra.config.env import child_environment
from rostra.core.models import WorkerHeartbeat
from rostra.core.tasks import send_email_task
from rostra.core.testing import ROSTRA, MailServer, postgres_database, run_rostra
from rostra.core.testing_databases import migrated_sqlite_site
from rostra.discussion.models import Comment, Thread
from rostra.notifications.models import Subscription
from rostra.notifications.tasks import notify_comment_published
from rostra.transfer.models import ImportRun
from rostra.transfer.tasks import run_import_task

DEADLINE_SECONDS = 90  # a worker's start-up on a busy machine included
SITE = "site"


class Site:
    """The workers' database and the mail server they send through."""

    def __init__(self, data_dir: Path, env: dict, mail: MailServer):
        self.data_dir, self.env, self.mail = data_dir, env, mail

    def start_worker(self, name: str) -> subprocess.Popen:
        log = open(self.data_dir / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [*ROSTRA, "worker", "--worker-id", name],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.log_path = log.name
        log.close()
        return process

    def enqueue(self, task_obj, *args, **kwargs) -> DBTaskResult:
        """Queue `task_obj` as its `enqueue()` would, on the queue it declares."""
        return DBTaskResult.objects.using(SITE).create(
            args_kwargs={"args": list(args), "kwargs": kwargs},
            task_path=task_obj.module_path,
            queue_name=task_obj.queue_name,
            priority=task_obj.priority,
            backend_name="default",
            run_after=get_date_max(),
        )

    def statuses(self, tasks: list[DBTaskResult]) -> Counter:
        """How many of `tasks` are in each state (the worker's own prune aside)."""
        of_tasks = DBTaskResult.objects.using(SITE).filter(pk__in=[t.pk for t in tasks])
        return Counter(of_tasks.values_list("status", flat=True))


def _log(process) -> str:
    return Path(process.log_path).read_text(errors="replace")[-4000:]


def _wait_until(condition, *, what: str, process=None) -> None:
    """Poll `condition` until it holds; fail after DEADLINE_SECONDS, or at once when
    `process` has exited."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if process is not None and process.poll() is not None:
            raise AssertionError(
                f"worker exited ({process.returncode}) before {what}:\n{_log(process)}"
            )
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {DEADLINE_SECONDS}s")
        time.sleep(0.05)


def _stop(process) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=DEADLINE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_blocker):
    data_dir = tmp_path_factory.mktemp("worker-site")
    with MailServer() as mail:
        env = child_environment(
            ROSTRA_DATA_DIR=str(data_dir),
            EMAIL_URL=f"smtp://127.0.0.1:{mail.port}?timeout=30",
            DJANGO_SETTINGS_MODULE="rostra.core.tests.worker_settings",
        )
        drop = None
        if connection.vendor == "postgresql":
            env["DATABASE_URL"], drop = postgres_database(os.environ["DATABASE_URL"], migrated=True)
            database = dj_database_url.parse(env["DATABASE_URL"])
        else:
            migrated_sqlite_site(data_dir)
            database = {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(data_dir / "rostra.sqlite3"),
                "OPTIONS": {"timeout": 20},
            }
        run_rostra(env, "migrate", "--no-input", "-v0")  # nothing left to apply
        connections.settings[SITE] = connections.configure_settings(
            {"default": settings.DATABASES["default"], SITE: database}
        )[SITE]
        try:
            with django_db_blocker.unblock():
                yield Site(data_dir, env, mail)
        finally:
            connections[SITE].close()
            del connections[SITE]
            del connections.settings[SITE]
            if drop:
                drop()


@pytest.fixture(scope="module")
def running_worker(site):
    """A worker for the tests that need one started (one start-up is seconds on a busy
    machine); the last test stops it, else the module's end does."""
    worker = site.start_worker("running")
    _wait_until(
        lambda: WorkerHeartbeat.objects.using(SITE).filter(worker_id="running").exists(),
        what="start-up",
        process=worker,
    )
    yield worker
    if worker.poll() is None:
        assert _stop(worker) == 0, _log(worker)


@pytest.fixture(autouse=True)
def fresh_queue(site, django_db_blocker):
    """Each test starts with no task queued and the mail server taking everything."""
    with django_db_blocker.unblock():
        DBTaskResult.objects.using(SITE).all().delete()
        site.mail.release()
        site.mail.recipients.clear()
        yield


def _comment_with_subscribers(number: int, subscribers: int) -> Comment:
    thread = Thread.objects.using(SITE).create(key=f"embed:batch-{number}", title="Ferries")
    comment = Comment.objects.using(SITE).create(
        thread=thread, author_key="guest:author", author_name="Ada",
        body_source="The new timetable.", body_html="<p>The new timetable.</p>",
        created_at=timezone.now(),
    )  # fmt: skip
    now = timezone.now()
    readers = [f"reader{n}@example.org" for n in range(subscribers)]
    Subscription.objects.using(SITE).bulk_create(
        Subscription(email=email, kind="thread", thread=thread, confirmed_at=now)
        for email in readers
    )
    return comment


def test_a_worker_killed_mid_batch_loses_and_repeats_no_email(site, request):
    """kill -9 while a notification task is half-way through its recipients: the next
    worker takes the task back, every reader of each comment gets exactly one e-mail,
    and no task stays RUNNING."""
    comments = [_comment_with_subscribers(n, subscribers=8) for n in range(2)]
    tasks = [site.enqueue(notify_comment_published, comment.pk) for comment in comments]
    site.mail.hold_after(3)

    first = site.start_worker("killed")
    try:
        site.mail.wait_for(lambda mail: mail.held, timeout=DEADLINE_SECONDS, what="a held send")
    finally:
        first.kill()
        first.wait()
    assert len(site.mail.recipients) == 3
    assert site.statuses(tasks)[TaskResultStatus.RUNNING] == 1

    site.mail.release()
    second = request.getfixturevalue("running_worker")  # started now, after the kill
    _wait_until(
        lambda: site.statuses(tasks) == Counter({TaskResultStatus.SUCCESSFUL: 2}),
        what="both notification tasks done",
        process=second,
    )
    sent = Counter(site.mail.recipients)
    assert sent == Counter({f"reader{n}@example.org": 2 for n in range(8)}), sent
    assert "taken back from lost worker" in _log(second)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
def test_a_database_locked_longer_than_the_busy_timeout_does_not_end_the_worker(
    site, running_worker
):
    """The worker logs the lock, backs off and carries on: a task queued once the lock
    is gone is run."""
    worker = running_worker
    refused_before = _log(worker).count("could not claim a task")
    holder = sqlite3.connect(site.data_dir / "rostra.sqlite3", isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        _wait_until(
            lambda: _log(worker).count("could not claim a task") >= refused_before + 2,
            what="two claims refused by the lock",
            process=worker,
        )
    finally:
        holder.close()
    site.enqueue(send_email_task, template="core/email/test_message", template_context={},
                 to=["after-the-lock@example.org"])  # fmt: skip
    site.mail.wait_for(
        lambda mail: "after-the-lock@example.org" in mail.recipients,
        timeout=DEADLINE_SECONDS,
        what="the e-mail queued after the lock",
    )
    assert worker.poll() is None


def test_an_import_queued_behind_an_email_backlog_starts_at_once(site, running_worker):
    """Forty e-mails wait on a mail server that does not answer; the import queued
    after them runs anyway. SIGTERM then lets the e-mail being sent go out before the
    worker exits (last in the module: it stops the shared worker)."""
    worker = running_worker
    site.mail.hold_after(0)
    test_message = {"template": "core/email/test_message", "template_context": {}}
    # Queued in one transaction, so the first e-mail is held only from the moment the
    # import is queued too: held for longer than the worker's SMTP timeout (a busy
    # machine), it failed and the next one was sent instead.
    with transaction.atomic(using=SITE):
        backlog = [
            site.enqueue(send_email_task, to=[f"backlog{n}@example.org"], **test_message)
            for n in range(40)
        ]
        run = ImportRun.objects.using(SITE).create(original_name="export.xml")
        import_task = site.enqueue(run_import_task, run_id=run.pk)

    _wait_until(
        lambda: site.statuses([import_task]) == Counter({TaskResultStatus.SUCCESSFUL: 1}),
        what="the import run",
        process=worker,
    )
    assert site.statuses(backlog)[TaskResultStatus.READY] >= 38, "the e-mails still wait"
    site.mail.wait_for(lambda mail: mail.held, timeout=DEADLINE_SECONDS, what="a held send")

    worker.send_signal(signal.SIGTERM)
    _wait_until(lambda: "finishing the tasks at hand" in _log(worker), what="the stop")
    # The worker takes no task once stopping: the one it is sending is the one at hand.
    [at_hand] = DBTaskResult.objects.using(SITE).filter(
        pk__in=[task.pk for task in backlog], status=TaskResultStatus.RUNNING
    )
    site.mail.release()
    assert worker.wait(timeout=DEADLINE_SECONDS) == 0, _log(worker)
    assert site.mail.recipients == at_hand.args_kwargs["kwargs"]["to"], "the e-mail at hand"
    assert site.statuses([*backlog, import_task])[TaskResultStatus.RUNNING] == 0
