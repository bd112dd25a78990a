"""The one writer every importer feeds.

An import reads the file twice over, in two passes:

1. The check: every record is read, checked and prepared (fingerprint, comment bodies
   and commenter details as the comment form stores them) into a spool, and nothing is
   written. A file that fails anywhere fails here, and nothing has been saved.
2. The writing: the prepared records are written in short batches, each its own
   transaction holding the database for about 50 ms (see `pacing`), so that readers
   posting and voting meanwhile wait a moment at most. Within a batch, articles first,
   then threads, then comments, so every reference points at something already saved.

Each source record is remembered (`ImportedObject`) with a fingerprint, in the same
transaction as what it became, which makes a second run of the same file update what
changed and create nothing twice; an import stopped part-way (a killed process) is
finished by running it again. A dry run is a real run in one transaction rolled back
at the end.
"""

import hashlib
import json
import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from rostra.core.addresses import hash_ip
from rostra.discussion import selectors as discussion_selectors
from rostra.discussion import services as discussion
from rostra.discussion.models import CommentStatus
from rostra.discussion.text import clean_html, html_to_source, normalise, render_markdown
from rostra.publishing import services as publishing
from rostra.publishing.models import ArticlePage
from rostra.transfer.models import ImportedObject
from rostra.transfer.pacing import Pacer
from rostra.transfer.records import (
    ArticleRecord,
    CommentRecord,
    DonationRecord,
    ImportFileError,
    Note,
    Record,
    Rejected,
    Skipped,
    SubscriptionRecord,
    ThreadRecord,
    VoteRecord,
)
from rostra.transfer.sources.base import author_key
from rostra.transfer.spool import Spool

# What the writer keeps in memory of records already written, so that references are
# resolved without a query; older entries are looked up again in the database. This
# keeps memory bounded whatever the size of the file.
REMEMBERED_COMMENTS = 100_000
REMEMBERED_OTHERS = 20_000
LOOKUP_CHUNK = 500
LOOPS_LISTED = 10  # comment keys named in the summary's warning about reply loops
KINDS = ("article", "thread", "comment", "vote", "subscription", "donation")
KIND_OF = {
    ArticleRecord: "article",
    ThreadRecord: "thread",
    CommentRecord: "comment",
    VoteRecord: "vote",
    SubscriptionRecord: "subscription",
    DonationRecord: "donation",
}
FINGERPRINTED = (ArticleRecord, ThreadRecord, CommentRecord)
DRY_RUN_BATCH = 2000  # records per step of a dry run (one transaction, rolled back)
CHECK_PROGRESS_EVERY = 1000  # records between progress reports while checking
CHECKING, WRITING = "checking", "writing"
COMMENT_STATUSES = set(CommentStatus.values)
# Summary notes for commenter details the form's cleaning changed (by field).
DETAIL_NOTES = {
    "name-cut": f"commenter name shortened to the form's {discussion.MAX_NAME_LENGTH} characters",
    "name": "commenter name unusable: replaced by “Anonymous”",
    "email": "commenter e-mail address dropped: not a valid address",
    "website": "commenter website dropped: not an http(s) address",
}


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    reasons: Counter = field(default_factory=Counter)  # "skipped: why" / "rejected: why"

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "reasons": dict(self.reasons.most_common()),
        }


@dataclass
class Summary:
    source: str
    dry_run: bool = False
    records: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    warnings: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, reason: str = "", n: int = 1) -> None:
        tally = self.tallies[kind]
        setattr(tally, outcome, getattr(tally, outcome) + n)
        if reason:
            tally.reasons[f"{outcome}: {reason}"] += n

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "records": self.records,
            "kinds": {k: t.as_dict() for k, t in self.tallies.items() if _nonzero(t)},
            "warnings": self.warnings,
        }

    def lines(self) -> list[str]:
        verb = "Would import" if self.dry_run else "Imported"
        out = [f"{verb} from {self.source}: {self.records:,} records read."]
        for kind, tally in self.tallies.items():
            if not _nonzero(tally):
                continue
            out.append(
                f"  {kind + 's':<14} created {tally.created:>7,}  updated {tally.updated:>7,}"
                f"  skipped {tally.skipped:>7,}  rejected {tally.rejected:>7,}"
            )
            out.extend(f"      {n:>7,} × {why}" for why, n in tally.reasons.most_common(12))
        out.extend(f"  note: {warning}" for warning in self.warnings)
        if self.dry_run:
            out.append("Dry run: nothing was saved.")
        return out


