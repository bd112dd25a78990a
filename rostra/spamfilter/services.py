"""Writes of the filter: training and storing a version, and scoring a comment as it
is posted (the `rostra_comment_filter` hook, called by discussion's `comment_post`)."""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rostra.core.tasks import enqueue_on_commit
from rostra.discussion.filtering import Submission, Verdict
from rostra.discussion.models import Comment, CommentStatus
from rostra.spamfilter import selectors
from rostra.spamfilter.examples import labelled_count, training_examples
from rostra.spamfilter.features import FEATURES_VERSION
from rostra.spamfilter.models import (
    CommentScore,
    FilterAction,
    FilterMode,
    FilterModel,
    ModelState,
)
from rostra.spamfilter.scoring import Score
from rostra.spamfilter.weights import pack

logger = logging.getLogger(__name__)

MODERATE_PERMISSION = "discussion.change_comment"
WEIGHTS_KEPT = 5  # versions whose weights are kept; older ones keep their figures only
TRAINING_LOCK = "rostra:spamfilter:training"
TRAINING_LOCK_SECONDS = 3600


class FilterError(Exception):
    pass


def comment_filter(submission: Submission) -> Verdict | None:
    """Score a comment before it is saved; hold it or mark it spam as the settings say.
    Staff are never scored; nothing happens while the filter is off or learning."""
    if submission.is_staff:
        return None
    filter_settings = selectors.filter_settings()
    if filter_settings.mode == FilterMode.OFF:
        return None
    scorer = selectors.current_scorer()
    if scorer is None:
        return None
    score = scorer.score(submission.body, selectors.submission_signals(submission))
    action = selectors.filter_action(score, scorer, filter_settings, filter_settings.mode)
    status = {FilterAction.HELD: CommentStatus.PENDING, FilterAction.SPAM: CommentStatus.SPAM}
    return Verdict(
        status=status.get(action),
        record=partial(_record_score, score=score, model_id=scorer.model_id, action=action),
        note=_scores_note(score, scorer.model_id),
    )


def _scores_note(score: Score, model_id: int) -> str:
    """The scores behind a hold, for the decision log (a class not yet learnt has none)."""
    # Written in the site's language: moderators read it in the decision log.
    parts = [
        (_("spam score %(score)s") if name == "spam" else _("abuse score %(score)s"))
        % {"score": f"{value:.2f}"}
        for name, value in (("spam", score.spam), ("abuse", score.abuse))
        if value is not None
    ]
    return _("%(scores)s (spam filter model %(version)s)") % {
        "scores": ", ".join(parts),
        "version": model_id,
    }


def _record_score(comment: Comment, *, score: Score, model_id: int, action: str) -> None:
    CommentScore.objects.create(
        comment=comment,
        model_id=model_id,
        spam=score.spam,
        abuse=score.abuse,
        reasons=[list(reason) for reason in score.reasons],
        action=action,
        created_at=comment.created_at,
        text_hash=selectors.text_hash(comment.body_source),
        thread_id=comment.thread_id,
    )


def filter_train(*, trigger: str, now: datetime | None = None) -> FilterModel | None:
    """Train a new version on every decision so far and make it the current one.

    One training at a time across processes (a second one started meanwhile returns
    None at once): running it twice gives one more version, never a broken one.
    """
    from rostra.spamfilter.training import fit  # scikit-learn: only in this process

    if not cache.add(TRAINING_LOCK, trigger, TRAINING_LOCK_SECONDS):
        logger.info("spam filter: a training is already running; not starting another")
        return None
    try:
        trained = fit(
            list(training_examples()),
            min_examples=settings.SPAMFILTER_MIN_EXAMPLES,
            max_false_hold=settings.SPAMFILTER_MAX_FALSE_HOLD,
            max_false_spam=settings.SPAMFILTER_MAX_FALSE_SPAM,
        )
        with transaction.atomic():
            version = (FilterModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
            model = FilterModel.objects.create(
                version=version,
                state=ModelState.LEARNING if trained.is_learning else ModelState.READY,
                trained_at=now or timezone.now(),
                trigger=trigger,
                features_version=FEATURES_VERSION,
                counts=trained.counts,
                classes={
                    label: {
                        "intercept": c.intercept,
                        "hold_threshold": c.hold_threshold,
                        "mark_threshold": c.mark_threshold,
                        "weights": len(c.weights),
                    }
                    for label, c in trained.classes.items()
                },
                metrics={**trained.metrics, "decided": labelled_count()},
                seconds=round(trained.seconds, 2),
                spam_weights=_packed(trained, "spam"),
                abuse_weights=_packed(trained, "abuse"),
            )
            FilterModel.objects.filter(version__lte=version - WEIGHTS_KEPT).update(
                spam_weights=None, abuse_weights=None
            )
    finally:
        cache.delete(TRAINING_LOCK)
    selectors.forget_cached()
    return model


def _packed(trained, label: str) -> bytes | None:
    model = trained.classes.get(label)
    return pack(model.weights) if model else None


def filter_train_request(*, user) -> None:
    """Ask the worker to train a new version after this commit (the admin's button)."""
    from rostra.spamfilter.tasks import filter_train_task

    if not user.has_perm(MODERATE_PERMISSION):
        raise FilterError(_("Only moderators can train the spam filter."))
    enqueue_on_commit(filter_train_task, trigger="admin")


def training_due(now: datetime) -> str | None:
    """Why a new version should be trained now, or None: "first" (none yet and there
    are decisions), "decisions" (the setting's number of new decisions since the
    current version), "nightly" (some new decisions and the night's hour has passed
    since the current version was trained)."""
    model = selectors.current_model()
    decided = labelled_count()
    if model is None:
        return "first" if decided else None
    new = decided - model.metrics.get("decided", model.decided)
    if new == 0:
        return None
    if abs(new) >= selectors.filter_settings().retrain_after:
        return "decisions"
    local = timezone.localtime(now)
    night = local.replace(hour=settings.SPAMFILTER_NIGHTLY_HOUR, minute=0, second=0, microsecond=0)
    if night > local:
        night -= timedelta(days=1)
    return "nightly" if model.trained_at < night else None
