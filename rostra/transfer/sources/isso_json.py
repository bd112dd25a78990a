"""Isso's "generic" JSON import format: a list of threads, each with its comments.

The format has no replies and no status; every comment is published at the top level.
Read as a stream (ijson), one thread at a time.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

import ijson
from django.utils.translation import gettext_lazy, gettext_noop

from rostra.transfer.records import CommentRecord, Record, Rejected, ThreadRecord
from rostra.transfer.sources.base import (
    ReadProgress,
    json_events,
    open_counted,
    parse_iso,
    reading,
)

NAME = "isso-json"
LABEL = gettext_lazy("Isso (generic JSON)")  # the import form's choice
SHAPE = {
    "": "start_array",
    "item": "start_map",
    "item.comments": "start_array",
    "item.comments.item": "start_map",
}


def detect(head: bytes) -> bool:
    stripped = head.lstrip()
    return stripped.startswith(b"[") and b'"comments"' in head and b'"text"' in head


def _created(value: str) -> datetime | None:
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except (AttributeError, ValueError):
        return parse_iso(value or "")


def parse(path, progress: ReadProgress) -> Iterator[Record]:
    with open_counted(path, progress) as file:
        events = json_events(file, progress, record_depth=1, shape=SHAPE)
        for number, thread in enumerate(ijson.items(events, "item"), start=1):
            with reading(gettext_noop("Thread %(number)s of the file"), number=f"{number:,}"):
                yield from _thread(thread)


def _thread(thread: dict) -> Iterator[Record]:
    if not thread.get("id"):
        yield Rejected("thread", "isso-json:?", "a thread without an id")
        return
    uri = str(thread["id"])
    thread_key = f"isso-json:thread:{uri}"
    yield ThreadRecord(key=thread_key, url=uri, title=str(thread.get("title") or ""))
    for index, comment in enumerate(thread.get("comments") or []):
        key = f"isso-json:comment:{uri}:{comment.get('id', index)}"
        created = _created(str(comment.get("created") or ""))
        if created is None:
            yield Rejected("comment", key, "unreadable date")
            continue
        yield CommentRecord(
            key=key,
            thread_key=thread_key,
            created_at=created,
            author_name=str(comment.get("author") or "").strip() or "Anonymous",
            author_email=str(comment.get("email") or ""),
            author_website=str(comment.get("website") or ""),
            ip=str(comment.get("remote_addr") or ""),
            body_markdown=str(comment.get("text") or ""),
        )
