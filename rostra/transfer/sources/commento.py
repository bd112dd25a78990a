"""Commento (and Commento++) JSON export: comments, then the commenters they refer to.

The file is read twice as a stream (ijson): first the commenters, then the comments,
so memory holds people, never the comments.
"""

from collections.abc import Iterator

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

NAME = "commento"
LABEL = gettext_lazy("Commento (JSON export)")  # the import form's choice
STATES = {"approved": "approved", "unapproved": "pending", "flagged": "spam"}
SHAPE = {
    "": "start_map",
    "comments": "start_array",
    "comments.item": "start_map",
    "commenters": "start_array",
    "commenters.item": "start_map",
}


def detect(head: bytes) -> bool:
    return head.lstrip().startswith(b"{") and b'"commentHex"' in head


def _real(value) -> str:
    value = str(value or "").strip()
    return "" if value in {"undefined", "null"} else value


def _items(file, progress: ReadProgress, prefix: str) -> Iterator[tuple[int, dict]]:
    events = json_events(file, progress, record_depth=2, shape=SHAPE)
    return enumerate(ijson.items(events, prefix), start=1)


def parse(path, progress: ReadProgress) -> Iterator[Record]:
    commenters: dict[str, dict] = {}
    first_pass = ReadProgress()
    with open_counted(path, first_pass) as file:
        for _, person in _items(file, first_pass, "commenters.item"):
            commenters[str(person.get("commenterHex"))] = person
    threads: set[str] = set()
    with open_counted(path, progress) as file:
        for number, comment in _items(file, progress, "comments.item"):
            with reading(gettext_noop("Entry %(number)s of “comments”"), number=f"{number:,}"):
                yield from _comment(comment, commenters, threads)


def _comment(comment: dict, commenters: dict, threads: set) -> Iterator[Record]:
    domain, url = str(comment.get("domain") or ""), str(comment.get("url") or "")
    key = f"commento:{domain}:comment:{comment.get('commentHex')}"
    thread_key = f"commento:{domain}:thread:{url}"
    if thread_key not in threads:
        threads.add(thread_key)
        address = f"https://{domain}{url}" if domain else url
        yield ThreadRecord(key=thread_key, url=address)
    created = parse_iso(str(comment.get("creationDate") or ""))
    if created is None:
        yield Rejected("comment", key, "unreadable creationDate")
        return
    person = commenters.get(str(comment.get("commenterHex")), {})
    parent = str(comment.get("parentHex") or "root")
    score = int(comment.get("score") or 0)
    markdown = str(comment.get("markdown") or "")
    yield CommentRecord(
        key=key,
        thread_key=thread_key,
        parent_key="" if parent == "root" else f"commento:{domain}:comment:{parent}",
        created_at=created,
        deleted_at=created if comment.get("deleted") else None,
        status=STATES.get(str(comment.get("state")), "pending"),
        author_name=_real(person.get("name")) or "Anonymous",
        author_email=_real(person.get("email")),
        author_website=_real(person.get("link")),
        author_id=_real(person.get("commenterHex")),
        body_markdown=markdown,
        body_html="" if markdown else str(comment.get("html") or ""),
        upvotes=max(score, 0),
        downvotes=max(-score, 0),
    )
