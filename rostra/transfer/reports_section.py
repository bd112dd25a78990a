"""Readers' reports in a Rostra archive (`rostra export --private` only: they name
their reporters, and a notice carries an e-mail address), and their restoring.

A line `{"type": "report", "comment_key": ..., "data": {...}}` per report, after the
comments; restored through discussion's `report_restore`."""

from collections.abc import Iterator

from rostra.discussion import selectors
from rostra.discussion import services as discussion
from rostra.transfer.records import ReportRecord
from rostra.transfer.sources.base import parse_iso
from rostra.transfer.writer.checking import Prepared
from rostra.transfer.writer.memory import Memory
from rostra.transfer.writer.summary import Summary

FIELDS = ("reporter_key", "reason", "note", "explanation", "reporter_email")
CHUNK = 2000


def report_lines(comment_key) -> Iterator[dict]:
    """Each report as an archive line's object; `comment_key(pk)` names its comment."""
    for report in selectors.all_reports().iterator(chunk_size=CHUNK):
        data = {name: getattr(report, name) for name in FIELDS}
        data["created_at"] = report.created_at.isoformat()
        data["resolved"] = report.resolved_by_id is not None
        yield {"type": "report", "comment_key": comment_key(report.comment_id), "data": data}


def report_record(data: dict) -> ReportRecord:
    return ReportRecord(comment_key=data["comment_key"], data=data["data"])


def write_reports(batch: list[Prepared], memory: Memory, summary: Summary) -> None:
    records: list[ReportRecord] = [p.record for p in batch]
    memory.load_places([r.comment_key for r in records])
    for record in records:
        place = memory.comment_places.get(record.comment_key)
        created_at = parse_iso(str(record.data.get("created_at") or ""))
        if place is None:
            summary.count("report", "rejected", "its comment is not in the file")
            continue
        if created_at is None:
            summary.count("report", "rejected", "no date")
            continue
        try:
            created = discussion.report_restore(
                comment_id=place.id,
                reporter_key=str(record.data.get("reporter_key") or ""),
                reason=str(record.data.get("reason") or ""),
                note=str(record.data.get("note") or ""),
                explanation=str(record.data.get("explanation") or ""),
                email=str(record.data.get("reporter_email") or ""),
                created_at=created_at,
                resolved=bool(record.data.get("resolved")),
            )
        except discussion.DiscussionError as error:
            summary.count("report", "rejected", error.message)
            continue
        if created:
            summary.count("report", "created")
        else:
            summary.count("report", "skipped", "already reported")
