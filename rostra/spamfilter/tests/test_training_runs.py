"""When the filter trains, and what each training keeps."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from rostra.discussion import services as discussion
from rostra.discussion.testing import staff
from rostra.spamfilter.models import FilterModel, SpamFilterSettings
from rostra.spamfilter.services import TRAINING_LOCK, filter_train, training_due
from rostra.spamfilter.tasks import filter_check_task
from rostra.spamfilter.testing import corpus, record_decisions

pytestmark = pytest.mark.django_db


def test_each_training_is_a_new_version_with_its_examples_and_figures(trained, thread):
    """Versions count up; each keeps when, why, on how many examples of each class, its
    held-out figures and thresholds; only the newest five keep their weights."""
    assert trained.version == 1 and trained.state == "ready"
    assert trained.counts == {"ham": 140, "spam": 90, "abuse": 0}
    assert set(trained.metrics["classes"]["spam"]) >= {"precision", "recall", "f1"}
    assert 0.5 <= trained.classes["spam"]["hold_threshold"] < 1
    for _ in range(5):
        latest = filter_train(trigger="command")
    assert latest.version == 6 and latest.trigger == "command"
    kept = dict(FilterModel.objects.values_list("version", "spam_weights"))
    assert kept[1] is None and all(kept[v] for v in range(2, 7))


def test_a_training_already_running_is_not_started_twice(thread):
    """Safe to run twice: while one training holds the lock, another returns at once."""
    cache.add(TRAINING_LOCK, "other", 60)
    assert filter_train(trigger="command") is None
    assert not FilterModel.objects.exists()


def test_it_trains_again_after_n_new_decisions_of_moderators(trained, thread):
    """With `retrain after` at 10: comments waiting for a moderator teach nothing; nine
    moderated are not enough; the tenth makes the worker's check train a new version."""
    filter_settings = SpamFilterSettings.load()
    filter_settings.retrain_after = 10
    filter_settings.save()
    waiting = record_decisions(thread, corpus(ham=0, spam=10, seed=11), status="pending")
    moderator = staff()
    discussion.comment_moderate(comments=waiting[:9], viewer=moderator, status="spam")
    assert filter_check_task.call() == "not due"
    assert FilterModel.objects.count() == 1
    discussion.comment_moderate(comments=waiting[9:], viewer=moderator, status="spam")
    assert filter_check_task.call() == "decisions"
    latest = FilterModel.objects.first()
    assert latest.version == 2 and latest.trigger == "decisions"
    assert latest.counts["spam"] == 100


def test_nightly_training_after_the_nights_hour_when_there_are_new_decisions(
    trained, thread, settings
):
    """A version trained before tonight's hour (03:00 in TIME_ZONE) is retrained after
    it, if there was any new decision; none: not due."""
    settings.SPAMFILTER_NIGHTLY_HOUR = 3
    FilterModel.objects.update(trained_at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    next_morning = datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert training_due(next_morning) is None
    record_decisions(thread, corpus(ham=1, spam=0, seed=5))
    assert training_due(datetime(2026, 3, 1, 13, tzinfo=UTC)) is None
    assert training_due(next_morning) == "nightly"


def test_the_first_version_is_trained_as_soon_as_there_are_decisions(thread):
    """No version and no decision: nothing to do. The first decisions: the worker's check
    trains at once; with four examples that version is learning."""
    assert training_due(datetime.now(UTC)) is None
    record_decisions(thread, corpus(ham=3, spam=1))
    assert training_due(datetime.now(UTC)) == "first"
    assert filter_check_task.call() == "first"
    assert FilterModel.objects.get().state == "learning"
