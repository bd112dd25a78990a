"""Writing comments, through discussion's import services, into their threads' trees.

A reply may come before its parent in the file, or in a later batch, or (after an
import stopped part-way) in a later run: it is saved at the top level, waits for its
parent and is moved under it once the parent is saved. Replies whose parent never
comes stay at the top level, and the summary says so."""

from collections import Counter, defaultdict

from rostra.discussion import services as discussion
from rostra.transfer.records import CommentRecord
from rostra.transfer.sources.base import author_key
from rostra.transfer.writer.batches import last_of_each_key
from rostra.transfer.writer.checking import Prepared, comment_problem
from rostra.transfer.writer.memory import Memory
from rostra.transfer.writer.summary import Summary

LOOPS_LISTED = 10  # comment keys named in the summary's warning about reply loops


class CommentWriter:
    def __init__(self, memory: Memory, summary: Summary, notes: Counter):
        self.memory = memory
        self.summary = summary
        self.notes = notes  # the summary's notes, counted as comments are written
        self.max_depth = 5
        # Parent key → (id, key) of the replies that came before it in the file.
        self.waiting_for_parent: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.looped: list[str] = []  # keys of comments whose parent chain loops

    def write(self, batch: list[Prepared]) -> None:
        if not batch:
            return
        memory, summary = self.memory, self.summary
        batch = last_of_each_key(batch, "comment", summary)
        records = [p.record for p in batch]
        known = memory.known("comment", [r.key for r in records])
        memory.load_places(
            [r.parent_key for r in records if r.parent_key]
            + [r.key for r in records if r.key in known]
        )
        memory.load_ids("thread", memory.thread_ids, [r.thread_key for r in records])

        fresh: list[tuple[CommentRecord, str, discussion.ImportedComment]] = []
        index_of: dict[str, int] = {}
        placed_parents: list[str] = []  # parents of earlier runs' replies still waiting
        for prepared in batch:
            record, fp = prepared.record, prepared.fingerprint
            thread_id = memory.thread_ids.get(record.thread_key)
            if thread_id is None:
                summary.count("comment", "rejected", "its thread is not in the file")
                continue
            problem = comment_problem(record)
            if problem:
                summary.count("comment", "rejected", problem)
                continue
            item = self._imported_comment(prepared, thread_id)
            if record.key in known:
                comment_id, old_fp = known[record.key]
                if old_fp == fp:
                    summary.count("comment", "skipped", "unchanged since the last import")
                else:
                    discussion.comment_update_imported(comment_id, item)
                    memory.refresh("comment", record.key, fp)
                    summary.count("comment", "updated")
                if self._still_waiting(record):
                    placed_parents.append(record.parent_key)
                continue
            parent_key = record.parent_key
            if parent_key in index_of:
                item.parent_index = index_of[parent_key]
            elif parent_key in memory.comment_places:
                item.parent_id = memory.comment_places[parent_key].id
            index_of[record.key] = len(fresh)
            fresh.append((record, fp, item))

        items = [item for _, _, item in fresh]
        places = discussion.comments_import(items, max_depth=self.max_depth)
        remembered = []
        for (record, fp, item), place in zip(fresh, places, strict=True):
            memory.comment_places[record.key] = place
            remembered.append((record.key, place.id, fp, ""))
            if record.parent_key and item.parent_index is None and item.parent_id is None:
                self.waiting_for_parent[record.parent_key].append((place.id, record.key))
        memory.remember("comment", remembered)
        summary.count("comment", "created", n=len(fresh))

        # Replies that came before their parent: the parent may be in this batch, or
        # already saved (by a run that stopped before it could move the reply).
        parents = [record.key for record, _, _ in fresh]
        memory.load_places(placed_parents)
        parents += [key for key in placed_parents if key in memory.comment_places]
        moved = False
        for parent_key in dict.fromkeys(parents):
            orphans = self.waiting_for_parent.pop(parent_key, None)
            for orphan_id, orphan_key in orphans or ():
                parent_id = memory.comment_places[parent_key].id
                if discussion.comment_reparent(orphan_id, parent_id, max_depth=self.max_depth):
                    moved = True
                else:
                    self.looped.append(orphan_key)
        if moved:
            # Moved comments and their replies have new paths: read them again when needed.
            memory.comment_places.clear()

    def warnings(self) -> list[str]:
        """The summary's warnings about replies kept at the top level."""
        out = []
        if self.looped:
            shown = ", ".join(self.looped[:LOOPS_LISTED])
            more = (
                f" and {len(self.looped) - LOOPS_LISTED:,} more"
                if len(self.looped) > LOOPS_LISTED
                else ""
            )
            out.append(
                f"{len(self.looped):,} × comment whose chain of parents loops back to itself "
                f"(its own parent, or its reply's reply): kept as top-level ({shown}{more})"
            )
        for parent_key, orphans in self.waiting_for_parent.items():
            n = len(orphans)
            out.append(
                f"{n} {'reply' if n == 1 else 'replies'} to comment {parent_key}, which is "
                "not in the file: kept as top-level comments"
            )
        return out

    def _still_waiting(self, record: CommentRecord) -> bool:
        """Whether a reply saved earlier still sits at the top level, waiting for its
        parent: an import stopped before the parent came. It waits again (True when
        its parent is named, so that it is looked for)."""
        place = self.memory.comment_places.get(record.key)
        if not record.parent_key or place is None or place.parent_id is not None:
            return False
        self.waiting_for_parent[record.parent_key].append((place.id, record.key))
        return True

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
