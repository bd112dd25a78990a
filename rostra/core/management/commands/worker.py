from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks (e-mail, notifications, imports) from the database queue. "
        "Start as many as the load needs; `rostra serve` starts one by itself."
    )
