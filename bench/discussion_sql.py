"""Raw SQL or the ORM in the discussion's writes: run by hand, `python bench/discussion_sql.py`.

Issue #13 allows hand-written SQL only where the ORM version costs more than 10% of
the request. For each statement that was SQL, this times the SQL form against the ORM
form on the same rows (the service's own function for the form it runs, a copy here
for the other) and divides the difference by the whole service call the statement is
part of (`comment_post`, `comments_import` of one importer batch, `comment_reparent`).
A reader's request does more than the service call (HTTP, middleware, session, JSON),
so the share printed is an upper bound of the share of the request.

SQLite in a fresh temporary data directory by default; with DATABASE_URL set (for
example postgres://rostra:rostra@127.0.0.1:5432/rostra_bench), that database, into
which it migrates; its rows are removed at the end. Every loop is bounded in count.

Measured on 2026-11-26 (a shared 2-core machine under load, 20,000 comments; medians,
ms of CPU on SQLite, wall ms on PostgreSQL):

    SQLite                                          SQL      ORM     call  ORM-SQL
    rate and repeat check (comment_post)          0.101    3.961     2.59  +148.9%
    tree columns of a new comment (comment_post)  0.066    0.281     3.15    +6.8%
    tree columns of a 2000-comment batch (import) 195.7   3523.7    783.5  +424.8%
    moving a reply and its replies, twice         4.053   10.146     4.42  +137.9%
    POST /api/comments in-process: 11.39 ms

    PostgreSQL 15                                   SQL      ORM     call  ORM-SQL
    rate and repeat check (comment_post)          10.53    48.08    83.33   +45.1%
    tree columns of a new comment (comment_post)  14.83    16.89    75.82    +2.7%
    tree columns of a 2000-comment batch (import) 2156    28058     4193   +617.7%
    moving a reply and its replies, twice         93.61   111.04    93.48   +18.6%

Votes (2026-11-27, 2,000 comments, same machine; a vote and its withdrawal, two
comment_vote calls): SQLite 3.40 ms CPU with the SQL form, 10.10 with the ORM's
(+186%); PostgreSQL 31.8 ms wall against 56.1 (+75%). The ORM cannot say ON CONFLICT DO
NOTHING or RETURNING, so its form takes eight statements to the SQL form's four to six.

The ORM's check costs a third of a whole request (3.9 of 11.4 ms), its batch update
four import calls, its subtree move more than the move itself: those three stay SQL,
with names from the model's _meta. The ORM's update of a new comment's tree columns
costs 0.2 ms, 2% of the request: that one is the ORM's now.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_SQL_ROUNDS", "400"))
# Comments per import batch: the writer sizes batches by time (rostra.transfer.pacing,
# about 80 ms each); 2,000 is more than one holds, so the SQL is measured at its worst.
IMPORT_BATCH = 2000
IMPORT_ROUNDS = int(os.environ.get("BENCH_SQL_IMPORT_ROUNDS", "4"))
SEEDED = int(os.environ.get("BENCH_SQL_COMMENTS", "20000"))
THREAD_KEY = "bench:discussion-sql"


def setup_django() -> Path | None:
    data_dir = None
    if not os.environ.get("DATABASE_URL"):
        data_dir = Path(tempfile.mkdtemp(prefix="rostra-bench-sql-"))
        os.environ["ROSTRA_DATA_DIR"] = str(data_dir)
    os.environ.update(ROSTRA_COMMENT_RATE_LIMIT="1000000/60", ROSTRA_COMMENT_MIN_SECONDS="0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "rostra.config.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return data_dir


# The ORM forms measured against the SQL the services run --------------------------------


def rate_and_repeats_orm(thread, viewer, policy, body, now):
    """The statement of posting._check_rate_and_repeats, built with the ORM."""
    from django.db.models import Count, Subquery
    from django.db.models.functions import Coalesce

    from rostra.discussion.models import Comment, Thread
    from rostra.discussion.services.posting import DUPLICATE_WINDOW

    def count(**conditions):
        grouped_by = next(iter(conditions))  # an equality: one group at most
        counted = Comment.objects.filter(**conditions).order_by().values(grouped_by)
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

    since = now - timedelta(seconds=policy.rate_limit[1])
    return (
        Thread.objects.filter(pk=thread.pk)
        .annotate(
            by_author=count(author_key=viewer.key, created_at__gte=since),
            by_address=count(ip_hash=viewer.ip_hash or "-", created_at__gte=since),
            repeats=count(
                author_key=viewer.key,
                created_at__gte=now - DUPLICATE_WINDOW,
                thread=thread,
                body_source=body,
            ),
        )
        .values_list("by_author", "by_address", "repeats")
        .get()
    )


def tree_columns_sql(comment):
    """What comment_post ran before it used the ORM's update."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE discussion_comment SET path = %s, root_id = %s WHERE id = %s",
            [comment.path, comment.root_id, comment.pk],
        )


