"""Isso's "generic" JSON import format: a list of threads, each with its comments.

The format has no replies and no status; every comment is published at the top level.
Read as a stream (ijson), one thread at a time.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

import ijson

from rostra.transfer.records import CommentRecord, ImportFileError, Record, Rejected, ThreadRecord
from rostra.transfer.sources.base import ReadProgress, open_counted, parse_iso

NAME = "isso-json"
LABEL = "Isso (generic JSON)"


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
        try:
            for thread in ijson.items(file, "item"):
                if not isinstance(thread, dict) or not thread.get("id"):
                    yield Rejected("thread", "isso-json:?", "a thread without an id")
                    continue
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
        except ijson.JSONError as error:
            raise ImportFileError(f"The file is not valid JSON: {error}.") from None
