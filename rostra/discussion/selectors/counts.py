"""Counts over many threads or the whole site: for lists of articles, embeds and
/metrics."""

from django.db.models import Count

from rostra.discussion.models import Comment, CommentStatus, Vote
from rostra.discussion.selectors.access import readable_thread_q


def comment_counts(keys: list[str]) -> dict[str, int]:
    """Visible comment counts for many threads in one query (for lists and embeds);
    0 for threads readers may not see."""
    rows = (
        Comment.objects.filter(
            readable_thread_q("thread__"),
            thread__key__in=keys,
            status=CommentStatus.APPROVED,
            deleted_at__isnull=True,
        )
        .values("thread__key")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(keys, 0)
    counts.update({row["thread__key"]: row["n"] for row in rows})
    return counts


def comment_totals_by_status() -> dict[str, int]:
    """{status: comments} over the whole site, deleted ones included (for /metrics)."""
    rows = Comment.objects.order_by().values_list("status").annotate(n=Count("id"))
    return dict(rows)


def vote_totals() -> dict[str, int]:
    """{"up": n, "down": n}: the votes stored over the whole site (for /metrics)."""
    rows = dict(Vote.objects.order_by().values_list("value").annotate(n=Count("id")))
    return {"up": rows.get(1, 0), "down": rows.get(-1, 0)}