def tree_columns_orm(comment):
    from rostra.discussion.models import Comment

    Comment.objects.filter(pk=comment.pk).update(path=comment.path, root_id=comment.root_id)


def import_tree_orm(rows):
    from rostra.discussion.models import Comment
    from rostra.discussion.services.imports import TREE_FIELDS

    Comment.objects.bulk_update(rows, TREE_FIELDS)


def move_subtree_orm(own, new, reply_to):
    """tree._move_subtree built with the ORM."""
    from django.db.models import F, Q, Value
    from django.db.models.functions import Concat, Substr

    from rostra.discussion.models import Comment

    Comment.objects.filter(
        Q(path=own.path) | Q(path__startswith=own.path + "/"), root_id=own.root_id
    ).update(
        path=Concat(Value(new.path), Substr("path", len(own.path) + 1)),
        depth=F("depth") + (new.depth - own.depth),
        root_id=new.root_id,
    )
    Comment.objects.filter(pk=own.id).update(parent_id=new.parent_id, reply_to_id=reply_to)


def vote_orm(comment, voter_key, value):
    """comment_vote's transaction as the ORM said it before the SQL form: a locking read
    of the voter's vote, its write, the counters, a read back, the version, the event."""
    from django.db import transaction
    from django.db.models import F

    from rostra.core import events
    from rostra.discussion.events import VoteChanged
    from rostra.discussion.models import Comment, Vote
    from rostra.discussion.versions import thread_version_bump

    with transaction.atomic():
        existing = Vote.objects.select_for_update().filter(comment=comment, voter_key=voter_key)
        existing = existing.first()
        old = existing.value if existing else 0
        if old == value:
            return
        if value == 0:
            existing.delete()
        elif existing:
            existing.value = value
            existing.save(update_fields=["value", "created_at"])
        else:
            Vote.objects.create(comment=comment, voter_key=voter_key, value=value)
        up, down = (value == 1) - (old == 1), (value == -1) - (old == -1)
        Comment.objects.filter(pk=comment.pk).update(
            upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
        )
        comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
        thread_version_bump(comment.thread_id)
        events.publish(VoteChanged(comment.pk, comment.thread_id, comment.score))


# Measuring -----------------------------------------------------------------------------


def clock():
    """CPU time of this process on SQLite, where the database works in this process too:
    it does not count waiting for a core another process holds (CI machines are
    shared). Wall time on PostgreSQL, whose work happens in the server's process."""
    from django.db import connection

    return time.process_time() if connection.vendor == "sqlite" else time.perf_counter()


def timed(call, rounds: int) -> list[float]:
    """Milliseconds of each of `rounds` calls."""
    samples = []
    for _ in range(rounds):
        start = clock()
        call()
        samples.append((clock() - start) * 1000)
    return samples


