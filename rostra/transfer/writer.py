"""The one writer every importer feeds.

Records arrive in file order and are written in batches: within a batch, articles
first, then threads, then comments, so every reference points at something already
saved. Each source record is remembered (`ImportedObject`) with a fingerprint, which
makes a second run of the same file update what changed and create nothing twice.
The whole import is one transaction: a file that fails half-way leaves nothing behind,
and a dry run is a real run rolled back at the end.
"""

import hashlib
import json
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from rostra.discussion import services as discussion
from rostra.discussion.identity import hash_ip
from rostra.discussion.models import CommentStatus, DiscussionSettings, Thread, Vote
from rostra.discussion.text import clean_html, html_to_source, normalise, render_markdown
from rostra.publishing import services as publishing
from rostra.publishing.models import ArticlePage
from rostra.transfer.models import ImportedObject
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

BATCH_RECORDS = 2000
# What the writer keeps in memory of records already written, so that references are
# resolved without a query; older entries are looked up again in the database. This
# keeps memory bounded whatever the size of the file.
REMEMBERED_COMMENTS = 100_000
REMEMBERED_OTHERS = 20_000
LOOKUP_CHUNK = 500
LOOPS_LISTED = 10  # comment keys named in the summary's warning about reply loops
KINDS = ("article", "thread", "comment", "vote", "subscription", "donation")
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
        on_progress: Callable[[int], None] | None = None,
        progress_every: int = 1000,
    ):
        self.summary = Summary(source=source, dry_run=dry_run)
        self.on_progress = on_progress
        self.progress_every = progress_every
        self.batch: dict[str, list] = defaultdict(list)
        self.batched = 0
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
        with transaction.atomic():
            settings_row = DiscussionSettings.objects.first()
            if settings_row:
                self.max_depth = max(1, settings_row.max_depth)
                self.max_length = settings_row.max_length
            for record in records:
                self.summary.records += 1
                self.add(record)
                if self.on_progress and self.summary.records % self.progress_every == 0:
                    self.on_progress(self.summary.records)
            self.flush()
            self.finish()
            if self.summary.dry_run:
                transaction.set_rollback(True)
        if self.on_progress:
            self.on_progress(self.summary.records)
        return self.summary

    def add(self, record: Record) -> None:
        if isinstance(record, Rejected):
            self.summary.count(record.kind, "rejected", record.reason)
            return
        if isinstance(record, Skipped):
            self.summary.count(record.kind, "skipped", record.reason)
            return
        if isinstance(record, Note):
            self.notes[record.message] += 1
            return
        kind = {
            ArticleRecord: "article",
            ThreadRecord: "thread",
            CommentRecord: "comment",
            VoteRecord: "vote",
            SubscriptionRecord: "subscription",
            DonationRecord: "donation",
        }[type(record)]
        self.batch[kind].append(record)
        self.batched += 1
        if self.batched >= BATCH_RECORDS:
            self.flush()

    def flush(self) -> None:
        batch, self.batch, self.batched = self.batch, defaultdict(list), 0
        self.write_articles(batch["article"])
        self.write_threads(batch["thread"])
        self.write_comments(batch["comment"])
        self.write_votes(batch["vote"])
        self.write_subscriptions(batch["subscription"])
        self.write_donations(batch["donation"])

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

    def write_articles(self, records: list[ArticleRecord]) -> None:
        if not records:
            return
        records = self._last_of_each_key(records, "article")
        known = self.known("article", [r.key for r in records])
        new_by_section: dict[str, list[tuple[ArticleRecord, str]]] = defaultdict(list)
        for record in records:
            fp = fingerprint(record)
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

    def _last_of_each_key(self, records: list, kind: str) -> list:
        unique = {}
        for record in records:
            if record.key in unique:
                self.summary.count(kind, "skipped", "appears twice in the file; last one kept")
            unique[record.key] = record
        return list(unique.values())

    # Threads ----------------------------------------------------------------------

    def article_for_url(self, url: str) -> int | None:
        """An article this site already has at `url` (imported from there, or its own)."""
        if self.article_by_url is None:
            self.article_by_url = dict(
                ImportedObject.objects.filter(kind="article")
                .exclude(url="")
                .values_list("url", "object_id")
            )
            for page in ArticlePage.objects.live().only("pk", "url_path"):
                page_url = page.get_full_url()
                if page_url:
                    self.article_by_url.setdefault(normalise_url(page_url), page.pk)
        return self.article_by_url.get(normalise_url(url)) if url else None

    def write_threads(self, records: list[ThreadRecord]) -> None:
        if not records:
            return
        records = self._last_of_each_key(records, "thread")
        known = self.known("thread", [r.key for r in records])
        self._load_ids("article", self.article_ids, [r.article_key for r in records])
        remembered = []
        for record in records:
            fp = fingerprint(record)
            if record.key in known:
                thread_id, old_fp = known[record.key]
                self.thread_ids[record.key] = thread_id
                if old_fp == fp:
                    self.summary.count("thread", "skipped", "unchanged since the last import")
                else:
                    Thread.objects.filter(pk=thread_id).update(
                        is_closed=record.is_closed, title=record.title[:255]
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
            if article_id is not None:
                thread, created = Thread.objects.get_or_create(
                    key=f"article:{article_id}",
                    defaults={"article_id": article_id, "title": record.title[:255]},
                )
            else:
                embed_key = (normalise_url(record.url) or record.key)[:255]
                thread, created = Thread.objects.get_or_create(
                    key=embed_key,
                    defaults={"title": record.title[:255], "url": record.url[:500]},
                )
            if record.is_closed and not thread.is_closed:
                Thread.objects.filter(pk=thread.pk).update(is_closed=True)
            self.thread_ids[record.key] = thread.pk
            remembered.append((record.key, thread.pk, fp, normalise_url(record.url)))
            self.summary.count(
                "thread",
                "created" if created else "updated",
                "" if created else "joined an existing thread at the same address",
            )
        self.remember("thread", remembered)

    # Comments ---------------------------------------------------------------------

    def write_comments(self, records: list[CommentRecord]) -> None:
        if not records:
            return
        records = self._last_of_each_key(records, "comment")
        known = self.known("comment", [r.key for r in records])
        parent_keys = [
            r.parent_key
            for r in records
            if r.parent_key and r.parent_key not in self.comment_places
        ]
        self._load_places(parent_keys)
        self._load_ids("thread", self.thread_ids, [r.thread_key for r in records])

        fresh: list[tuple[CommentRecord, str, discussion.ImportedComment]] = []
        index_of: dict[str, int] = {}
        for record in records:
            thread_id = self.thread_ids.get(record.thread_key)
            if thread_id is None:
                self.summary.count("comment", "rejected", "its thread is not in the file")
                continue
            problem = self._problem(record)
            if problem:
                self.summary.count("comment", "rejected", problem)
                continue
            fp = fingerprint(record)
            item = self._imported_comment(record, thread_id)
            if record.key in known:
                comment_id, old_fp = known[record.key]
                if old_fp == fp:
                    self.summary.count("comment", "skipped", "unchanged since the last import")
                else:
                    discussion.comment_update_imported(comment_id, item)
                    self.refresh("comment", record.key, fp)
                    self.summary.count("comment", "updated")
                if record.key not in self.comment_places:
                    self._load_places([record.key])
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

        # Replies that came before their parent: the parent may be in this batch.
        moved = False
        for record, _, _ in fresh:
            orphans = self.waiting_for_parent.pop(record.key, None)
            for orphan_id, orphan_key in orphans or ():
                parent_id = self.comment_places[record.key].id
                if discussion.comment_reparent(orphan_id, parent_id, max_depth=self.max_depth):
                    moved = True
                else:
                    self.looped.append(orphan_key)
        if moved:
            # Moved comments and their replies have new paths: read them again when needed.
            self.comment_places.clear()

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

    def _imported_comment(self, record: CommentRecord, thread_id: int):
        source, html = self._body(record)
        (name, email, website), changed = discussion.imported_guest_details(
            record.author_name, record.author_email, record.author_website
        )
        for what in changed:
            self.notes[DETAIL_NOTES[what]] += 1
        source_name = record.key.split(":", 1)[0]
        identity = record.author_id or record.author_email or record.author_name
        return discussion.ImportedComment(
            thread_id=thread_id,
            author_key=record.author_key or author_key(source_name, identity),
            author_name=name,
            author_email=email,
            author_website=website,
            ip_hash=record.ip_hash or hash_ip(record.ip),
            body_source=source,
            body_html=html,
            status=record.status,
            created_at=record.created_at,
            edited_at=record.edited_at,
            deleted_at=record.deleted_at,
            upvotes=max(0, record.upvotes),
            downvotes=max(0, record.downvotes),
        )

    def _body(self, record: CommentRecord) -> tuple[str, str]:
        """(source, html) as the form would store them: control characters dropped, HTML
        reduced to the safe subset, and no longer than the site's comment limit."""
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
            self.notes[
                f"comment longer than the {self.max_length:,}-character limit: shortened to it"
            ] += 1
            source = source[: self.max_length].rstrip()
            html = render_markdown(source)
        return source, html

    # Votes, subscriptions, donations (Rostra archives) ------------------------------

    def write_votes(self, records: list[VoteRecord]) -> None:
        if not records:
            return
        self._load_places([r.comment_key for r in records])
        wanted = []
        for record in records:
            place = self.comment_places.get(record.comment_key)
            if place is None:
                self.summary.count("vote", "rejected", "its comment is not in the file")
            elif record.value not in (1, -1):
                self.summary.count("vote", "rejected", f"value {record.value} is not ±1")
            else:
                wanted.append((place.id, record.voter_key[:80], record.value))
        existing = set(
            Vote.objects.filter(comment_id__in={w[0] for w in wanted}).values_list(
                "comment_id", "voter_key"
            )
        )
        new = [
            Vote(comment_id=c, voter_key=k, value=v) for c, k, v in wanted if (c, k) not in existing
        ]
        Vote.objects.bulk_create(new)
        self.summary.count("vote", "created", n=len(new))
        if len(wanted) > len(new):
            self.summary.count("vote", "skipped", "already recorded", n=len(wanted) - len(new))

    def write_subscriptions(self, records: list[SubscriptionRecord]) -> None:
        from rostra.notifications.services import subscription_restore

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

    def write_donations(self, records: list[DonationRecord]) -> None:
        from rostra.funding.services import donation_restore

        for record in records:
            outcome, reason = donation_restore(record.data)
            self.summary.count("donation", outcome, reason)
