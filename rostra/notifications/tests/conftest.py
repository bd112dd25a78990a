import pytest


@pytest.fixture(autouse=True)
def commits_happen(monkeypatch):
    """The test database never commits; run after-commit work where the commit would be,
    so e-mails go out in the order a reader would see them."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Per-connection limits live in the cache, which outlives a test's database."""
    from django.core.cache import cache

    cache.clear()