def _nonzero(tally: Tally) -> bool:
    return bool(tally.created or tally.updated or tally.skipped or tally.rejected)


@dataclass
class Progress:
    """How far an import has got: the check reads every record of the file, then the
    records to write are written in batches."""

    phase: str = CHECKING
    records: int = 0  # records read so far (all of the file's, once checked)
    to_write: int = 0  # records the check kept for writing
    written: int = 0  # of those, written and committed


class WriteStopped(Exception):
    """Writing stopped part-way (the cause is chained). What was committed stays and is
    consistent; importing the same file again finishes the import."""

    def __init__(self, progress: Progress):
        self.written = progress.written
        self.to_write = progress.to_write
        super().__init__(f"{self.written:,} of {self.to_write:,} records were written")


@dataclass
class Prepared:
    """A checked record, ready to write: its fingerprint and, for a comment, its body
    (source, html), commenter details (name, e-mail, website) and summary notes."""

    record: object
    fingerprint: str = ""
    body: tuple[str, str] = ("", "")
    details: tuple[str, str, str] = ("", "", "")
    notes: tuple[str, ...] = ()


class Recent(OrderedDict):
    """A dict that forgets its oldest entries beyond `limit`."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.limit:
            self.popitem(last=False)


def fingerprint(record) -> str:
    data = dict(vars(record))  # records hold plain values: no deep copy needed
    if isinstance(record, ArticleRecord):
        # Block ids are minted per parse; only the content counts.
        data["body"] = [{"type": b["type"], "value": b["value"]} for b in record.body]
    encoded = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()


def normalise_url(url: str) -> str:
    """Addresses compared without scheme, 'www.', default index or trailing slash."""
    parts = urlsplit((url or "").strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    for index in ("/index.html", "/index.php"):
        path = path.removesuffix(index)
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"[:500]


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
        # Source key → Rostra id of what this run has met, so later records can refer to it.
        self.article_ids: dict[str, int] = Recent(REMEMBERED_OTHERS)
        self.thread_ids: dict[str, int] = Recent(REMEMBERED_OTHERS)
        self.comment_places: dict[str, discussion.TreePlace] = Recent(REMEMBERED_COMMENTS)
        # Parent key → (id, key) of the replies that came before it in the file.
        self.waiting_for_parent: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.looped: list[str] = []  # keys of comments whose parent chain loops
        self.notes: Counter = Counter()
        self.article_by_url: dict[str, int] | None = None
        self.home = None
        self.sections: dict[str, object] = {}
        self.max_depth = 5
        self.max_length = discussion.Policy.max_length

    # Driving ----------------------------------------------------------------------

    def run(self, records: Iterable[Record]) -> Summary:
        policy = discussion_selectors.site_policy()
        self.max_depth, self.max_length = policy.max_depth, policy.max_length
        with Spool() as spool:
            self.check(records, spool)
            self.write(spool)
        self.finish()
        return self.summary

    def check(self, records: Iterable[Record], spool: Spool) -> None:
        """Read every record and keep it prepared; write nothing."""
        for record in records:
            self.progress.records += 1
            prepared = self.prepare(record)
            if prepared is not None:
                spool.add(prepared)
            if self.progress.records % CHECK_PROGRESS_EVERY == 0:
                self.report()
        self.summary.records = self.progress.records
        self.progress.to_write = spool.count
        self.report()

    def prepare(self, record: Record) -> Prepared | None:
        """The record ready to write, or None when it only counts in the summary.
        Everything that can find fault with the file is done here, in the check."""
        if isinstance(record, Rejected):
            self.summary.count(record.kind, "rejected", record.reason)
            return None
        if isinstance(record, Skipped):
            self.summary.count(record.kind, "skipped", record.reason)
            return None
        if isinstance(record, Note):
            self.notes[record.message] += 1
            return None
        prepared = Prepared(
            record, fingerprint(record) if isinstance(record, FINGERPRINTED) else ""
        )
        if isinstance(record, CommentRecord) and not self._problem(record):
            notes: list[str] = []
            prepared.body = self._body(record, notes)
            prepared.details, changed = discussion.imported_guest_details(
                record.author_name, record.author_email, record.author_website
            )
            prepared.notes = (*notes, *(DETAIL_NOTES[what] for what in changed))
            # The spool on disk keeps only the address's keyed hash, as the database will.
            record.ip_hash = record.ip_hash or hash_ip(record.ip)
            record.ip = ""
        return prepared

    def write(self, spool: Spool) -> None:
        self.progress.phase = WRITING
        if self.summary.dry_run:
            with transaction.atomic():
                for batch in _chunks(spool, DRY_RUN_BATCH):
                    self.flush(batch)
                transaction.set_rollback(True)
            return
        pacer = Pacer(self.batch_size)
        batch: list[Prepared] = []
        estimate = 0.0
        for prepared in spool:
            cost = pacer.cost[KIND_OF[type(prepared.record)]]
            if batch and not pacer.fits(len(batch) + 1, estimate + cost):
                self.write_batch(batch, pacer)
                batch, estimate = [], 0.0
            batch.append(prepared)
            estimate += cost
        if batch:
            self.write_batch(batch, pacer)

    def write_batch(self, batch: list[Prepared], pacer: Pacer) -> None:
        """One short transaction; progress is reported once it is committed."""
        self._read_ahead(batch)
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
            by_kind[KIND_OF[type(prepared.record)]].append(prepared)
        writers = {
            "article": self.write_articles,
            "thread": self.write_threads,
            "comment": self.write_comments,
            "vote": self.write_votes,
            "subscription": self.write_subscriptions,
            "donation": self.write_donations,
        }
        spent = {}
        for kind, write in writers.items():  # in this order: references point back
            if by_kind[kind]:
                started = time.monotonic()
                write(by_kind[kind])
                spent[kind] = (len(by_kind[kind]), time.monotonic() - started)
        return spent

    def _read_ahead(self, batch: list[Prepared]) -> None:
        """What may take long, done before the batch's transaction: the addresses of the
        site's articles, read once when a thread is matched by address; the sections new
        articles go to, each created in Wagtail's own short steps."""
        if self.article_by_url is None and any(
            isinstance(p.record, ThreadRecord) and not p.record.article_key for p in batch
        ):
            self._load_article_urls()
        articles = [p.record for p in batch if isinstance(p.record, ArticleRecord)]
        wanted = {r.section for r in articles if r.section not in self.sections}
        if wanted:
            known = self.known("article", [r.key for r in articles])
            for title in dict.fromkeys(r.section for r in articles if r.key not in known):
                if title in wanted:
                    self.section(title)

    def finish(self) -> None:
        for message, n in self.notes.most_common():
            self.summary.warnings.append(f"{n} × {message}")
        if self.looped:
            shown = ", ".join(self.looped[:LOOPS_LISTED])
            more = (
                f" and {len(self.looped) - LOOPS_LISTED:,} more"
                if len(self.looped) > LOOPS_LISTED
                else ""
            )
            self.summary.warnings.append(
                f"{len(self.looped):,} × comment whose chain of parents loops back to itself "
                f"(its own parent, or its reply's reply): kept as top-level ({shown}{more})"
            )
        for parent_key, orphans in self.waiting_for_parent.items():
            n = len(orphans)
            self.summary.warnings.append(
                f"{n} {'reply' if n == 1 else 'replies'} to comment {parent_key}, which is "
                "not in the file: kept as top-level comments"
            )

    # Memory of earlier imports ----------------------------------------------------

    def known(self, kind: str, keys: list[str]) -> dict[str, tuple[int, str]]:
        found = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            for key, object_id, fp in ImportedObject.objects.filter(
                kind=kind, key__in=keys[start : start + LOOKUP_CHUNK]
            ).values_list("key", "object_id", "fingerprint"):
                found[key] = (object_id, fp)
        return found

    def remember(self, kind: str, entries: list[tuple[str, int, str, str]]) -> None:
        ImportedObject.objects.bulk_create(
            [
                ImportedObject(kind=kind, key=key, object_id=oid, fingerprint=fp, url=url)
                for key, oid, fp, url in entries
            ],
            batch_size=LOOKUP_CHUNK,
        )

    def refresh(self, kind: str, key: str, fp: str) -> None:
        ImportedObject.objects.filter(kind=kind, key=key).update(
            fingerprint=fp, imported_at=timezone.now()
        )

    # Articles ---------------------------------------------------------------------

    def section(self, title: str):
        if title not in self.sections:
            if self.home is None:
                self.home = publishing.home_page_ensure()
            self.sections[title] = publishing.section_ensure(self.home, title)
        return self.sections[title]

    def write_articles(self, batch: list[Prepared]) -> None:
        if not batch:
            return
        batch = self._last_of_each_key(batch, "article")
        known = self.known("article", [p.record.key for p in batch])
        new_by_section: dict[str, list[tuple[ArticleRecord, str]]] = defaultdict(list)
        for prepared in batch:
            record, fp = prepared.record, prepared.fingerprint
            if record.key in known:
                object_id, old_fp = known[record.key]
                self.article_ids[record.key] = object_id
                if old_fp == fp:
                    self.summary.count("article", "skipped", "unchanged since the last import")
                    continue
                article = ArticlePage.objects.filter(pk=object_id).first()
                if article is None:
                    self.summary.count("article", "skipped", "deleted in Rostra since import")
                    continue
                publishing.article_update_imported(article, self._imported_article(record))
                self.refresh("article", record.key, fp)
                self.summary.count("article", "updated")
            else:
                new_by_section[record.section].append((record, fp))
        for section_title, items in new_by_section.items():
            ids = publishing.articles_import(
                self.section(section_title), [self._imported_article(r) for r, _ in items]
            )
            remembered = []
            for (record, fp), page_id in zip(items, ids, strict=True):
                self.article_ids[record.key] = page_id
                remembered.append((record.key, page_id, fp, normalise_url(record.url)))
            self.remember("article", remembered)
            self.summary.count("article", "created", n=len(ids))
            if self.article_by_url is not None:
                for _, page_id, _, url in remembered:
                    if url:
                        self.article_by_url[url] = page_id

    def _imported_article(self, record: ArticleRecord) -> publishing.ImportedArticle:
        return publishing.ImportedArticle(
            title=record.title,
            slug=record.slug,
            published_at=record.published_at or datetime(1970, 1, 1, tzinfo=UTC),
            live=record.live,
            byline=record.byline,
            standfirst=record.standfirst,
            body=record.body,
            tags=record.tags,
        )

    def _last_of_each_key(self, batch: list[Prepared], kind: str) -> list[Prepared]:
        unique = {}
        for prepared in batch:
            if prepared.record.key in unique:
                self.summary.count(kind, "skipped", "appears twice in the file; last one kept")
            unique[prepared.record.key] = prepared
        return list(unique.values())

    # Threads ----------------------------------------------------------------------

    def article_for_url(self, url: str) -> int | None:
        """An article this site already has at `url` (imported from there, or its own)."""
        if self.article_by_url is None:
            self._load_article_urls()
        return self.article_by_url.get(normalise_url(url)) if url else None

    def _load_article_urls(self) -> None:
        self.article_by_url = dict(
            ImportedObject.objects.filter(kind="article")
            .exclude(url="")
            .values_list("url", "object_id")
        )
        for page in ArticlePage.objects.live().only("pk", "url_path"):
            page_url = page.get_full_url()
            if page_url:
                self.article_by_url.setdefault(normalise_url(page_url), page.pk)

    def write_threads(self, batch: list[Prepared]) -> None:
        if not batch:
            return
        batch = self._last_of_each_key(batch, "thread")
        known = self.known("thread", [p.record.key for p in batch])
        self._load_ids("article", self.article_ids, [p.record.article_key for p in batch])
        remembered = []
        for prepared in batch:
            record, fp = prepared.record, prepared.fingerprint
            if record.key in known:
                thread_id, old_fp = known[record.key]
                self.thread_ids[record.key] = thread_id
                if old_fp == fp:
                    self.summary.count("thread", "skipped", "unchanged since the last import")
                else:
                    discussion.thread_update_imported(
                        thread_id, title=record.title, is_closed=record.is_closed
                    )
                    self.refresh("thread", record.key, fp)
                    self.summary.count("thread", "updated")
                continue
            article_id = self.article_ids.get(record.article_key) if record.article_key else None
            if record.article_key and article_id is None:
                self.summary.count("thread", "rejected", "its article was not imported")
                continue
            if article_id is None:
                article_id = self.article_for_url(record.url)
            thread_id, created = discussion.thread_import(
                discussion.ImportedThread(
                    title=record.title,
                    article_id=article_id,
                    key=normalise_url(record.url) or record.key,
                    url=record.url,
                    is_closed=record.is_closed,
                )
            )
            self.thread_ids[record.key] = thread_id
            remembered.append((record.key, thread_id, fp, normalise_url(record.url)))
            self.summary.count(
                "thread",
                "created" if created else "updated",
                "" if created else "joined an existing thread at the same address",
            )
        self.remember("thread", remembered)

    # Comments ---------------------------------------------------------------------

    def write_comments(self, batch: list[Prepared]) -> None:
        if not batch:
            return
        batch = self._last_of_each_key(batch, "comment")
        records = [p.record for p in batch]
        known = self.known("comment", [r.key for r in records])
        self._load_places(
            [r.parent_key for r in records if r.parent_key]
            + [r.key for r in records if r.key in known]
        )
        self._load_ids("thread", self.thread_ids, [r.thread_key for r in records])

        fresh: list[tuple[CommentRecord, str, discussion.ImportedComment]] = []
        index_of: dict[str, int] = {}
        placed_parents: list[str] = []  # parents of earlier runs' replies still waiting
        for prepared in batch:
            record, fp = prepared.record, prepared.fingerprint
            thread_id = self.thread_ids.get(record.thread_key)
            if thread_id is None:
                self.summary.count("comment", "rejected", "its thread is not in the file")
                continue
            problem = self._problem(record)
            if problem:
                self.summary.count("comment", "rejected", problem)
                continue
            item = self._imported_comment(prepared, thread_id)
            if record.key in known:
                comment_id, old_fp = known[record.key]
                if old_fp == fp:
                    self.summary.count("comment", "skipped", "unchanged since the last import")
                else:
                    discussion.comment_update_imported(comment_id, item)
                    self.refresh("comment", record.key, fp)
                    self.summary.count("comment", "updated")
                if self._still_waiting(record):
                    placed_parents.append(record.parent_key)
                continue
            parent_key = record.parent_key
            if parent_key in index_of:
                item.parent_index = index_of[parent_key]
            elif parent_key in self.comment_places:
                item.parent_id = self.comment_places[parent_key].id
            index_of[record.key] = len(fresh)
            fresh.append((record, fp, item))

        items = [item for _, _, item in fresh]
        places = discussion.comments_import(items, max_depth=self.max_depth)
        remembered = []
        for (record, fp, item), place in zip(fresh, places, strict=True):
            self.comment_places[record.key] = place
            remembered.append((record.key, place.id, fp, ""))
            if record.parent_key and item.parent_index is None and item.parent_id is None:
                self.waiting_for_parent[record.parent_key].append((place.id, record.key))
        self.remember("comment", remembered)
        self.summary.count("comment", "created", n=len(fresh))

        # Replies that came before their parent: the parent may be in this batch, or
        # already saved (by a run that stopped before it could move the reply).
        parents = [record.key for record, _, _ in fresh]
        self._load_places(placed_parents)
        parents += [key for key in placed_parents if key in self.comment_places]
        moved = False
        for parent_key in dict.fromkeys(parents):
            orphans = self.waiting_for_parent.pop(parent_key, None)
            for orphan_id, orphan_key in orphans or ():
                parent_id = self.comment_places[parent_key].id
                if discussion.comment_reparent(orphan_id, parent_id, max_depth=self.max_depth):
                    moved = True
                else:
                    self.looped.append(orphan_key)
        if moved:
            # Moved comments and their replies have new paths: read them again when needed.
            self.comment_places.clear()

    def _still_waiting(self, record: CommentRecord) -> bool:
        """Whether a reply saved earlier still sits at the top level, waiting for its
        parent: an import stopped before the parent came. It waits again (True when
        its parent is named, so that it is looked for)."""
        place = self.comment_places.get(record.key)
        if not record.parent_key or place is None or place.parent_id is not None:
            return False
        self.waiting_for_parent[record.parent_key].append((place.id, record.key))
        return True

    def _load_ids(self, kind: str, cache: dict, keys: list[str]) -> None:
        missing = [k for k in dict.fromkeys(keys) if k and k not in cache]
        if missing:
            for key, (object_id, _) in self.known(kind, missing).items():
                cache[key] = object_id

    def _load_places(self, keys: list[str]) -> None:
        keys = [k for k in dict.fromkeys(keys) if k not in self.comment_places]
        if not keys:
            return
        ids = {key: object_id for key, (object_id, _) in self.known("comment", keys).items()}
        places = discussion.tree_places(ids.values())
        for key, object_id in ids.items():
            if object_id in places:
                self.comment_places[key] = places[object_id]

    def _problem(self, record: CommentRecord) -> str:
        if record.status not in COMMENT_STATUSES:
            return f"unknown status {record.status!r}"
        return ""

    def _imported_comment(self, prepared: Prepared, thread_id: int):
        record = prepared.record
        source, html = prepared.body
        name, email, website = prepared.details
        self.notes.update(prepared.notes)
        source_name = record.key.split(":", 1)[0]
        identity = record.author_id or record.author_email or record.author_name
        return discussion.ImportedComment(
            thread_id=thread_id,
            author_key=record.author_key or author_key(source_name, identity),
            author_name=name,
            author_email=email,
            author_website=website,
            ip_hash=record.ip_hash,
            body_source=source,
            body_html=html,
            status=record.status,
            created_at=record.created_at,
            edited_at=record.edited_at,
            deleted_at=record.deleted_at,
            upvotes=max(0, record.upvotes),
            downvotes=max(0, record.downvotes),
        )

    def _body(self, record: CommentRecord, notes: list[str]) -> tuple[str, str]:
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
                    f"Comment {record.key} nests its HTML deeper than any comment does."
                ) from None
        else:
            source = normalise(record.body_text)
            html = render_markdown(source)
        if len(source) > self.max_length:
            notes.append(
                f"comment longer than the {self.max_length:,}-character limit: shortened to it"
            )
            source = source[: self.max_length].rstrip()
            html = render_markdown(source)
        return source, html

    # Votes, subscriptions, donations (Rostra archives) ------------------------------

    def write_votes(self, batch: list[Prepared]) -> None:
        records: list[VoteRecord] = [p.record for p in batch]
        self._load_places([r.comment_key for r in records])
        wanted = []
        for record in records:
            place = self.comment_places.get(record.comment_key)
            if place is None:
                self.summary.count("vote", "rejected", "its comment is not in the file")
            elif record.value not in (1, -1):
                self.summary.count("vote", "rejected", f"value {record.value} is not ±1")
            else:
                wanted.append((place.id, record.voter_key, record.value))
        created = discussion.votes_import(wanted)
        self.summary.count("vote", "created", n=created)
        if len(wanted) > created:
            self.summary.count("vote", "skipped", "already recorded", n=len(wanted) - created)

    def write_subscriptions(self, batch: list[Prepared]) -> None:
        from rostra.notifications.services import subscription_restore

        records: list[SubscriptionRecord] = [p.record for p in batch]
        self._load_ids("thread", self.thread_ids, [r.thread_key for r in records])
        for record in records:
            thread_id = self.thread_ids.get(record.thread_key) if record.thread_key else None
            if record.thread_key and thread_id is None:
                self.summary.count("subscription", "rejected", "its thread is not in the file")
                continue
            if "@" not in record.email:
                self.summary.count(
                    "subscription", "rejected", "no e-mail address (archive made without --private)"
                )
                continue
            created = subscription_restore(
                email=record.email,
                kind=record.kind,
                thread_id=thread_id,
                author_key=record.author_key,
                frequency=record.frequency,
                confirmed_at=record.confirmed_at,
                unsubscribed_at=record.unsubscribed_at,
            )
            if created:
                self.summary.count("subscription", "created")
            else:
                self.summary.count("subscription", "skipped", "already subscribed")

    def write_donations(self, batch: list[Prepared]) -> None:
        from rostra.funding.services import donation_restore

        records: list[DonationRecord] = [p.record for p in batch]
        for record in records:
            outcome, reason = donation_restore(record.data)
            self.summary.count("donation", outcome, reason)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
