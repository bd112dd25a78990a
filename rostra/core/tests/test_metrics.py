"""/metrics: Prometheus's text format behind a token, the same from every process."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rostra.core import request_counts
from rostra.core.heartbeat import beat
from rostra.discussion.models import CommentStatus
from rostra.discussion.services import comment_moderate, comment_vote, thread_for_article
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.funding.services import DonationEvent, donation_record
from rostra.publishing.testing import make_article

TOKEN = "s3cret-metrics-token"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


@pytest.fixture
def thread(section):
    return thread_for_article(make_article(section, "Ferry timetable changes", text="New."))


def scrape(client, **headers) -> dict[str, float]:
    """The samples of one scrape: {'name{labels}': value}."""
    response = client.get("/metrics", HTTP_HOST="10.0.0.5:8000", **AUTH, **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = {}
    for line in response.content.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def test_without_a_token_configured_metrics_do_not_exist(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", **AUTH).status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer", TOKEN],
)
def test_a_missing_or_wrong_token_is_refused(client, db, token, authorization):
    """401 with a Bearer challenge, and no metric in the answer."""
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", HTTP_HOST="10.0.0.5", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"rostra_" not in response.content


def test_only_get_and_head_are_answered(client, db, token):
    assert client.post("/metrics", **AUTH).status_code == 405
    assert client.head("/metrics", **AUTH).status_code == 200


def test_comments_votes_gifts_tasks_and_heartbeat_are_reported(client, thread, token):
    """Counts by comment status, votes up and down, gifts and their sums per currency and
    status, the task backlog per queue with the age of its oldest task, and the age of
    the worker's last heartbeat."""
    first, _approved, third = (post(thread, body=f"Comment {n}") for n in range(3))
    comment_moderate(comments=[third], viewer=staff(), status=CommentStatus.SPAM)
    for value in (1, 1, -1):
        comment_vote(comment=first, viewer=guest(), policy=TEST_POLICY, value=value)
    now = timezone.now()
    for reference, amount, currency, status in [
        ("a", "10.50", "USD", "confirmed"),
        ("b", "5", "USD", "confirmed"),
        ("c", "1500", "JPY", "confirmed"),
        ("d", "20", "EUR", "refunded"),
    ]:
        event = DonationEvent("card", reference, Decimal(amount), currency, status, now)
        donation_record(event, campaign_currency="USD")
    for queue, age in [("default", 90), ("default", 30), ("imports", 5)]:
        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="rostra.core.tasks.send_email_task",
            backend_name="default",
            queue_name=queue,
            run_after=now,
            enqueued_at=now - timedelta(seconds=age),
        )
    DBTaskResult.objects.update(enqueued_at=now - timedelta(seconds=90))  # auto_now_add
    DBTaskResult.objects.filter(queue_name="imports").update(enqueued_at=now)
    beat("w1", now=now - timedelta(seconds=42))

    samples = scrape(client)
    assert samples['rostra_comments{status="approved"}'] == 2
    assert samples['rostra_comments{status="spam"}'] == 1
    assert samples['rostra_votes{value="up"}'] == 2
    assert samples['rostra_votes{value="down"}'] == 1
    assert samples['rostra_gifts{currency="USD",status="confirmed"}'] == 2
    assert samples['rostra_gift_amount{currency="USD",status="confirmed"}'] == 15.5
    assert samples['rostra_gift_amount{currency="JPY",status="confirmed"}'] == 1500
    assert samples['rostra_gifts{currency="EUR",status="refunded"}'] == 1
    assert samples['rostra_tasks_queued{queue="default"}'] == 2
    assert samples['rostra_tasks_queued{queue="imports"}'] == 1
    assert 90 <= samples['rostra_task_oldest_queued_age_seconds{queue="default"}'] < 120
    assert samples['rostra_task_oldest_queued_age_seconds{queue="imports"}'] < 30
    assert 42 <= samples["rostra_worker_last_heartbeat_age_seconds"] < 70


def test_without_a_worker_the_heartbeat_sample_is_absent(client, db, token):
    samples = scrape(client)
    assert "rostra_worker_last_heartbeat_age_seconds" not in samples
    assert not any(name.startswith("rostra_tasks_queued") for name in samples)


def test_requests_are_counted_by_method_and_status_class(client, db, token):
    """Every request the process answers is counted, /healthz and /metrics included,
    under a closed set of method names."""
    before = scrape(client)
    for _ in range(3):
        assert client.get("/robots.txt").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.generic("BREW", "/robots.txt").status_code == 405
    after = scrape(client)

    def grew(name):
        return after.get(name, 0) - before.get(name, 0)

    assert grew('rostra_http_requests_total{method="GET",status="2xx"}') == 3 + 1  # + scrape
    assert grew('rostra_http_requests_total{method="POST",status="4xx"}') == 1
    assert grew('rostra_http_requests_total{method="other",status="4xx"}') == 1


def test_counts_of_several_processes_add_up(db):
    """Two processes' counters (each in its own memory) flushing to the shared totals:
    the totals are the sum, whichever flushes first."""
    from rostra.core.selectors import request_totals

    request_counts.counter.flush()
    before = request_totals().get(("GET", "2xx"), 0)
    one, two = request_counts.RequestCounter(), request_counts.RequestCounter()
    for _ in range(5):
        one.count("GET", 200)
    for _ in range(7):
        two.count("GET", 204)
    two.count("PATCH", 503)
    one.flush()
    two.flush()
    one.flush()  # nothing new: adds nothing
    totals = request_totals()
    assert totals[("GET", "2xx")] == before + 12
    assert totals[("PATCH", "5xx")] == 1


def test_a_scrape_costs_a_fixed_number_of_queries(client, thread, token, django_assert_num_queries):
    """One query per family (six), plus adding this process's request counts: one
    UPDATE in a transaction (savepoint and release here, inside the test's own)."""
    for n in range(5):
        post(thread, body=f"Comment {n}")
    scrape(client)
    scrape(client)  # the GET 2xx row exists now; this scrape is flushed by the next
    with django_assert_num_queries(9):
        scrape(client)
