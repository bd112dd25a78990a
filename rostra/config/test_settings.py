"""Settings for the test suite: the production settings with fast, local pieces.

Tasks run immediately (still after commit), mail stays in memory and static files
are found without collectstatic. Browser journeys do not use this module: they drive
a real `rostra serve` process with the production settings.
"""

from rostra.config.cache_url import parse_cache_url
from rostra.config.settings import *  # noqa: F403
from rostra.core import queues

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": list(queues.ALL),
    }
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "imports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "rostra.publishing.search_backend"}}
# Tests post in quick succession; tests of these limits set them explicitly.
COMMENT_RATE_LIMIT = (10_000, 60)
COMMENT_MIN_SUBMIT_SECONDS = 0
# A child process cannot see the tests' database: the spam filter trains in the test's
# own process (`rostra filter train`, which the child runs, has a test of its own).
SPAMFILTER_TRAIN_IN_CHILD = False
# Each test process counts on its own; the shared backends have tests of their own
# (rostra/core/tests/test_shared_state.py).
CACHES = parse_cache_url("locmem:")
