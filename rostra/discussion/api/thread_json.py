"""The thread API's JSON: one copy every reader shares, cached, and each reader's own
state laid over it.

The shared copy is the page as a reader with no votes and no comments of their own sees
it (`my_vote` 0, `can_change` false everywhere), encoded once with orjson and kept in
Django's cache (`CACHE_URL`: shared by every process) under
`rostra:discussion:thread-json:<thread id>:<sort>:<page or "all">:<page size>:<language>`,
stamped with the thread's version (`Thread.version`, read with the access check in the
same query). It is served only for that version: every change a reader could see bumps
the version in its transaction, so the first reader after a change rebuilds the copy
(through the lean rows of `selectors.thread_rows`) and replaces the entry, one entry
per page rather than one per version. Entries expire after CACHE_SECONDS unread. Each
process also keeps the copies it served last in memory (`api.copies`), used on the same
condition, the version.

Scores live in the shared copy (votes bump the version): the "Most Voted" order depends
on them, and the lean rebuild after a vote is cheap. The reader's own state (their
votes, the comments they may change) comes from `selectors.viewer_state` in two small
queries and is written into a copy of the shared JSON, never into the cache. A reader
who sees comments others do not (their own held comments; staff) gets their page built
for them from the lean rows, uncached. The cache is asked only after the access rule
said the reader may read the thread (`api.access.thread_named`).
"""

import gzip
from collections.abc import Mapping
from dataclasses import dataclass

import brotli
import orjson
from django.core.cache import cache
from django.utils.translation import get_language

from rostra.core.page_cache import version_reader
from rostra.discussion import selectors
from rostra.discussion.api.copies import recent_copies
from rostra.discussion.api.rendering import encode
from rostra.discussion.api.scored_copies import ScoredCopy, scored_copy
from rostra.discussion.avatars import initials
from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    SHOWN_TO_AUTHOR_AS,
    CommentStatus,
    HoldReason,
    SortOrder,
    Thread,
)
from rostra.discussion.policy import Policy
from rostra.discussion.selectors.rows import (
    COMMENT_COLUMNS,
    PASSAGE_COLUMNS,
    TIME_COLUMNS,
    ThreadRows,
)
from rostra.discussion.selectors.viewer_state import ViewerState
from rostra.discussion.text import http_link
from rostra.publishing.selectors import published_content_queries

CACHE_SECONDS = 60 * 60
VERSION_READERS = 1000  # threads whose version reader a process keeps compiled
HOLD_REASONS = dict(HoldReason.choices)  # what a held comment's author is told


def comment_json(
    row: Mapping,
    *,
    my_vote: int = 0,
    can_change: bool = False,
    passage: Mapping | None = None,
    authors: dict | None = None,
    marks: ThreadRows | None = None,
) -> dict:
    """One comment as the API shows it (CommentOut), from its COMMENT_COLUMNS and
    TIME_COLUMNS (as text, or datetimes the renderer writes the same way); its
    `replies` are the caller's to fill. `authors` keeps each author's part for the
    next comments of a page (a thread's readers write many comments each)."""
    deleted = row["deleted"] is not None
    shown = SHOWN_TO_AUTHOR_AS.get(row["status"], row["status"])
    name, website = row["author_name"], row["author_website"]
    author = None
    if not deleted:
        author = (authors or {}).get((name, website))
        if author is None:
            author = {"name": name, "initials": initials(name), "website": http_link(website)}
            if authors is not None:
                authors[(name, website)] = author
    return {
        "id": row["id"],
        "parent_id": row["parent_id"],
        "reply_to_id": row["reply_to_id"],
        "depth": row["depth"],
        "author": author,
        "html": row["body_html"],
        "created_at": row["created"],
        "edited_at": row["edited"],
        # Shadow-banned comments and spam reach their author alone, and look published
        # and held to them (models.SHOWN_TO_AUTHOR_AS).
        "status": shown,
        "held_because": str(HOLD_REASONS.get(row["held_because"], ""))
        if shown == CommentStatus.PENDING
        else "",
        "is_deleted": deleted,
        "upvotes": row["upvotes"],
        "downvotes": row["downvotes"],
        "score": row["score"],
        "my_vote": my_vote,
        "can_change": can_change,
        "url": f"/comments/{row['id']}/",
        "passage": None if passage is None else {name: passage[name] for name in PASSAGE_COLUMNS},
        "is_pick": row["picked"] is not None,
        "is_pinned": marks is not None and row["id"] == marks.pinned_id,
        "badges": list(marks.badges.get(row["user_id"], ())) if marks and not deleted else [],
        "replies": [],
    }


