"""An article scheduled to go live goes live from the worker's upkeep, and one set to
expire goes offline, without cron."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rostra.core import worker
from rostra.publishing.models import ArticlePage
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


def test_the_worker_publishes_a_scheduled_article_once_its_time_has_come(section):
    """Scheduled for the future: not live after the upkeep; once the time has passed,
    the next upkeep publishes it, and a third changes nothing."""
    article = make_article(section, "Election night results", live=False)
    article.go_live_at = timezone.now() + timedelta(hours=1)
    revision = article.save_revision()
    revision.publish()
    worker._upkeep(schedule=False)
    assert not ArticlePage.objects.get(pk=article.pk).live

    revision.refresh_from_db()  # an hour later, as far as the revision can tell:
    moment = timezone.now() - timedelta(seconds=1)
    revision.approved_go_live_at = moment
    revision.content["go_live_at"] = moment.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    worker._upkeep(schedule=False)
    published = ArticlePage.objects.get(pk=article.pk)
    assert published.live and published.live_revision_id == revision.pk
    worker._upkeep(schedule=False)
    assert ArticlePage.objects.get(pk=article.pk).live


def test_the_worker_unpublishes_an_expired_article(section):
    article = make_article(section, "Offer ends tonight")
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - timedelta(1))
    worker._upkeep(schedule=False)
    expired = ArticlePage.objects.get(pk=article.pk)
    assert not expired.live and expired.expired
