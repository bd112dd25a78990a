"""The check, the first pass of an import: every record is read, checked and prepared
for writing (fingerprint, comment bodies and commenter details as the comment form
stores them), and nothing is written. Whatever can find fault with the file does so
here, before anything has been saved."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rostra.core.addresses import hash_ip
from rostra.discussion import services as discussion
from rostra.discussion.models import CommentStatus
from rostra.discussion.text import clean_html, html_to_source, normalise, render_markdown
from rostra.transfer.records import (
    ArticleRecord,
    CommentRecord,
    ImportFileError,
    Note,
    Record,
    Rejected,
    Skipped,
    ThreadRecord,
)
from rostra.transfer.writer.summary import Summary

FINGERPRINTED = (ArticleRecord, ThreadRecord, CommentRecord)
COMMENT_STATUSES = set(CommentStatus.values)
# Summary notes for commenter details the form's cleaning changed (by field).
DETAIL_NOTES = {
    "name-cut": f"commenter name shortened to the form's {discussion.MAX_NAME_LENGTH} characters",
    "name": "commenter name unusable: replaced by “Anonymous”",
    "email": "commenter e-mail address dropped: not a valid address",
    "website": "commenter website dropped: not an http(s) address",
}


@dataclass
class Prepared:
    """A checked record, ready to write: its fingerprint and, for a comment, its body
    (source, html), commenter details (name, e-mail, website) and summary notes."""

    record: object
    fingerprint: str = ""
    body: tuple[str, str] = ("", "")
    details: tuple[str, str, str] = ("", "", "")
    notes: tuple[str, ...] = ()


def fingerprint(record) -> str:
    data = dict(vars(record))  # records hold plain values: no deep copy needed
    if isinstance(record, ArticleRecord):
        # Block ids are minted per parse; only the content counts.
        data["body"] = [{"type": b["type"], "value": b["value"]} for b in record.body]
    encoded = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


def comment_problem(record: CommentRecord) -> str:
    """Why the comment cannot be imported, or "" when it can."""
    if record.status not in COMMENT_STATUSES:
        return f"unknown status {record.status!r}"
    return ""


def prepare(record: Record, summary: Summary, notes: Counter, max_length: int) -> Prepared | None:
    """The record ready to write, or None when it only counts in the summary (or, for
    a note, in `notes`)."""
    if isinstance(record, Rejected):
        summary.count(record.kind, "rejected", record.reason)
        return None
    if isinstance(record, Skipped):
        summary.count(record.kind, "skipped", record.reason)
        return None
    if isinstance(record, Note):
        notes[record.message] += 1
        return None
    prepared = Prepared(record, fingerprint(record) if isinstance(record, FINGERPRINTED) else "")
    if isinstance(record, CommentRecord) and not comment_problem(record):
        body_notes: list[str] = []
        prepared.body = comment_body(record, body_notes, max_length)
        prepared.details, changed = discussion.imported_guest_details(
            record.author_name, record.author_email, record.author_website
        )
        prepared.notes = (*body_notes, *(DETAIL_NOTES[what] for what in changed))
        # The spool on disk keeps only the address's keyed hash, as the database will.
        record.ip_hash = record.ip_hash or hash_ip(record.ip)
        record.ip = ""
    return prepared


def comment_body(record: CommentRecord, notes: list[str], max_length: int) -> tuple[str, str]:
    """(source, html) as the form would store them: control characters dropped, HTML
    reduced to the safe subset, and no longer than the site's comment limit (noted
    in `notes`)."""
    markdown = normalise(record.body_markdown)
    if markdown and record.body_html:  # a Rostra archive carries both
        source, html = markdown, clean_html(normalise(record.body_html))
    elif markdown:
        source, html = markdown, render_markdown(markdown)
    elif record.body_html:
        raw = normalise(record.body_html)
        try:
            source, html = html_to_source(raw), clean_html(raw)
        except RecursionError:
            raise ImportFileError(
                _("Comment %(key)s nests its HTML deeper than any comment does.")
                % {"key": record.key}
            ) from None
    else:
        source = normalise(record.body_text)
        html = render_markdown(source)
    if len(source) > max_length:
        notes.append(f"comment longer than the {max_length:,}-character limit: shortened to it")
        source = source[:max_length].rstrip()
        html = render_markdown(source)
    return source, html
