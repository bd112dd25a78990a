"""What writing the live event through the ORM costs a post and a vote (issue #13).

Every comment posted and every vote writes a `LiveEvent` row in its transaction
(`rostra/notifications/receivers.py`). This compares the ORM's `LiveEvent.objects.create`
with the hand-written INSERT it replaced: alone (many in one transaction), and as a
share of whole API requests (posting a comment, changing a vote) made in-process through
Django's test client. The ORM stays when its extra cost is under 10% of a request.

Times are this process's CPU time (`time.process_time`), which other work on a busy
machine does not inflate; on PostgreSQL they leave out the server's share of a request,
so the ORM's share printed there is an upper bound.

Run by hand: `.venv/bin/python bench/live_event_write.py` (SQLite in a temporary
directory); with DATABASE_URL set, against that PostgreSQL database, which gets
Rostra's tables. Every loop is bounded in count.
"""

import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

INSERTS = int(os.environ.get("BENCH_INSERTS", "6000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "600"))
ROUNDS = 6  # the two ways take turns going first, so the machine's drift hits both


def configure(data_dir: Path) -> None:
    os.environ.update(
        ROSTRA_DATA_DIR=str(data_dir),
        ROSTRA_COMMENT_RATE_LIMIT="1000000/60",
        ROSTRA_COMMENT_MIN_SECONDS="0",
        LOG_LEVEL="WARNING",
        EMAIL_URL="dummy:",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rostra.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def raw_insert(thread_id, kind, comment_id, score=None) -> None:
    """The INSERT that receivers.py ran before it used the ORM (names from `_meta`)."""
    from django.db import connection
    from django.utils import timezone

    from rostra.notifications.models import LiveEvent

    meta = LiveEvent._meta
    columns = [meta.get_field(name).column for name in ("thread_id", "kind", "comment_id")]
    columns += [meta.get_field("score").column, meta.get_field("created_at").column]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))})"
            " VALUES (%s, %s, %s, %s, %s)",
            [thread_id, kind, comment_id, score, now],
        )


def orm_insert(thread_id, kind, comment_id, score=None) -> None:
    from rostra.notifications.models import LiveEvent

    LiveEvent.objects.create(thread_id=thread_id, kind=kind, comment_id=comment_id, score=score)


WAYS = {"ORM": orm_insert, "raw SQL": raw_insert}


def per_insert_us(insert, count: int) -> float:
    """Inserts in one transaction: the statement's own cost, without the commit that a
    request pays once whichever way the row is written."""
    from django.db import transaction

    with transaction.atomic():
        start = time.process_time()
        for n in range(count):
            insert(1, "comment", n)
        elapsed = time.process_time() - start
    return elapsed / count * 1e6


def use(insert) -> None:
    """Make the live-event recorders write with `insert`."""
    from rostra.core import events
    from rostra.discussion.events import CommentPublished, VoteChanged

    events._recorders[CommentPublished][:] = [
        lambda e: insert(e.thread_id, "comment", e.comment_id)
    ]
    events._recorders[VoteChanged][:] = [
        lambda e: insert(e.thread_id, "vote", e.comment_id, e.score)
    ]


class Api:
    def __init__(self):
        from django.test import Client

        self.client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
        self.token = self.client.get("/api/csrf").json()["csrf_token"]

    def post(self, path: str, payload: dict) -> dict:
        response = self.client.post(
            path, json.dumps(payload), content_type="application/json",
            HTTP_X_CSRFTOKEN=self.token,
        )  # fmt: skip
        assert response.status_code in (200, 201), (path, response.content[:300])
        return response.json()


def per_request_ms(send, count: int) -> float:
    start = time.process_time()
    for n in range(count):
        send(n)
    return (time.process_time() - start) / count * 1e3


def main() -> int:
    data_dir = Path(tempfile.mkdtemp(prefix="rostra-bench-live-"))
    try:
        configure(data_dir)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        from rostra.publishing.testing import make_article, make_home, make_section

        article = make_article(make_section(make_home(), "Bench"), "Live event cost")
        thread = f"article:{article.pk}"
        poster, voter = Api(), Api()
        first = {"thread": thread, "body": "vote on me", "name": "A"}
        target = poster.post("/api/comments", first)["id"]

        bodies = (f"comment {n}" for n in itertools.count())

        def post(_n):
            poster.post("/api/comments", {"thread": thread, "body": next(bodies), "name": "A"})

        def vote(n):
            voter.post(f"/api/comments/{target}/vote", {"value": 1 if n % 2 else -1})

        samples = {(way, what): [] for way in WAYS for what in ("insert", "post", "vote")}
        for round_number in range(ROUNDS):
            order = list(WAYS.items())
            for way, insert in order[round_number % 2 :] + order[: round_number % 2]:
                use(insert)
                samples[way, "insert"].append(per_insert_us(insert, INSERTS // ROUNDS))
                samples[way, "post"].append(per_request_ms(post, REQUESTS // ROUNDS))
                samples[way, "vote"].append(per_request_ms(vote, REQUESTS // ROUNDS))
        median = {key: statistics.median(values) for key, values in samples.items()}

        print(f"\nLive event write, {connection.vendor}, CPU time, medians of {ROUNDS} rounds\n")
        print(f"{'':<24} {'ORM':>10} {'raw SQL':>10}")
        print(
            f"{'insert alone (µs)':<24} {median['ORM', 'insert']:>10.1f}"
            f" {median['raw SQL', 'insert']:>10.1f}"
        )
        extra_ms = (median["ORM", "insert"] - median["raw SQL", "insert"]) / 1000
        for what in ("post", "vote"):
            request_ms = median["ORM", what]
            print(
                f"{what + ' request (ms)':<24} {request_ms:>10.2f}"
                f" {median['raw SQL', what]:>10.2f}"
                f"   ORM's extra insert cost: {extra_ms / request_ms:.1%} of the request"
            )
        return 0
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
