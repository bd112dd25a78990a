"""Counters stay exact under parallel voting (PostgreSQL, real concurrent connections)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from rostra.discussion import services
from rostra.discussion.models import Comment, Thread, Vote
from rostra.discussion.testing import TEST_POLICY, guest, post

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a PostgreSQL server"),
]

VOTERS = 200


@pytest.fixture
def thread():
    """A thread of its own (as an embed would have): no page tree needed after a flush."""
    return Thread.objects.create(key="embed:concurrency")


def test_two_hundred_parallel_votes_give_exact_totals(thread):
    comment = post(thread, body="Popular")
    voters = [guest() for _ in range(VOTERS)]

    def vote(n):
        try:
            value = 1 if n % 4 else -1
            services.comment_vote(
                comment=Comment.objects.get(pk=comment.pk),
                viewer=voters[n],
                policy=TEST_POLICY,
                value=value,
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(vote, range(VOTERS)))

    comment.refresh_from_db()
    assert Vote.objects.filter(comment=comment).count() == VOTERS
    assert (comment.upvotes, comment.downvotes) == (150, 50)
    assert comment.score == 100


def test_one_voter_clicking_many_times_at_once_counts_once(thread):
    comment = post(thread, body="Double-clicked")
    voter = guest()

    def vote(_):
        try:
            services.comment_vote(
                comment=Comment.objects.get(pk=comment.pk),
                viewer=voter,
                policy=TEST_POLICY,
                value=1,
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(vote, range(24)))
    comment.refresh_from_db()
    assert (comment.upvotes, comment.score) == (1, 1)
