"""Reads of the filter: its settings, its current version (ready to score), what is
known about an author, what a version would have held."""

import hashlib
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rostra.discussion.filtering import Submission
from rostra.discussion.models import Comment, CommentStatus
from rostra.spamfilter.features import FEATURES_VERSION, Signals
from rostra.spamfilter.models import (
    CommentScore,
    FilterAction,
    FilterMode,
    FilterModel,
    ModelState,
    SpamFilterSettings,
)
from rostra.spamfilter.scoring import Score, Scorer

CACHE_SECONDS = 60  # how long a process keeps the settings and the current version
REPEAT_WINDOW = timedelta(days=7)
REJECTED = (CommentStatus.SPAM, CommentStatus.REMOVED)

_cache: dict[str, tuple[float, object]] = {}


def _cached(name: str, load):
    now = time.monotonic()
    hit = _cache.get(name)
    if hit is None or hit[0] < now:
        hit = (now + CACHE_SECONDS, load())
        _cache[name] = hit
    return hit[1]


def forget_cached() -> None:
    """Read the settings and the current version afresh on next use (this process)."""
    _cache.clear()


@receiver(post_save, sender=SpamFilterSettings)
def _settings_saved(**kwargs):
    forget_cached()


def filter_settings_fresh() -> SpamFilterSettings:
    """The saved settings, or the defaults while nobody has saved any (one query, no
    write: posting a comment must not create the row)."""
    return SpamFilterSettings.objects.first() or SpamFilterSettings()


def filter_settings() -> SpamFilterSettings:
    return _cached("settings", filter_settings_fresh)


def current_model() -> FilterModel | None:
    """The newest trained version, learning or not."""
    return FilterModel.objects.defer("spam_weights", "abuse_weights").first()


def _load_scorer() -> Scorer | None:
    model = FilterModel.objects.first()
    if (
        model is None
        or model.state != ModelState.READY
        or model.features_version != FEATURES_VERSION
    ):
        return None
    return Scorer(model)


def current_scorer() -> Scorer | None:
    """The newest version ready to score, None while learning; kept a minute per
    process (a new version is read within a minute, at once in the process that
    trained it)."""
    latest = _cached("latest", lambda: FilterModel.objects.values_list("pk", flat=True).first())
    if latest is None:
        return None
    # Kept with the version it was read for, None included: a version that is learning
    # (or of another features version) would otherwise be read, weights and all, on
    # every post until the next one is trained.
    read_for, scorer = _cache.get("scorer", (None, None))
    if read_for != latest:
        scorer = _load_scorer()
        _cache["scorer"] = (latest, scorer)
    return scorer


def thresholds(scorer: Scorer, label: str, filter_settings: SpamFilterSettings):
    """(hold, mark) for `label`: the editor's, else those chosen at training."""
    chosen = scorer.classes[label]
    hold = chosen.hold_threshold
    mark = chosen.mark_threshold
    if label == "spam":
        hold = filter_settings.hold_threshold or hold
        mark = filter_settings.spam_threshold or mark
    return hold, mark


def filter_action(score: Score, scorer: Scorer, filter_settings, mode: str) -> str:
    """What `mode` does with `score`: hold when the spam or the abuse score reaches
    its hold threshold, mark spam (in that mode) when the spam score reaches the spam
    threshold; nothing in the other modes."""
    if mode not in (FilterMode.HOLD, FilterMode.HOLD_AND_SPAM):
        return FilterAction.NONE
    action = FilterAction.NONE
    for label, value in (("spam", score.spam), ("abuse", score.abuse)):
        if value is None or label not in scorer.classes:
            continue
        hold, mark = thresholds(scorer, label, filter_settings)
        if label == "spam" and mode == FilterMode.HOLD_AND_SPAM and value >= mark:
            return FilterAction.SPAM
        if value >= hold:
            action = FilterAction.HELD
    return action


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def own_hosts() -> frozenset[str]:
    host = (urlsplit(settings.BASE_URL).hostname or "").removeprefix("www.")
    return frozenset({host} if host else ())


def _signals_sql() -> str:
    comments, scores = Comment._meta.db_table, CommentScore._meta.db_table
    author, status = (Comment._meta.get_field(f).column for f in ("author_key", "status"))
    digest, created, thread = (
        CommentScore._meta.get_field(f).column for f in ("text_hash", "created_at", "thread_id")
    )
    return f"""
SELECT
  (SELECT COUNT(*) FROM {comments} WHERE {author} = %s),
  (SELECT COUNT(*) FROM {comments} WHERE {author} = %s AND {status} = %s),
  (SELECT COUNT(*) FROM {comments} WHERE {author} = %s AND {status} IN (%s, %s)),
  (SELECT COUNT(*) FROM (SELECT 1 FROM {scores}
     WHERE {digest} = %s AND {created} >= %s AND {thread} <> %s LIMIT 1) AS repeated)
"""  # noqa: S608 - the models' names


