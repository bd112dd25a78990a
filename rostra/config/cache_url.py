"""Turn CACHE_URL into Django's CACHES setting.

The cache holds what every process must agree on: rate limits and the discussion
settings. A cache of one process's own (`locmem:`) is right only when one process
serves the site and runs no worker beside it.
"""

from urllib.parse import urlsplit

DATABASE_CACHE_TABLE = "rostra_cache"
# Rate limits keep one entry per address and limit: culling at Django's default of 300
# entries would forget limits exactly when many addresses are hammering the site.
MAX_ENTRIES = 100_000


def parse_cache_url(url: str) -> dict:
    """Return CACHES for `url`; raise ValueError naming what is wrong."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("redis", "rediss"):
        if not urlsplit(url).hostname:
            raise ValueError(f"CACHE_URL {scheme}:// needs a host name")
        cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    elif scheme == "db":
        cache = {
            "BACKEND": "rostra.core.cache.DatabaseCache",
            "LOCATION": DATABASE_CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES},
        }
    elif scheme == "locmem":
        cache = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": MAX_ENTRIES},
        }
    else:
        raise ValueError(
            f"CACHE_URL scheme {scheme!r} is not supported; use db:, redis://host:6379/0, "
            "rediss://… or locmem:"
        )
    return {"default": cache}
