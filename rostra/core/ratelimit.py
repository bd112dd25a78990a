"""Attempts counted per key in Django's cache, for limits that need only hold for a
few minutes or hours (per IP address hash). Limits that must hold for days, or across
a cache flush, belong in the database."""

from django.core.cache import cache


def limit_exceeded(scope: str, key: str, *, count: int, seconds: int) -> bool:
    """Count one attempt by `key` at `scope`; True once more than `count` were made in
    the window of `seconds` that the first attempt opened."""
    cache_key = f"rostra:ratelimit:{scope}:{key}"
    cache.add(cache_key, 0, seconds)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        attempts = 1
    return attempts > count
