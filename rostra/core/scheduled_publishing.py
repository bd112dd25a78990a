"""Pages and snippets an editor scheduled ("Go live at", "Expire at") go live and expire
on time: the worker's upkeep runs Wagtail's `publish_scheduled` every round (about every
half minute), so nothing needs a cron job."""

import io
import logging

from django.core.management import call_command

logger = logging.getLogger(__name__)


def publish_due() -> None:
    """Publish every revision whose go-live time has passed and unpublish what expired;
    Wagtail's own command, which is safe to run again (a published revision is no longer
    scheduled)."""
    report = io.StringIO()
    call_command("publish_scheduled", stdout=report)
    for line in report.getvalue().splitlines():
        if line.strip() and not line.startswith("No objects"):
            logger.info("scheduled publishing: %s", line.strip())