def compare(label, sql_call, orm_call, whole_call, rounds, rows):
    """Alternate SQL and ORM in blocks so drift (caches, other processes) hits both."""
    for call in (sql_call, orm_call, whole_call):
        call()  # warm up: statement caches, first connection
    sql, orm = [], []
    for _ in range(4):
        sql += timed(sql_call, max(1, rounds // 4))
        orm += timed(orm_call, max(1, rounds // 4))
    whole = statistics.median(timed(whole_call, max(3, rounds // 8)))
    sql_ms, orm_ms = statistics.median(sql), statistics.median(orm)
    share = (orm_ms - sql_ms) / whole * 100
    rows.append((label, sql_ms, orm_ms, whole, share))


def api_post(thread):
    """One guest posting through the JSON API, in this process (a request's whole
    Django side: middleware, session, CSRF, validation, the service, the answer)."""
    import json

    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")

    def post():
        body = json.dumps({"thread": thread.key, "body": f"Via API {time.time_ns()}", "name": "A"})
        response = client.post("/api/comments", body, content_type="application/json")
        assert response.status_code == 201, response.content[:200]

    post()  # warm up: the guest cookie, the policy cache
    return post


def seed(thread):
    from django.utils import timezone

    from rostra.discussion.services import ImportedComment, comments_import

    now = timezone.now()
    for start in range(0, SEEDED, IMPORT_BATCH):
        comments_import(
            [
                ImportedComment(
                    thread_id=thread.pk,
                    author_key=f"g:seed-{n % 2000}",
                    author_name=f"Reader {n % 2000}",
                    body_source=f"Seeded comment {n}.",
                    body_html=f"<p>Seeded comment {n}.</p>",
                    created_at=now - timedelta(minutes=n),
                    ip_hash=f"seed-ip-{n % 1500}",
                )
                for n in range(start, min(SEEDED, start + IMPORT_BATCH))
            ],
            max_depth=5,
        )


def main() -> int:
    data_dir = setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    from rostra.discussion.identity import Viewer
    from rostra.discussion.models import Comment, Thread
    from rostra.discussion.policy import Policy
    from rostra.discussion.services import (
        ImportedComment,
        comments_import,
        imports,
        posting,
        tree,
        votes,
    )

    Thread.objects.filter(key=THREAD_KEY).delete()
    thread = Thread.objects.create(key=THREAD_KEY, title="Benchmark")
    try:
        seed(thread)
        policy = Policy(rate_limit=(10**9, 60), min_submit_seconds=0)
        # A reader with a few comments in the windows, as a regular reader would have.
        viewer = Viewer(key="g:seed-7", ip_hash="seed-ip-7")
        now = timezone.now()
        body = "A comment nobody wrote before."
        rows = []

        def post(body, **kwargs):
            return posting.comment_post(
                thread=thread, viewer=viewer, policy=policy, body=body, name="Bench", **kwargs
            )

        compare(
            "rate and repeat check (comment_post)",
            lambda: posting._check_rate_and_repeats(thread, viewer, policy, body, now),
            lambda: rate_and_repeats_orm(thread, viewer, policy, body, now),
            lambda: post(f"Post {time.time_ns()}"),
            ROUNDS,
            rows,
        )
        comment = Comment.objects.filter(thread=thread).latest("pk")
        compare(
            "tree columns of a new comment (comment_post)",
            lambda: tree_columns_sql(comment),
            lambda: tree_columns_orm(comment),
            lambda: post(f"Post {time.time_ns()}"),
            ROUNDS,
            rows,
        )

        batch_rows = list(Comment.objects.filter(thread=thread).order_by("pk")[:IMPORT_BATCH])

        def import_batch():
            items = [
                ImportedComment(
                    thread_id=thread.pk,
                    author_key="g:imported",
                    author_name="Imported",
                    body_source="An imported comment.",
                    body_html="<p>An imported comment.</p>",
                    created_at=now - timedelta(days=400),
                    parent_index=(n - 1 if n % 3 else None),
                )
                for n in range(IMPORT_BATCH)
            ]
            with transaction.atomic():
                comments_import(items, max_depth=5)

        def in_transaction(call):
            def run():
                with transaction.atomic():
                    call(batch_rows)

            return run

        compare(
            f"tree columns of a {IMPORT_BATCH}-comment batch (comments_import)",
            in_transaction(imports._write_tree_columns),
            in_transaction(import_tree_orm),
            import_batch,
            IMPORT_ROUNDS,
            rows,
        )

        # A reply that arrived before its parent, with two replies of its own, moved
        # back and forth between two top-level comments (same moves for both forms).
        first, second = Comment.objects.filter(thread=thread, depth=0).order_by("pk")[:2]
        reply = post("Early", parent_id=first.pk)
        for n in range(2):
            post(f"Reply {n}", parent_id=reply.pk)

        def move(form):
            def run():
                for parent in (second, first):
                    places = tree.tree_places([reply.pk, parent.pk])
                    new, reply_to = tree.place_under(reply.pk, places[parent.pk], 5)
                    form(places[reply.pk], new, reply_to)

            return run

        def reparent_twice():
            tree.comment_reparent(reply.pk, second.pk, max_depth=5)
            tree.comment_reparent(reply.pk, first.pk, max_depth=5)

        compare(
            "moving a reply and its replies, twice (comment_reparent)",
            move(tree._move_subtree),
            move(move_subtree_orm),
            reparent_twice,
            ROUNDS // 2,
            rows,
        )

        # A reader voting up and withdrawing on one comment: both forms write the same rows.
        voted = Comment.objects.select_related("thread").filter(thread=thread).latest("pk")
        voter = Viewer(key="g:bench-voter")

        def vote_sql():
            for value in (1, 0):
                votes.comment_vote(comment=voted, viewer=voter, policy=policy, value=value)

        def vote_and_withdraw_orm():
            for value in (1, 0):
                vote_orm(voted, voter.key, value)

        compare("a vote and its withdrawal (comment_vote)", vote_sql, vote_and_withdraw_orm,
                vote_sql, ROUNDS, rows)  # fmt: skip

        request_ms = statistics.median(timed(api_post(thread), ROUNDS // 8))

        vendor = connection.vendor
        print(f"\nRaw SQL or ORM — {vendor}, {SEEDED:,} comments seeded, medians in ms\n")
        print(f"{'statement (service)':<58} {'SQL':>7} {'ORM':>7} {'call':>7} {'ORM-SQL':>8}")
        for label, sql_ms, orm_ms, whole, share in rows:
            print(f"{label:<58} {sql_ms:>7.3f} {orm_ms:>7.3f} {whole:>7.2f} {share:>+7.1f}%")
        print("\nORM-SQL: the ORM's extra time as a share of the whole service call.")
        print(f"POST /api/comments (Django's test client, no HTTP server): {request_ms:.2f} ms")
        print("Times: " + ("CPU time of this process" if vendor == "sqlite" else "wall time"))
        return 0
    finally:
        Thread.objects.filter(key=THREAD_KEY).delete()
        if data_dir is not None:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
