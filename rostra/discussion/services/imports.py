"""Comments from another system (the importers), saved as they were: their dates,
status and votes, without the anti-abuse checks and notifications of posting."""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext

from rostra.discussion.models import Comment, CommentStatus, Thread, Vote
from rostra.discussion.services.cleaning import (
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_WEBSITE_LENGTH,
    NAME_COLUMN_LENGTH,
    clean_guest_details,
)
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.sql import comment_columns, comment_table
from rostra.discussion.services.tree import TreePlace, place_under, tree_places
from rostra.discussion.text import http_link, normalise
from rostra.discussion.versions import (
    thread_version_bump,
    thread_version_bump_for_comments,
)

ANONYMOUS = "Anonymous"


def imported_guest_details(
    name: str, email: str, website: str
) -> tuple[tuple[str, str, str], list[str]]:
    """A commenter from another system, cleaned by the comment form's own rules. What
    the form would refuse is no reason to lose an old comment: an unusable website or
    e-mail address is dropped, a name is cut to the form's limit or, when nothing of it
    is left, becomes "Anonymous". Returns (name, email, website) and the fields changed
    ("name-cut", "name", "email", "website"), for the import summary."""
    changed = []
    name = " ".join(normalise(name or "").split())
    if len(name) > MAX_NAME_LENGTH:
        name = name[:MAX_NAME_LENGTH].rstrip()
        changed.append("name-cut")
    name = name or ANONYMOUS
    details = {"name": name, "email": email, "website": website}
    fallback = {"name": ANONYMOUS, "email": "", "website": ""}
    while True:  # each field falls back at most once: three rounds at most
        try:
            return clean_guest_details(**details), changed
        except DiscussionError as error:
            field = error.field
        except ValueError:  # urlsplit refuses some addresses outright ("http://[::1")
            field = "website"
        if field not in fallback or details[field] == fallback[field]:
            raise DiscussionError(
                gettext("Imported commenter details refused (%(field)s).") % {"field": field}
            )
        details[field] = fallback[field]
        changed.append(field)


@dataclass
class ImportedComment:
    """A comment from another system. Its parent is either an existing comment
    (`parent_id`) or an earlier item of the same batch (`parent_index`)."""

    thread_id: int
    author_key: str
    author_name: str
    body_source: str
    body_html: str
    created_at: datetime
    status: str = CommentStatus.APPROVED
    parent_id: int | None = None
    parent_index: int | None = None
    author_email: str = ""
    author_website: str = ""
    ip_hash: str = ""
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    upvotes: int = 0
    downvotes: int = 0


def comments_import(items: list[ImportedComment], *, max_depth: int) -> list[TreePlace]:
    """Save imported comments as they were: their dates, status and votes, without the
    anti-abuse checks and notifications of posting. Replies deeper than `max_depth` are
    attached at the last level and remember whom they answer, as when posting.

    Two statements per batch whatever its size: one bulk insert, one batched update
    of the tree columns (which need the new ids)."""
    if not items:
        return []
    rows = [
        Comment(
            thread_id=item.thread_id,
            author_key=item.author_key,
            ip_hash=item.ip_hash[:64],
            **_imported_columns(item),
        )
        for item in items
    ]
    Comment.objects.bulk_create(rows)
    known = tree_places({item.parent_id for item in items if item.parent_id is not None})
    places: list[TreePlace] = []
    for item, row in zip(items, rows, strict=True):
        if item.parent_index is not None:
            parent = places[item.parent_index]
        else:
            parent = known.get(item.parent_id) if item.parent_id is not None else None
        place, row.reply_to_id = place_under(row.pk, parent, max_depth)
        row.parent_id, row.path = place.parent_id, place.path
        row.depth, row.root_id = place.depth, place.root_id
        places.append(place)
    _write_tree_columns(rows)
    thread_version_bump(*{item.thread_id for item in items})
    return places


TREE_FIELDS = ("parent", "reply_to", "path", "depth", "root_id")


def _write_tree_columns(rows: list[Comment]) -> None:
    """One prepared UPDATE run for every row of the batch. Kept as SQL because the ORM's
    `bulk_update` (a CASE per column over the whole batch) took 18 times as long for a
    2,000-comment batch (3.5 s against 0.2 s of CPU), four times a whole
    `comments_import` (bench/discussion_sql.py, SQLite; 13 times on PostgreSQL)."""
    table, pk = comment_table(), comment_columns("id")[0]
    assignments = ", ".join(f"{column} = %s" for column in comment_columns(*TREE_FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608 - model's names
            [(r.parent_id, r.reply_to_id, r.path, r.depth, r.root_id, r.pk) for r in rows],
        )


def comment_update_imported(comment_id: int, item: ImportedComment) -> None:
    """A newer import of a comment: its text, author, status, dates and votes."""
    Comment.objects.filter(pk=comment_id).update(**_imported_columns(item))
    thread_version_bump(item.thread_id)


def _imported_columns(item: ImportedComment) -> dict:
    """What an import sets, and a later import of the same comment may change."""
    return {
        "author_name": item.author_name[:NAME_COLUMN_LENGTH],
        "author_email": item.author_email[:MAX_EMAIL_LENGTH],
        "author_website": http_link(item.author_website)[:MAX_WEBSITE_LENGTH],
        "body_source": item.body_source,
        "body_html": item.body_html,
        "status": item.status,
        "created_at": item.created_at,
        "edited_at": item.edited_at,
        "deleted_at": item.deleted_at,
        "upvotes": item.upvotes,
        "downvotes": item.downvotes,
        "score": item.upvotes - item.downvotes,
    }


@dataclass(frozen=True)
class ImportedThread:
    """A discussion from another system: an article's (`article_id`), or an embed
    thread stored under `key`, the address it lived at."""

    title: str
    article_id: int | None = None
    key: str = ""
    url: str = ""
    is_closed: bool = False


def thread_import(item: ImportedThread) -> tuple[int, bool]:
    """The thread an imported discussion joins: the article's or the one stored under
    its key, created when missing. Closing carries over; an open import never reopens a
    thread closed here. Returns (thread id, created)."""
    if item.article_id is not None:
        key, defaults = f"article:{item.article_id}", {"article_id": item.article_id}
    else:
        key, defaults = item.key[:255], {"url": item.url[:500]}
    thread, created = Thread.objects.get_or_create(
        key=key, defaults={**defaults, "title": item.title[:255]}
    )
    if item.is_closed and not thread.is_closed:
        Thread.objects.filter(pk=thread.pk).update(is_closed=True, version=F("version") + 1)
    return thread.pk, created


def thread_update_imported(thread_id: int, *, title: str, is_closed: bool) -> None:
    """A newer import of a thread: its title and whether it is closed."""
    Thread.objects.filter(pk=thread_id).update(
        is_closed=is_closed, title=title[:255], version=F("version") + 1
    )


def votes_import(votes: list[tuple[int, str, int]]) -> int:
    """Record imported votes, (comment id, voter key, ±1), as they were: the comments'
    counters already hold them. A voter's existing vote on a comment is kept. Returns
    how many were new."""
    existing = set(
        Vote.objects.filter(comment_id__in={comment_id for comment_id, _, _ in votes}).values_list(
            "comment_id", "voter_key"
        )
    )
    new = [
        Vote(comment_id=comment_id, voter_key=voter_key[:80], value=value)
        for comment_id, voter_key, value in votes
        if (comment_id, voter_key[:80]) not in existing
    ]
    Vote.objects.bulk_create(new)
    thread_version_bump_for_comments({vote.comment_id for vote in new})
    return len(new)
