"""The filter's background work: training, and the check that starts it nightly and
after every N new decisions.

Training imports scikit-learn, about 120 MB that would stay in the worker's memory for
good; so the worker trains in a child process (`rostra filter train`), which returns
the memory when it ends. The test settings train in the process itself, since a child
cannot see the tests' database.
"""

import subprocess
import sys

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from rostra.core import queues
from rostra.core.tasks import schedule_unless_waiting


@task(queue_name=queues.DEFAULT)
def filter_train_task(*, trigger: str) -> str:
    """Train a new version (safe to run twice: a second run waits for no lock, it
    trains one more version or returns at once while another is training)."""
    if settings.SPAMFILTER_TRAIN_IN_CHILD:
        result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
            [sys.executable, "-m", "rostra", "filter", "train", "--trigger", trigger],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()
    from rostra.spamfilter.services import filter_train

    model = filter_train(trigger=trigger)
    return str(model) if model else "already training"


@task(queue_name=queues.DEFAULT)
def filter_check_task() -> str:
    """Train if it is due, then come back in SPAMFILTER_CHECK_EVERY."""
    from rostra.spamfilter.services import training_due

    reason = training_due(timezone.now())
    if reason:
        filter_train_task.call(trigger=reason)
    schedule_filter_check(after=settings.SPAMFILTER_CHECK_EVERY)
    return reason or "not due"


def schedule_filter_check(*, after=None) -> None:
    """Queue the next check unless one is already waiting (the worker calls this when
    it starts, through the `rostra_schedule` app hook)."""
    schedule_unless_waiting(filter_check_task, after=after)
