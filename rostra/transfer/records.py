"""The records every source parser produces and the one writer consumes.

A parser turns an export file into a stream of these, in file order. Keys are the
source's own identifiers, prefixed by the parser so that two systems' ids never meet
(`wordpress:https://example.org:comment:7`). References between records (a comment's
thread, a reply's parent) use those keys; the writer resolves them.
"""

import types
import typing
from dataclasses import dataclass, field, fields
from datetime import datetime


class ImportFileError(Exception):
    """The file cannot be imported; the message says where and why."""


@dataclass
class ArticleRecord:
    key: str
    title: str
    slug: str
    section: str  # section title; created when missing
    published_at: datetime | None
    live: bool = True
    url: str = ""  # where the article lived before, to match comment threads by address
    byline: str = ""
    standfirst: str = ""
    body: list[dict] = field(default_factory=list)  # StreamField blocks: {"type", "value"}
    tags: list[str] = field(default_factory=list)
    comments_closed: bool = False


@dataclass
class ThreadRecord:
    """A discussion. With `article_key` it belongs to an imported article; otherwise it
    is matched to an existing article by `url`, or becomes an embed thread."""

    key: str
    url: str = ""
    title: str = ""
    article_key: str = ""
    is_closed: bool = False


@dataclass
class CommentRecord:
    key: str
    thread_key: str
    created_at: datetime
    author_name: str
    parent_key: str = ""
    author_email: str = ""
    author_website: str = ""
    author_id: str = ""  # the source's user id, if any: one author key per person
    author_key: str = ""  # Rostra's own key (archives); else derived from the above
    ip: str = ""  # clear-text address from the file; the writer keeps only its hash
    ip_hash: str = ""  # already hashed by the source (or by Rostra in an archive)
    body_html: str = ""  # exactly one of html / markdown / text is set
    body_markdown: str = ""
    body_text: str = ""
    status: str = "approved"  # discussion.models.CommentStatus values
    deleted_at: datetime | None = None
    edited_at: datetime | None = None
    upvotes: int = 0
    downvotes: int = 0


@dataclass
class VoteRecord:
    comment_key: str
    voter_key: str
    value: int


@dataclass
class SubscriptionRecord:
    key: str
    email: str
    kind: str  # notifications.models.SubscriptionKind values
    thread_key: str = ""
    author_key: str = ""
    frequency: str = "immediate"
    confirmed_at: datetime | None = None
    unsubscribed_at: datetime | None = None


@dataclass
class DonationRecord:
    key: str
    data: dict  # a Rostra archive's donation row, re-created as it was


@dataclass
class ReportRecord:
    comment_key: str
    data: dict  # a Rostra archive's report row (rostra.transfer.reports_section)


@dataclass
class ModerationRecord:
    key: str
    section: str  # thread, pick, settings, ban, decision, spamfilter_model
    data: dict  # as transfer.moderation_archive wrote it


@dataclass
class Rejected:
    """A record the parser could read but not use; counted with its reason."""

    kind: str
    key: str
    reason: str


@dataclass
class Skipped:
    """Something in the file that is deliberately not imported (menus, attachments)."""

    kind: str
    key: str
    reason: str


@dataclass
class Note:
    """Something the operator should know about the import (counted, in the summary)."""

    message: str


Record = (
    ArticleRecord
    | ThreadRecord
    | CommentRecord
    | VoteRecord
    | SubscriptionRecord
    | DonationRecord
    | ModerationRecord
    | ReportRecord
    | Rejected
    | Skipped
    | Note
)


def _check_for(hint) -> typing.Callable[[object], bool]:
    """A test that a value fits the annotation `hint` (the few kinds records use)."""
    if isinstance(hint, types.UnionType):
        tests = [_check_for(arg) for arg in typing.get_args(hint)]
        return lambda value: any(test(value) for test in tests)
    if hint is type(None):
        return lambda value: value is None
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        test = _check_for(item)
        return lambda value: isinstance(value, list) and all(test(v) for v in value)
    if hint is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    return lambda value: isinstance(value, hint)


_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
          dict: "an object", list: "a list", datetime: "a date", type(None): "null"}  # fmt: skip


def _name(hint) -> str:
    if isinstance(hint, types.UnionType):
        return " or ".join(_name(arg) for arg in typing.get_args(hint))
    if typing.get_origin(hint) is list:
        return f"a list of {_name(typing.get_args(hint)[0])}"
    return _NAMES.get(hint, getattr(hint, "__name__", str(hint)))


_CHECKS: dict[type, list[tuple[str, typing.Callable, str]]] = {}


def conform(record: Record) -> Record:
    """The record with the types its annotations promise, or ValueError naming the
    field: parsers build records from whatever a file holds. NUL characters, which no
    database text column can hold everywhere, are dropped from text fields."""
    checks = _CHECKS.get(type(record))
    if checks is None:
        hints = typing.get_type_hints(type(record))
        checks = _CHECKS[type(record)] = [
            (f.name, _check_for(hints[f.name]), _name(hints[f.name])) for f in fields(record)
        ]
    for name, test, expected in checks:
        value = getattr(record, name)
        if not test(value):
            raise ValueError(f"its {name} is {_name(type(value))}, not {expected}")
        if isinstance(value, str) and "\x00" in value:
            setattr(record, name, value.replace("\x00", ""))
    if isinstance(record, ArticleRecord):
        for block in record.body:
            if not isinstance(block.get("type"), str) or "value" not in block:
                raise ValueError("its body has a block without a type or a value")
    return record
