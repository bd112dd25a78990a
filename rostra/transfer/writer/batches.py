"""How the prepared records are cut into batches: sized by time (see `pacing`) for a
real run, by count for a dry run, with a record named twice in a batch kept once."""

from collections.abc import Iterable, Iterator

from rostra.transfer.pacing import Pacer
from rostra.transfer.records import (
    ArticleRecord,
    CommentRecord,
    DonationRecord,
    ModerationRecord,
    ReportRecord,
    SubscriptionRecord,
    ThreadRecord,
    VoteRecord,
)
from rostra.transfer.writer.checking import Prepared
from rostra.transfer.writer.summary import Summary

KIND_OF = {
    ArticleRecord: "article",
    ThreadRecord: "thread",
    CommentRecord: "comment",
    VoteRecord: "vote",
    SubscriptionRecord: "subscription",
    DonationRecord: "donation",
    ModerationRecord: "moderation",
    ReportRecord: "report",
}


def kind_of(prepared: Prepared) -> str:
    return KIND_OF[type(prepared.record)]


def paced_batches(prepared: Iterable[Prepared], pacer: Pacer) -> Iterator[list[Prepared]]:
    """Batches filled up to what the pacer allows, estimated from each kind's cost. The
    pacer learns from each batch written before the next one is filled."""
    batch: list[Prepared] = []
    estimate = 0.0
    for item in prepared:
        cost = pacer.cost[kind_of(item)]
        if batch and not pacer.fits(len(batch) + 1, estimate + cost):
            yield batch
            batch, estimate = [], 0.0
        batch.append(item)
        estimate += cost
    if batch:
        yield batch


def chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def last_of_each_key(batch: list[Prepared], kind: str, summary: Summary) -> list[Prepared]:
    """The batch with each source key once (its last record), the others counted as
    skipped."""
    unique = {}
    for prepared in batch:
        if prepared.record.key in unique:
            summary.count(kind, "skipped", "appears twice in the file; last one kept")
        unique[prepared.record.key] = prepared
    return list(unique.values())
