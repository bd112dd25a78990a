"""Production settings with short worker timings, for the `rostra worker` processes
that rostra.core.tests.test_worker_process starts (DJANGO_SETTINGS_MODULE)."""

from datetime import timedelta

from rostra.config.settings import *  # noqa: F403
from rostra.config.settings import DATABASES

# A killed worker is found lost within seconds rather than minutes.
WORKER_LOST_AFTER = timedelta(seconds=2)
if "sqlite" in DATABASES["default"]["ENGINE"]:
    # Give up on a held write lock at once: the test holds one far longer than this.
    DATABASES["default"]["OPTIONS"]["timeout"] = 0.2
