"""Remark42 backups (`remark42 backup` / the admin's export): JSON lines, a header line
with the site's users and posts, then one comment per line."""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy, gettext_noop

from rostra.transfer.records import CommentRecord, Record, Rejected, ThreadRecord
from rostra.transfer.sources.base import (
    ReadProgress,
    json_lines,
    json_object,
    open_counted,
    parse_iso,
    reading,
)

NAME = "remark42"
LABEL = gettext_lazy("Remark42 (backup, JSON lines)")  # the import form's choice


def detect(head: bytes) -> bool:
    first_line = head.lstrip().split(b"\n", 1)[0]
    return (
        first_line.startswith(b"{")
        and b'"version"' in first_line
        and (b'"users"' in first_line or b'"posts"' in first_line)
    )


def _votes(comment: dict) -> tuple[int, int]:
    votes = comment.get("votes") or {}
    if isinstance(votes, dict) and votes:
        up = sum(1 for value in votes.values() if value is True)
        return up, len(votes) - up
    score = int(comment.get("score") or 0)
    return max(score, 0), max(-score, 0)


def parse(path, progress: ReadProgress) -> Iterator[Record]:
    read_only: set[str] = set()
    threads: set[str] = set()
    with open_counted(path, progress) as file:
        for number, data in json_lines(file, progress):
            with reading(gettext_noop("Line %(number)s"), number=number):
                if number == 1 and "version" in data and "id" not in data:
                    read_only = {
                        p.get("url", "") for p in data.get("posts") or [] if p.get("read_only")
                    }
                    continue
                yield from _comment(data, number, threads, read_only)


def _comment(data: dict, number: int, threads: set, read_only: set) -> Iterator[Record]:
    locator = json_object(data, "locator")
    site, url = str(locator.get("site") or ""), str(locator.get("url") or "")
    comment_id = str(data.get("id") or "")
    key = f"remark42:{site}:comment:{comment_id}"
    if not comment_id or not url:
        yield Rejected("comment", key, f"line {number} has no id or no page address")
        return
    thread_key = f"remark42:{site}:thread:{url}"
    if thread_key not in threads:
        threads.add(thread_key)
        yield ThreadRecord(key=thread_key, url=url, title=str(data.get("title") or ""),
                           is_closed=url in read_only)  # fmt: skip
    created = parse_iso(str(data.get("time") or ""))
    if created is None:
        yield Rejected("comment", key, f"line {number} has an unreadable time")
        return
    user = json_object(data, "user")
    edit = json_object(data, "edit")
    up, down = _votes(data)
    pid = str(data.get("pid") or "")
    yield CommentRecord(
        key=key,
        thread_key=thread_key,
        parent_key=f"remark42:{site}:comment:{pid}" if pid else "",
        created_at=created,
        edited_at=parse_iso(str(edit.get("time") or "")),
        deleted_at=created if data.get("delete") else None,
        author_name=str(user.get("name") or "").strip() or "Anonymous",
        author_id=str(user.get("id") or ""),
        ip_hash=str(user.get("ip") or "")[:64],  # Remark42 stores only a keyed hash
        body_html=str(data.get("text") or ""),
        upvotes=up,
        downvotes=down,
    )