def comment_json_of(comment, *, can_change: bool, anchor=None) -> dict:
    """A comment model object (a new or edited comment) in the same shape."""
    row = {name: getattr(comment, name) for name in COMMENT_COLUMNS}
    row.update({name: getattr(comment, column) for name, column in TIME_COLUMNS.items()})
    passage = None if anchor is None else {name: getattr(anchor, name) for name in PASSAGE_COLUMNS}
    return comment_json(row, can_change=can_change, passage=passage)


def _tree_json(rows: list[dict], authors: dict, marks: ThreadRows) -> list[dict]:
    out = []
    for row in rows:
        passage = None
        if row.get("passage_block_id") is not None:
            passage = {name: row[f"passage_{name}"] for name in PASSAGE_COLUMNS}
        data = comment_json(row, passage=passage, authors=authors, marks=marks)
        data["replies"] = _tree_json(row["replies"], authors, marks)
        out.append(data)
    return out


def _page_json(rows: ThreadRows, *, thread_key: str, sort: str) -> dict:
    return {
        "thread": thread_key,
        "sort": sort,
        "total_comments": rows.total_comments,
        "total_top_level": rows.total_roots,
        "page": rows.page,
        "has_more": rows.shown_roots < rows.total_roots,
        "comments": _tree_json(rows.tree, authors={}, marks=rows),
    }


def _mark(comments: list[dict], state: ViewerState) -> None:
    """Write the reader's own state into comments of the API's shape, replies included."""
    for comment in comments:
        comment["my_vote"] = state.votes.get(comment["id"], 0)
        comment["can_change"] = not comment["is_deleted"] and (
            state.changes_all or comment["id"] in state.changeable
        )
        _mark(comment["replies"], state)


def page_key(thread: Thread, *, sort: str, page: int | str, page_size: int) -> str:
    return f"rostra:discussion:thread-json:{thread.pk}:{sort}:{page}:{page_size}:{get_language()}"


def cache_key(thread: Thread, *, sort: str, page: int | str, page_size: int) -> str:
    """Where the shared cache keeps a page: whole in the "Most Voted" order, else
    without its scores."""
    key = page_key(thread, sort=sort, page=page, page_size=page_size)
    return key if sort == SortOrder.MOST_VOTED else _scoreless(key)


def _scoreless(key: str) -> str:
    return f"{key}:scoreless"


def _shared_copy(
    thread: Thread, key: str, *, thread_key: str, sort, page, page_size, show_all
) -> bytes:
    """The page every reader without state of their own sees: this process's recent
    copy when it holds the thread's current version; else, in orders that do not
    depend on scores, the scoreless copy filled with the scores; else the shared
    cache's copy at that version; else built."""
    body = recent_copies.get(key, thread.version)
    if body is not None:
        return body
    # Pages past the end are not kept: asking for them cannot fill the cache.
    if sort != SortOrder.MOST_VOTED:
        copy, built = _scoreless_copy(thread, key, thread_key, sort, page, page_size, show_all)
        # Scores read after `thread.version` (by the build or now): never older than it.
        body = copy.filled({} if built else selectors.comment_scores(thread, copy.ids))
        if copy.ids or show_all or page <= 1:
            recent_copies.put(key, thread.version, body)
        return body
    stamped = cache.get(key)
    if stamped is not None and stamped[0] == thread.version:
        recent_copies.put(key, thread.version, stamped[1])
        return stamped[1]
    # `thread.version` was read before these rows: the copy is never older than its stamp.
    rows = _rows(thread, sort, page, page_size, show_all)
    body = encode(_page_json(rows, thread_key=thread_key, sort=sort))
    if rows.tree or rows.page == 1:
        cache.set(key, (thread.version, body), CACHE_SECONDS)
        recent_copies.put(key, thread.version, body)
    return body


def _scoreless_copy(
    thread: Thread, key: str, thread_key, sort, page, page_size, show_all
) -> tuple[ScoredCopy, bool]:
    """The page without its scores at the thread's content version (votes do not move
    it): this process's, the shared cache's, or built (True) and stored in both."""
    key = _scoreless(key)
    version = thread.content_version
    copy = recent_copies.get(key, version)
    if copy is not None:
        return copy, False
    stamped = cache.get(key)
    if stamped is not None and stamped[0] == version:
        copy, built = stamped[1], False
    else:
        rows = _rows(thread, sort, page, page_size, show_all)
        copy, built = scored_copy(_page_json(rows, thread_key=thread_key, sort=sort)), True
        if not (rows.tree or rows.page == 1):
            return copy, built
        cache.set(key, (version, copy), CACHE_SECONDS)
    recent_copies.put(key, version, copy, size=copy.size)
    return copy, built


