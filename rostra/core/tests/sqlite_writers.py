"""Writers on one SQLite file, run by rostra.core.tests.test_sqlite_write_lock as
processes of their own:

- `python -m rostra.core.tests.sqlite_writers ENGINE DATABASE write THREADS TRANSACTIONS`:
  each thread, with its own connection, commits that many vote-sized transactions; the
  process prints how many were committed, then each error;
- `… hold`: takes the write lock in an open transaction, says so, waits to be killed.

Connections are configured as Rostra's (WAL, IMMEDIATE transactions) but with no busy
timeout once open: a writer that meets the database locked fails at once. Opening one
waits as Rostra's do (setting WAL mode can meet another process's writer; the lock
covers transactions, not opening a connection).
"""

import sys
import threading

import django
from django.conf import settings


def configure(engine: str, database: str) -> None:
    options = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=0",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    settings.configure(
        DATABASES={"default": {"ENGINE": engine, "NAME": database, "OPTIONS": options}}
    )
    django.setup()


def write(threads: int, transactions: int) -> None:
    from django.db import connection, transaction

    committed, errors = [], []

    def run(thread: int) -> None:
        try:
            for number in range(transactions):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("INSERT INTO vote (voter) VALUES (%s)", [f"{thread}-{number}"])
                    cursor.execute("UPDATE total SET votes = votes + 1")
                committed.append(1)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(thread,)) for thread in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(len(committed), *errors, sep="\n")


def hold() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE total SET votes = votes + 1")
        print("holding", flush=True)
        sys.stdin.read()  # until killed


if __name__ == "__main__":
    engine, database, action, *numbers = sys.argv[1:]
    configure(engine, database)
    if action == "write":
        write(*map(int, numbers))
    else:
        hold()
