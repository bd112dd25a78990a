"""The Writer: drives an import's two passes (the check, then the writing in short
committed batches) and reports its progress."""

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction

from rostra.discussion import selectors as discussion_selectors
from rostra.discussion import services as discussion
from rostra.transfer.pacing import Pacer
from rostra.transfer.records import Record
from rostra.transfer.reports_section import write_reports
from rostra.transfer.spool import Spool
from rostra.transfer.writer.archive import write_donations, write_subscriptions, write_votes
from rostra.transfer.writer.articles import ArticleWriter
from rostra.transfer.writer.batches import chunks, kind_of, paced_batches
from rostra.transfer.writer.checking import Prepared, prepare
from rostra.transfer.writer.comments import CommentWriter
from rostra.transfer.writer.memory import Memory
from rostra.transfer.writer.moderation import write_moderation
from rostra.transfer.writer.progress import WRITING, Progress, WriteStopped
from rostra.transfer.writer.summary import Summary
from rostra.transfer.writer.threads import write_threads

DRY_RUN_BATCH = 2000  # records per step of a dry run (one transaction, rolled back)
CHECK_PROGRESS_EVERY = 1000  # records between progress reports while checking


class Writer:
    def __init__(
        self,
        source: str,
        *,
        dry_run: bool = False,
        on_progress: Callable[[Progress], None] | None = None,
        batch_size: int | None = None,
    ):
        """`batch_size` fixes the records per batch; by default batches are sized by
        the time they take (see `pacing`)."""
        self.summary = Summary(source=source, dry_run=dry_run)
        self.progress = Progress()
        self.on_progress = on_progress
        self.batch_size = batch_size
        self.notes: Counter = Counter()
        self.memory = Memory()
        self.articles = ArticleWriter(self.memory, self.summary)
        self.comments = CommentWriter(self.memory, self.summary, self.notes)
        self.max_length = discussion.Policy.max_length

    def run(self, records: Iterable[Record]) -> Summary:
        policy = discussion_selectors.site_policy()
        self.comments.max_depth, self.max_length = policy.max_depth, policy.max_length
        with Spool() as spool:
            self.check(records, spool)
            self.write(spool)
        self.finish()
        return self.summary

    def check(self, records: Iterable[Record], spool: Spool) -> None:
        """Read every record and keep it prepared; write nothing."""
        for record in records:
            self.progress.records += 1
            prepared = prepare(record, self.summary, self.notes, self.max_length)
            if prepared is not None:
                spool.add(prepared)
            if self.progress.records % CHECK_PROGRESS_EVERY == 0:
                self.report()
        self.summary.records = self.progress.records
        self.progress.to_write = spool.count
        self.report()

    def write(self, spool: Spool) -> None:
        self.progress.phase = WRITING
        if self.summary.dry_run:
            with transaction.atomic():
                for batch in chunks(spool, DRY_RUN_BATCH):
                    self.flush(batch)
                transaction.set_rollback(True)
            return
        pacer = Pacer(self.batch_size)
        for batch in paced_batches(spool, pacer):
            self.write_batch(batch, pacer)

    def write_batch(self, batch: list[Prepared], pacer: Pacer) -> None:
        """One short transaction; progress is reported once it is committed."""
        self.articles.read_ahead(batch)
        pacer.wait_turn()
        started = time.monotonic()
        try:
            with transaction.atomic():
                spent = self.flush(batch)
        except Exception as error:
            raise WriteStopped(self.progress) from error
        pacer.committed(time.monotonic() - started, spent)
        self.progress.written += len(batch)
        self.report()

    def report(self) -> None:
        if self.on_progress:
            self.on_progress(self.progress)

    def flush(self, batch: list[Prepared]) -> dict[str, tuple[int, float]]:
        """Write a batch; returns, by kind, how many records took how many seconds."""
        by_kind: dict[str, list[Prepared]] = defaultdict(list)
        for prepared in batch:
            by_kind[kind_of(prepared)].append(prepared)
        memory, summary = self.memory, self.summary
        writers = {
            "article": self.articles.write,
            "thread": lambda items: write_threads(items, memory, summary, self.articles),
            "comment": self.comments.write,
            "vote": lambda items: write_votes(items, memory, summary),
            "subscription": lambda items: write_subscriptions(items, memory, summary),
            "donation": lambda items: write_donations(items, memory, summary),
            "moderation": lambda items: write_moderation(items, memory, summary),
            "report": lambda items: write_reports(items, memory, summary),
        }
        spent = {}
        for kind, write in writers.items():  # in this order: references point back
            if by_kind[kind]:
                started = time.monotonic()
                write(by_kind[kind])
                spent[kind] = (len(by_kind[kind]), time.monotonic() - started)
        return spent

    def finish(self) -> None:
        for message, n in self.notes.most_common():
            self.summary.warnings.append(f"{n} × {message}")
        self.summary.warnings.extend(self.comments.warnings())
