import pytest


@pytest.fixture(autouse=True)
def commits_happen(monkeypatch):
    """The test database never commits; run after-commit work where the commit would be
    (when the code's own outermost transaction ends, or at once outside one), so e-mails
    go out in the order a reader would see them, and outside any transaction as in
    production. Work of a rolled-back block is dropped by Django itself."""
    from django.db import connection, transaction

    register, leave = transaction.on_commit, transaction.Atomic.__exit__

    def in_own_transaction() -> bool:
        return any(not block._from_testcase for block in connection.atomic_blocks)

    def on_commit(func, using=None, robust=False):
        if in_own_transaction():
            register(func, using, robust)
        else:
            func()

    def leave_then_commit(self, exc_type, exc_value, traceback):
        leave(self, exc_type, exc_value, traceback)
        if not self._from_testcase and not in_own_transaction():
            pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
            for _, func, _ in pending:
                func()

    monkeypatch.setattr(transaction, "on_commit", on_commit)
    monkeypatch.setattr(transaction.Atomic, "__exit__", leave_then_commit)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Per-connection limits live in the cache, which outlives a test's database."""
    from django.core.cache import cache

    cache.clear()
