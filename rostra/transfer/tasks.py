"""Background work of imports."""

from django_tasks import task

from rostra.transfer.services import import_run_execute


@task()
def run_import_task(*, run_id: int) -> str:
    return import_run_execute(run_id).status
