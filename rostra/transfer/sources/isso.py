"""Isso's own database (the SQLite file named by `[general] dbpath` in isso.cfg).

Read-only and row by row. Isso keeps Markdown; `mode` 1 is published, 2 awaits
moderation, 4 is deleted (a tombstone kept because replies hang under it).
"""

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rostra.transfer.records import CommentRecord, ImportFileError, Record, ThreadRecord
from rostra.transfer.sources.base import ReadProgress

NAME = "isso"
LABEL = gettext_lazy("Isso (its SQLite database file)")  # the import form's choice
STATUS = {1: "approved", 2: "pending", 4: "approved"}


def detect(head: bytes) -> bool:
    return head.startswith(b"SQLite format 3\x00")


def _timestamp(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(value), tz=UTC) if value else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def parse(path, progress: ReadProgress) -> Iterator[Record]:
    try:
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise ImportFileError(
            _("The file is not a readable SQLite database: %(error)s.") % {"error": error}
        ) from None
    if not {"threads", "comments"} <= tables:
        database.close()
        raise ImportFileError(_("The database has no Isso 'threads' and 'comments' tables."))
    try:
        progress.total = database.execute("SELECT count(*) FROM comments").fetchone()[0]
        for uri, title in database.execute("SELECT uri, title FROM threads"):
            yield ThreadRecord(key=f"isso:thread:{uri}", url=uri or "", title=title or "")
        rows = database.execute(
            "SELECT c.id, t.uri, c.parent, c.created, c.modified, c.mode, c.remote_addr, "
            "c.text, c.author, c.email, c.website, c.likes, c.dislikes "
            "FROM comments c JOIN threads t ON t.id = c.tid ORDER BY c.id"
        )
        for row in rows:
            progress.bytes_read += 1
            (cid, uri, parent, created, modified, mode, addr, text, author, email, website,
             likes, dislikes) = row  # fmt: skip
            created_at = _timestamp(created)
            yield CommentRecord(
                key=f"isso:comment:{cid}",
                thread_key=f"isso:thread:{uri}",
                parent_key=f"isso:comment:{parent}" if parent else "",
                created_at=created_at or datetime(1970, 1, 1, tzinfo=UTC),
                edited_at=_timestamp(modified),
                deleted_at=created_at if mode == 4 else None,
                status=STATUS.get(mode, "pending"),
                ip=addr or "",
                body_markdown=text or "",
                author_name=(author or "").strip() or "Anonymous",
                author_email=email or "",
                author_website=website or "",
                upvotes=likes or 0,
                downvotes=dislikes or 0,
            )
    except sqlite3.DatabaseError as error:
        raise ImportFileError(
            _("The Isso database could not be read: %(error)s.") % {"error": error}
        ) from None
    finally:
        database.close()
