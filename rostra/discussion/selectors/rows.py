"""A page of a thread as plain rows: the lean read path of the thread API.

The same comments, in the same order and tree, as `thread_page`, for the same four
queries (the top-level count, the page's top-level comments, all their replies, the
visible count), but each comment is a dict of its columns (`.values()`), never a model
object: for 2,000 comments that is several times less work, and what the API's cache
rebuilds after every vote on a busy thread. Whom a reply answers comes by a join
column (`reply_to_name`), a top-level comment's passage by the joined anchor's columns.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, F, Func, QuerySet

from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, Thread
from rostra.discussion.selectors.access import visible_to
from rostra.discussion.selectors.badges import comment_badges
from rostra.discussion.selectors.pages import roots_window, visible_count

COMMENT_COLUMNS = (
    "id", "parent_id", "reply_to_id", "depth", "author_name", "author_website",
    "body_html", "status", "held_because", "upvotes", "downvotes", "score", "user_id",
)  # fmt: skip
# Times by the names rows give them: text the database writes (`IsoUtc`), or None.
TIME_COLUMNS = {
    "created": "created_at", "edited": "edited_at", "deleted": "deleted_at",
    "picked": "picked_at",
}  # fmt: skip
PASSAGE_COLUMNS = (
    "block_id", "start", "end", "exact", "prefix", "suffix", "question_id", "question",
    "status",
)  # fmt: skip


class IsoUtc(Func):
    """A datetime column as the API writes times, RFC 3339 in UTC with milliseconds and
    "Z" ("2026-11-27T09:30:00.250Z"), formatted by the database: building and formatting
    a datetime object per row would cost more than the rest of a row."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores SQLite times as UTC text, "2026-11-27 09:30:00.250000" (no
        # fraction when it is 0): milliseconds cut, not rounded, as on PostgreSQL.
        template = (
            "substr(%(expressions)s, 1, 10) || 'T' || substr(%(expressions)s, 12, 8)"
            " || substr(%(expressions)s || '.000', 20, 4) || 'Z'"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = (
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)


_JOINED = {
    "reply_to_name": F("reply_to__author_name"),
    **{name: IsoUtc(column) for name, column in TIME_COLUMNS.items()},
}
# A top-level comment's passage, from its anchor (NULLs when it has none).
_PASSAGE = {f"passage_{name}": F(f"anchor__{name}") for name in PASSAGE_COLUMNS}


@dataclass
class ThreadRows:
    """`tree`: the page's top-level comments, each a dict of COMMENT_COLUMNS and
    TIME_COLUMNS (plus `reply_to_name`, and `passage_*` for top-level ones) with its
    `replies`, recursively; deleted comments left only where replies hang under them."""

    tree: list[dict]
    total_comments: int
    total_roots: int
    shown_roots: int
    page: int
    pinned_id: int | None = None
    badges: dict = field(default_factory=dict)  # {user id: labels}, selectors.badges


def thread_rows(
    *,
    thread: Thread,
    viewer: Viewer | None,
    sort: str,
    page: int = 1,
    page_size: int = 30,
    show_all: bool = False,
) -> ThreadRows:
    """The comments `viewer` may see on `page` (or all of them), as `thread_page` shows
    them, in rows."""
    window = roots_window(
        thread, viewer, sort=sort, page=page, page_size=page_size, show_all=show_all
    )
    roots = _dicts(window.roots[window.start : window.stop], _JOINED | _PASSAGE)
    by_id = {}
    for row in roots:
        row["replies"] = []
        by_id[row["id"]] = row
    if roots:
        replies = Comment.objects.filter(thread=thread, depth__gt=0)
        if window.stop is not None:
            # The whole thread needs no list of its roots (a parameter per root): replies
            # under roots not shown find no parent below and are left out.
            replies = replies.filter(root_id__in=list(by_id))
        replies = replies.filter(visible_to(viewer)).order_by("path")
        for row in _dicts(replies, _JOINED):  # by path: a parent always comes before its replies
            parent = by_id.get(row["parent_id"])
            if parent is None:
                continue  # its parent is hidden from this viewer (pending, spam, removed)
            row["replies"] = []
            by_id[row["id"]] = row
            parent["replies"].append(row)
    tree = [row for row in roots if _pruned(row)]
    return ThreadRows(
        tree=tree,
        total_comments=visible_count(thread, viewer),
        total_roots=window.total,
        shown_roots=window.start + len(roots),
        page=window.page,
        pinned_id=thread.pinned_comment_id,
        badges=comment_badges(thread, {row["user_id"] for row in by_id.values()}),
    )


def _dicts(comments: QuerySet, expressions: dict) -> list[dict]:
    """Rows as dicts of COMMENT_COLUMNS and `expressions`: tuples zipped with their names,
    which costs a third of what `.values()` spends building each dict."""
    names = (*COMMENT_COLUMNS, *expressions)
    rows = comments.annotate(**expressions).values_list(*names)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _pruned(row: dict) -> bool:
    """Drop deleted replies with nothing left under them; whether `row` stays."""
    row["replies"] = [reply for reply in row["replies"] if _pruned(reply)]
    return row["deleted"] is None or bool(row["replies"])


# Beyond this many comments one pass over the thread's rows costs less than a list of
# ids (a parameter each).
SCORES_BY_ID_UP_TO = 500


def comment_scores(thread: Thread, ids: tuple[int, ...]) -> dict[int, tuple[int, int, int]]:
    """(upvotes, downvotes, score) of the comments `ids` of `thread`, in one query: what
    a vote changes in a page the API keeps without scores (api/scored_copies.py)."""
    comments = Comment.objects.filter(thread=thread)
    if len(ids) <= SCORES_BY_ID_UP_TO:
        comments = comments.filter(pk__in=ids)
    rows = comments.values_list("id", "upvotes", "downvotes", "score")
    return {pk: (up, down, score) for pk, up, down, score in rows}