def submission_signals(submission: Submission) -> Signals:
    """What is known about the author of `submission` (their earlier comments, how many
    approved and rejected), and whether the filter saw the same text in another
    discussion in the past week (by its hash, indexed). One statement: as an ORM
    aggregate and an exists() it took 7 ms of a post on a loaded 2-core machine, against
    0.2 ms (bench/spamfilter.py)."""
    since = (submission.created_at or datetime.now().astimezone()) - REPEAT_WINDOW
    key = submission.author_key
    with connection.cursor() as cursor:
        cursor.execute(
            _signals_sql(),
            [
                key,
                *(key, CommentStatus.APPROVED),
                *(key, *REJECTED),
                text_hash(submission.body),
                connection.ops.adapt_datetimefield_value(since),
                submission.thread_id,
            ],
        )
        earlier, approved, rejected, repeated = cursor.fetchone()
    return Signals(
        name=submission.name,
        website=submission.website,
        earlier=earlier,
        approved=approved,
        rejected=rejected,
        repeated_elsewhere=bool(repeated),
        own_hosts=own_hosts(),
    )


RECENT_DAYS = 7
RECENT_LIMIT = 2000  # comments of last week scored for the report, newest first
LABEL_NAMES = {
    "spam": gettext_lazy("Spam"),
    "abuse": gettext_lazy("Abuse"),
    "ham": gettext_lazy("Legitimate"),
}


def would_have_held(now: datetime, scorer: Scorer, filter_settings) -> dict:
    """How many of last week's comments (at most the newest RECENT_LIMIT) the current
    version would hold, scored on their text and links."""
    since = now - timedelta(days=RECENT_DAYS)
    hosts = own_hosts()
    scored = held = 0
    rows = (
        Comment.objects.filter(created_at__gte=since, deleted_at__isnull=True)
        .order_by("-created_at")
        .values_list("body_source", "author_website")[:RECENT_LIMIT]
    )
    for body, website in rows:
        score = scorer.score(body, Signals(website=website, own_hosts=hosts))
        action = filter_action(score, scorer, filter_settings, FilterMode.HOLD)
        scored += 1
        held += action != FilterAction.NONE
    return {"scored": scored, "held": held, "limited": scored == RECENT_LIMIT}


def _one_in(held: int, legitimate: int) -> str:
    if not held:
        return _("nothing held")
    if not legitimate:
        return ngettext(
            "the %(held)d held comment was not legitimate",
            "none of the %(held)d held comments were legitimate",
            held,
        ) % {"held": held}
    return _("1 in %(ratio)s held comments is legitimate") % {"ratio": f"{held / legitimate:.0f}"}


def filter_report(now: datetime) -> dict:
    """What the admin page shows."""
    model = current_model()
    filter_settings = filter_settings_fresh()
    context: dict = {
        "model": model,
        "settings": filter_settings,
        "versions": FilterModel.objects.defer("spam_weights", "abuse_weights")[:10],
        "min_examples": settings.SPAMFILTER_MIN_EXAMPLES,
        "classes": [],
    }
    if model is None:
        return context
    metrics = model.metrics
    for label, figures in metrics.get("classes", {}).items():
        trade_off = [
            {**row, "one_in": _one_in(row["held"], row["legitimate_held_count"])}
            for row in metrics.get("trade_off", {}).get(label, [])
        ]
        context["classes"].append(
            {
                "label": LABEL_NAMES[label],
                "figures": figures,
                "one_in": _one_in(figures["held"], figures["legitimate_held_count"]),
                "trade_off": trade_off,
            }
        )
    confusion = metrics.get("confusion", {})
    columns = [label for label in ("ham", "spam", "abuse") if label in confusion]
    context["confusion"] = {
        "columns": [LABEL_NAMES[label] for label in columns],
        "rows": [
            (LABEL_NAMES[actual], [confusion[actual].get(p, 0) for p in columns])
            for actual in columns
        ],
    }
    scorer = current_scorer()
    if scorer is not None and scorer.model_id == model.pk:
        context["recent"] = would_have_held(now, scorer, filter_settings)
        context["hold_threshold"] = thresholds(scorer, "spam", filter_settings)[0]
    return context


def queue_notes(comment_ids: list[int]) -> dict[int, str]:
    """The filter's scores of these comments and the strongest signals behind them, a
    line each, for the moderation queue (one query)."""
    notes = {}
    for score in CommentScore.objects.filter(comment_id__in=comment_ids):
        parts = [_("spam %(score)s") % {"score": f"{score.spam:.2f}"}]
        if score.abuse is not None:
            parts.append(_("abuse %(score)s") % {"score": f"{score.abuse:.2f}"})
        scores = ", ".join(parts)
        signals = ", ".join(str(reason[0]) for reason in score.reasons[:5])
        notes[score.comment_id] = (
            _("Spam filter: %(scores)s; driven by: %(signals)s")
            % {"scores": scores, "signals": signals}
            if signals
            else _("Spam filter: %(scores)s") % {"scores": scores}
        )
    return notes
