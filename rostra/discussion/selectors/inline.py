"""Inline feedback: the passages of an article readers commented on, and the comments
on each passage or question."""

from django.db.models import QuerySet

from rostra.discussion.identity import Viewer
from rostra.discussion.models import AnchorStatus, Comment, CommentAnchor, Thread
from rostra.discussion.selectors.access import visible_to


def _visible_anchors(thread: Thread, viewer: Viewer | None) -> QuerySet:
    comments = Comment.objects.filter(thread=thread, deleted_at__isnull=True)
    return CommentAnchor.objects.filter(comment__in=comments.filter(visible_to(viewer)))


def inline_overview(thread: Thread | None, viewer: Viewer | None) -> tuple[list[dict], int]:
    """In one query: the passages readers commented on, with counts, for highlighting;
    and how many passage comments there are (orphans included), for the tab."""
    if thread is None:
        return [], 0
    groups: dict[tuple, dict] = {}
    total = 0
    rows = _visible_anchors(thread, viewer).values_list(
        "block_id", "start", "end", "question_id", "exact", "status"
    )
    for block_id, start, end, question_id, exact, status in rows:
        total += 1
        if status != AnchorStatus.ANCHORED:
            continue
        key = (question_id,) if question_id else (block_id, start, end)
        group = groups.setdefault(
            key,
            {"block": block_id, "start": start, "end": end, "question": question_id,
             "exact": exact, "count": 0},
        )  # fmt: skip
        group["count"] += 1
    return list(groups.values()), total


def inline_passages(thread: Thread | None, viewer: Viewer | None) -> list[dict]:
    return inline_overview(thread, viewer)[0]


def inline_count(thread: Thread | None, viewer: Viewer | None) -> int:
    return inline_overview(thread, viewer)[1]


def inline_comments(
    thread: Thread | None,
    viewer: Viewer | None,
    *,
    block_id: str = "",
    start: int | None = None,
    end: int | None = None,
    question_id: str = "",
) -> list[Comment]:
    """Passage comments with their anchors: all of them (the discussion's “Inline
    feedback” tab, orphans included) or those of one passage or question."""
    if thread is None:
        return []
    anchors = _visible_anchors(thread, viewer)
    if question_id:
        anchors = anchors.filter(question_id=question_id)
    elif block_id:
        anchors = anchors.filter(
            block_id=block_id, start=start, end=end, question_id="",
            status=AnchorStatus.ANCHORED,
        )  # fmt: skip
    return [
        anchor.comment
        # Following the one-to-one also fills `comment.anchor`: no query per comment.
        for anchor in anchors.select_related("comment").order_by("status", "comment__created_at")
    ]
