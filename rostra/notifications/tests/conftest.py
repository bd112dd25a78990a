import pytest


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Per-connection limits live in the cache, which outlives a test's database."""
    from django.core.cache import cache

    cache.clear()