def _rows(thread: Thread, sort, page, page_size, show_all) -> ThreadRows:
    return selectors.thread_rows(
        thread=thread, viewer=None, sort=sort, page=page, page_size=page_size, show_all=show_all
    )


@dataclass(frozen=True)
class SharedName:
    key: str
    version: int


COMPRESSORS = {
    "br": lambda body: brotli.compress(body, quality=5),
    # No secret in the shared copy (BREACH): no random padding needed, as for public pages.
    "gzip": lambda body: gzip.compress(body, compresslevel=6, mtime=0),
}


def compressed_copy(name: SharedName, body: bytes, encoding: str) -> bytes:
    """The shared copy `body` compressed with `encoding` ("br" or "gzip"): compressed
    once per version in this process, not once per request."""
    key = f"{name.key}:{encoding}"
    compressed = recent_copies.get(key, name.version)
    if compressed is None:
        compressed = COMPRESSORS[encoding](body)
        recent_copies.put(key, name.version, compressed)
    return compressed


def thread_page_json(thread: Thread | None, viewer: Viewer | None, policy: Policy, **page) -> bytes:
    """The JSON of one page of a thread (or all of it) as `viewer` sees it (ThreadOut)."""
    return thread_page_body(thread, viewer, policy, **page)[0]


def thread_page_body(
    thread: Thread | None,
    viewer: Viewer | None,
    policy: Policy,
    *,
    thread_key: str,
    sort: str,
    page: int,
    page_size: int,
    show_all: bool,
) -> tuple[bytes, SharedName | None]:
    """`thread_page_json`, and the name of the shared copy when that is what the reader
    gets unchanged (its compressed forms are kept under it: `compressed_copy`)."""
    if thread is None:  # an article without comments yet
        empty = ThreadRows(tree=[], total_comments=0, total_roots=0, shown_roots=0, page=1)
        return encode(_page_json(empty, thread_key=thread_key, sort=sort)), None
    state = selectors.viewer_state(thread, viewer, edit_window=policy.edit_window)
    if state.sees_more:
        rows = selectors.thread_rows(
            thread=thread, viewer=viewer, sort=sort, page=page, page_size=page_size,
            show_all=show_all,
        )  # fmt: skip
        data = _page_json(rows, thread_key=thread_key, sort=sort)
        _mark(data["comments"], state)
        return encode(data), None
    key = page_key(thread, sort=sort, page="all" if show_all else page, page_size=page_size)
    body = _shared_copy(
        thread, key, thread_key=thread_key, sort=sort, page=page, page_size=page_size,
        show_all=show_all,
    )  # fmt: skip
    if state.marks_nothing:
        return body, SharedName(key, thread.version)
    data = orjson.loads(body)
    _mark(data["comments"], state)
    return encode(data), None


_version_readers: dict[str, object] = {}


def public_version_reader(thread_key: str):
    """A function reading, in one query, what the thread API's public answer for
    `thread_key` (a validated ThreadKey) is made of: the thread's version under the one
    access rule (nothing once readers may not see it), and the newest page and settings
    log entries (the default order and page size are settings; an unpublished article
    is logged). Compiled once per thread key and process (rostra.core.page_cache)."""
    reader = _version_readers.get(thread_key)
    if reader is None:
        if len(_version_readers) >= VERSION_READERS:
            _version_readers.clear()
        reader = _version_readers[thread_key] = version_reader(
            queries=lambda: [_thread_version_query(thread_key), *published_content_queries()]
        )
    return reader


def _thread_version_query(thread_key: str):
    key, article_id = selectors.parse_thread_key(thread_key)
    threads = selectors.readable_threads().order_by()
    if article_id is None:
        return threads.filter(key=key).values_list("version")[:1]
    if not 0 < article_id <= selectors.MAX_ID:
        # Names no thread, and cannot be bound as an SQL integer: a query of nothing.
        return threads.filter(pk__isnull=True).values_list("version")[:1]
    return threads.filter(article_id=article_id).values_list("version")[:1]
