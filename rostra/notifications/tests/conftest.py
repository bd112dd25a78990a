import pytest


@pytest.fixture(autouse=True)
def commits_happen(monkeypatch):
    """The test database never commits; run after-commit work where the commit would be,
    so e-mails go out in the order a reader would see them."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
