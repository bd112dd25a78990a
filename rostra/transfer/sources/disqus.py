"""Disqus XML export (Admin → Community → Export).

Threads come first, then posts in any order; a reply may even precede its parent (the
writer re-attaches it). Threads are matched to articles by their address; threads that
match none become embed threads. Deleted and spam posts are kept with their status.
"""

from collections.abc import Iterator

from django.utils.translation import gettext_lazy

from rostra.transfer.records import CommentRecord, Record, Rejected, ThreadRecord
from rostra.transfer.safe_xml import children_by_name, iter_elements, text
from rostra.transfer.sources.base import ReadProgress, open_counted, parse_iso

NAME = "disqus"
LABEL = gettext_lazy("Disqus (XML export)")  # the import form's choice
DSQ_ID = "{http://disqus.com/disqus-internals}id"


def detect(head: bytes) -> bool:
    return b"<disqus" in head and b"disqus.com" in head


def _first(children, name):
    found = children.get(name)
    return found[0] if found else None


def _flag(children, name) -> bool:
    return text(_first(children, name)).lower() == "true"


def _thread(element, forum: str) -> ThreadRecord:
    children = children_by_name(element)
    thread_id = element.get(DSQ_ID) or text(_first(children, "id"))
    return ThreadRecord(
        key=f"disqus:{forum}:thread:{thread_id}",
        url=text(_first(children, "link")),
        title=" ".join(text(_first(children, "title")).split()),
        is_closed=_flag(children, "isClosed") or _flag(children, "isDeleted"),
    )


def _post(element, forum: str) -> Record:
    children = children_by_name(element)
    post_id = element.get(DSQ_ID) or text(_first(children, "id"))
    if not post_id:
        return Rejected("comment", "disqus:?", "a post without an id")
    key = f"disqus:{forum}:post:{post_id}"
    created = parse_iso(text(_first(children, "createdAt")))
    if created is None:
        return Rejected("comment", key, "unreadable date")
    thread = _first(children, "thread")
    parent = _first(children, "parent")
    author = children_by_name(_first(children, "author") or element.makeelement("author", {}))
    # A deleted post becomes a tombstone (its replies stay readable); its text is kept
    # in the database but no longer shown. Disqus does not say when it was deleted.
    status = "spam" if _flag(children, "isSpam") else "approved"
    username = text(_first(author, "username"))
    anonymous = text(_first(author, "isAnonymous")).lower() == "true"
    return CommentRecord(
        key=key,
        thread_key=f"disqus:{forum}:thread:{thread.get(DSQ_ID) if thread is not None else ''}",
        parent_key=(
            f"disqus:{forum}:post:{parent.get(DSQ_ID)}"
            if parent is not None and parent.get(DSQ_ID)
            else ""
        ),
        created_at=created,
        author_name=" ".join(text(_first(author, "name")).split()) or username or "Anonymous",
        author_email=text(_first(author, "email")),
        author_id="" if anonymous or not username else f"user:{username}",
        ip=text(_first(children, "ipAddress")),
        body_html=text(_first(children, "message")),
        status=status,
        deleted_at=created if _flag(children, "isDeleted") else None,
    )


def _records(file, progress: ReadProgress) -> Iterator[Record]:
    forum = ""
    for name, element in iter_elements(file, {"category", "thread", "post"}, progress):
        if name == "category":
            forum = forum or text(_first(children_by_name(element), "forum"))
        elif name == "thread":
            forum = forum or text(_first(children_by_name(element), "forum"))
            yield _thread(element, forum)
        else:
            yield _post(element, forum)


def parse(path, progress: ReadProgress) -> Iterator[Record]:
    with open_counted(path, progress) as file:
        yield from _records(file, progress)
