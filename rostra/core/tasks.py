"""Background work shared by every app.

Tasks are enqueued only once the surrounding transaction commits, so a worker never
sees an id whose row is not there yet, and a rolled-back request sends no e-mail.
Task bodies stay thin: they load by id and call a service.
"""

from django.db import transaction
from django_tasks import task

from rostra.core.email import send_email


def enqueue_on_commit(task_obj, *args, **kwargs) -> None:
    """Enqueue `task_obj` with JSON-serialisable arguments after the current commit."""
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


@task()
def send_email_task(
    *, template: str, context: dict, to: list[str], headers: dict | None = None
) -> int:
    return send_email(template=template, context=context, to=to, headers=headers)
