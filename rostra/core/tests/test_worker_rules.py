"""The rules the worker's recovery rests on, checked without a worker process: each
task names its queue, a lost worker's task is taken back (or failed after three lost
attempts), an e-mail goes once per purpose and recipient, never inside a transaction."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult, get_date_max

from rostra.core import queues
from rostra.core.email import send_email_once
from rostra.core.heartbeat import beat
from rostra.core.task_recovery import requeue_abandoned

pytestmark = pytest.mark.django_db

TEST_MESSAGE = {"template": "core/email/test_message", "context": {}}


def test_every_task_declares_its_queue():
    """E-mail, imports and search each have a queue of their own; a new task must be
    placed here on purpose."""
    import rostra.core.tasks
    import rostra.discussion.tasks
    import rostra.funding.tasks
    import rostra.notifications.tasks
    import rostra.publishing.tasks
    import rostra.transfer.tasks

    modules = [
        rostra.core.tasks,
        rostra.discussion.tasks,
        rostra.funding.tasks,
        rostra.notifications.tasks,
        rostra.publishing.tasks,
        rostra.transfer.tasks,
    ]
    placed = {
        name: value.queue_name
        for module in modules
        for name, value in vars(module).items()
        if isinstance(value, Task) and value.func.__module__ == module.__name__
    }
    assert placed == {
        "send_email_task": queues.EMAIL,
        "prune_task": queues.DEFAULT,
        "reanchor_task": queues.DEFAULT,
        "statement_of_reasons_send": queues.EMAIL,
        "report_acknowledgement_send": queues.EMAIL,
        "report_decision_send": queues.EMAIL,
        "send_receipt": queues.EMAIL,
        "send_manage_link": queues.EMAIL,
        "send_payment_failed": queues.EMAIL,
        "send_confirmation": queues.EMAIL,
        "notify_comment_published": queues.EMAIL,
        "send_due_digests": queues.EMAIL,
        "moderator_alerts_task": queues.EMAIL,
        "moderator_digest_task": queues.EMAIL,
        "moderation_webhook_task": queues.DEFAULT,
        "index_pages_task": queues.SEARCH,
        "run_import_task": queues.IMPORTS,
    }


def _running(worker_ids: list[str], started_ago: timedelta) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="rostra.core.tasks.prune_task",
        backend_name="default", run_after=get_date_max(), status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago, worker_ids=worker_ids,
    )  # fmt: skip


def test_tasks_of_a_lost_worker_are_taken_back_and_a_live_workers_are_not(settings):
    settings.WORKER_LOST_AFTER = timedelta(minutes=2)
    now = timezone.now()
    beat("alive", now=now - timedelta(seconds=30))
    beat("dead", now=now - timedelta(minutes=5))
    of_the_dead = _running(["dead"], timedelta(minutes=6))
    of_the_living = _running(["alive"], timedelta(minutes=6))
    just_claimed = _running(["new"], timedelta(seconds=5))  # its first beat may be on its way

    assert requeue_abandoned() == 1
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[of_the_dead.pk] == TaskResultStatus.READY
    assert statuses[of_the_living.pk] == statuses[just_claimed.pk] == TaskResultStatus.RUNNING


def test_a_task_that_lost_three_workers_is_failed_not_run_again():
    lethal = _running(["a", "b", "c"], timedelta(hours=1))
    assert requeue_abandoned() == 1
    lethal.refresh_from_db()
    assert lethal.status == TaskResultStatus.FAILED
    assert lethal.exception_class_path == "rostra.core.task_recovery.WorkerLost"


def test_an_email_goes_once_per_purpose_and_recipient():
    """A second run (same or another task run) skips the recipient already served."""
    assert send_email_once(key="comment:1", owner="run-1", to="a@example.org", **TEST_MESSAGE)
    assert not send_email_once(key="comment:1", owner="run-1", to="a@example.org", **TEST_MESSAGE)
    assert not send_email_once(key="comment:1", owner="run-2", to="a@example.org", **TEST_MESSAGE)
    assert send_email_once(key="comment:1", owner="run-2", to="b@example.org", **TEST_MESSAGE)
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]


def test_no_email_is_sent_inside_a_transaction():
    refused = pytest.raises(RuntimeError, match="never sent inside a database transaction")
    with refused, transaction.atomic():
        send_email_once(key="comment:1", owner="run-1", to="a@example.org", **TEST_MESSAGE)
    assert mail.outbox == []


def test_a_send_cut_short_is_finished_by_the_same_task_run_only(settings):
    """A claim without a sent stamp (the worker died mid-send) is taken over by a re-run
    of the same task, not by another sender until WORKER_LOST_AFTER has passed."""
    from rostra.core.models import EmailDelivery

    settings.WORKER_LOST_AFTER = timedelta(minutes=2)
    EmailDelivery.objects.create(key="comment:1", recipient="a@example.org", owner="run-1",
                                 claimed_at=timezone.now())  # fmt: skip
    assert not send_email_once(key="comment:1", owner="run-2", to="a@example.org", **TEST_MESSAGE)
    assert send_email_once(key="comment:1", owner="run-1", to="a@example.org", **TEST_MESSAGE)
    assert len(mail.outbox) == 1
