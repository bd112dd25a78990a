"""The discussion's families on /metrics (the `rostra_metrics` hook, see rostra.core.metrics)."""

from rostra.core.metrics import family
from rostra.discussion.selectors import comment_totals_by_status, vote_totals


def families():
    yield from family(
        "rostra_comments",
        "gauge",
        "Comments stored, by moderation status.",
        (({"status": s}, n) for s, n in sorted(comment_totals_by_status().items())),
    )
    yield from family(
        "rostra_votes",
        "gauge",
        "Votes stored on comments, up and down.",
        (({"value": v}, n) for v, n in vote_totals().items()),
    )
