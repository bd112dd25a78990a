"""Background work of imports."""

from django_tasks import task

from rostra.core import queues
from rostra.transfer.services import import_run_execute


@task(queue_name=queues.IMPORTS)
def run_import_task(*, run_id: int) -> str:
    return import_run_execute(run_id).status
