"""Following a thread or replies costs an exact number of queries (Zulip-style budgets).

Each test runs inside a transaction, so the request's own transaction is a savepoint
and its release, and each insert by `get_or_create` another savepoint pair around it.
The per-connection rate limit is kept in the cache, not counted here.
"""

import pytest

from rostra.discussion.services import thread_for_article
from rostra.notifications import services
from rostra.notifications.models import Subscription
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(section):
    return thread_for_article(make_article(section, "Harbour road closes on Sundays"))


def test_a_guests_first_request_costs_the_subscription_and_the_days_confirmation(
    thread, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """12 queries, and the confirmation e-mail queued after commit:
    1 savepoint, 2 look up the subscription (locked on PostgreSQL), 3-5 insert it
    between a savepoint and its release, 6 renew the address's confirmation of the day
    if a day old (none), 7 look it up, 8-10 insert it between a savepoint and its
    release, 11 save the subscription's state, 12 release."""
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(12):
        requested = services.subscription_request(
            email="guest@example.org", kind="thread", thread=thread, ip_hash="connection"
        )
    assert requested.confirmation == "sent"
    assert len(callbacks) == 1


def test_a_second_request_the_same_day_costs_three_queries_less_and_sends_nothing(
    thread, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """9 queries: as the first, but the day's confirmation is found taken (no insert
    and its savepoints), and nothing is queued."""
    services.subscription_request(email="guest@example.org", kind="thread", thread=thread)
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(9):
        requested = services.subscription_request(
            email="guest@example.org", kind="replies", author_key="g:guest"
        )
    assert requested.confirmation == "held back"
    assert callbacks == []


def test_a_signed_in_readers_request_costs_the_subscription_alone(
    thread, django_user_model, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """7 queries: savepoint, look-up, the insert between its savepoint and release, the
    save (confirmed at once), release; no confirmation e-mail and no rate limit."""
    user = django_user_model.objects.create_user("ann", "ann@example.org", "pw")
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(7):
        requested = services.subscription_request(
            email="ann@example.org", kind="thread", thread=thread, user=user
        )
    assert requested.confirmation == "not needed"
    assert callbacks == []
    assert Subscription.objects.get().confirmed_at is not None
