"""Rostra's own archive (`rostra export`): JSON lines, one object per line with a
"type". Re-importing an archive into an empty site rebuilds the same content."""

from collections.abc import Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from rostra.transfer.records import (
    ArticleRecord,
    CommentRecord,
    DonationRecord,
    ImportFileError,
    ModerationRecord,
    Record,
    SubscriptionRecord,
    ThreadRecord,
    VoteRecord,
    conform,
)
from rostra.transfer.reports_section import report_record
from rostra.transfer.sources.base import (
    ReadProgress,
    json_lines,
    open_counted,
    parse_iso,
    reading,
)

NAME = "rostra"
LABEL = gettext_lazy("Rostra archive (JSON lines)")  # the import form's choice
FORMAT = "rostra-archive"
VERSION = 1


def detect(head: bytes) -> bool:
    return f'"format": "{FORMAT}"'.encode() in head.split(b"\n", 1)[0]


def _dates(data: dict, *names: str) -> dict:
    return {name: parse_iso(data.get(name) or "") for name in names}


def _record(data: dict) -> Record:
    kind = data.pop("type", None)
    if kind == "article":
        return ArticleRecord(**{**data, **_dates(data, "published_at")})
    if kind == "thread":
        return ThreadRecord(**data)
    if kind == "comment":
        return CommentRecord(**{**data, **_dates(data, "created_at", "edited_at", "deleted_at")})
    if kind == "vote":
        return VoteRecord(**data)
    if kind == "subscription":
        return SubscriptionRecord(**{**data, **_dates(data, "confirmed_at", "unsubscribed_at")})
    if kind == "donation":
        return DonationRecord(key=data["key"], data=data["data"])
    if kind == "moderation":
        return ModerationRecord(key=data["key"], section=data["section"], data=data["data"])
    if kind == "report":
        return report_record(data)
    raise ValueError(f"unknown record type {kind!r}")


def parse(path, progress: ReadProgress) -> Iterator[Record]:
    with open_counted(path, progress) as file:
        for number, data in json_lines(file, progress):
            if number == 1:
                if data.get("format") != FORMAT or data.get("version") != VERSION:
                    raise ImportFileError(
                        _(
                            "Not a version %(version)s Rostra archive (first line: "
                            "%(found_format)r version %(found_version)r)."
                        )
                        % {
                            "version": VERSION,
                            "found_format": data.get("format"),
                            "found_version": data.get("version"),
                        }
                    )
                continue
            with reading(gettext_noop("Line %(number)s of the archive"), number=number):
                yield conform(_record(data))
