"""Each discussion write costs an exact number of queries (Zulip-style budgets).

A budget that moves is a decision to take knowingly: a new query on every post or
vote costs every reader, an import batch must not grow with its size. Savepoints are
counted too (each test runs inside a transaction).
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from rostra.discussion import services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, CommentStatus, DiscussionSettings
from rostra.discussion.testing import TEST_POLICY, guest, post, staff

pytestmark = pytest.mark.django_db


def test_a_guest_comment_costs_a_check_and_one_insert_with_its_tree_place(
    thread, django_assert_num_queries
):
    """Rate and repeat check (one statement), the ban check (one statement over the
    reader's identity, e-mail and address), one insert that writes the tree columns
    too, the thread's version and the live event recorded with it, between the
    savepoint and its release; and, the first time in a minute in a process (here: in
    a test), the spam filter's settings and current version (2)."""
    reader = guest("Ann")
    with django_assert_num_queries(9):
        post(thread, reader, body="A first comment.", name="Ann")


def test_a_signed_in_readers_comment_costs_the_same_as_a_guests(
    thread, django_user_model, django_assert_num_queries
):
    """An account adds no query: the name and address come with the viewer."""
    user = django_user_model.objects.create_user("ann", "ann@example.org", "pw")
    reader = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name="Ann", email=user.email)
    with django_assert_num_queries(9):
        post(thread, reader, body="A signed-in comment.")


def test_a_reply_adds_only_the_lookup_of_its_parent(thread, django_assert_num_queries):
    """Replying reads the parent comment once, nothing more."""
    parent = post(thread, body="The parent.")
    with django_assert_num_queries(8):
        post(thread, body="A reply.", parent_id=parent.pk)


def test_a_vote_is_one_short_transaction_of_four_statements(thread, django_assert_num_queries):
    """A new vote: insert it unless a ban refuses the voter (one statement; a vote
    already there inserts nothing), move the counters and read them back in one
    statement, bump the thread's version, record the live event, between the savepoint
    and its release (BEGIN and COMMIT outside a test)."""
    comment = post(thread)
    comment = Comment.objects.select_related("thread").get(pk=comment.pk)
    with django_assert_num_queries(6):
        voted = services.comment_vote(comment=comment, viewer=guest(), policy=TEST_POLICY, value=1)
    assert (voted.upvotes, voted.downvotes, voted.score) == (1, 0, 1)


def test_changing_a_vote_adds_one_statement_and_withdrawing_costs_the_same_as_voting(
    thread, django_assert_num_queries
):
    """Changing a vote: the insert finds the voter's vote, the voter's bans are read for
    why, one update turns it; then the counters, the version and the live event as for
    a new vote. Withdrawing deletes the vote instead of inserting one, and reads no
    bans. Repeating a vote writes nothing: the insert and the update both find nothing
    to do."""
    comment = post(thread)
    comment = Comment.objects.select_related("thread").get(pk=comment.pk)
    voter = guest("Voter")
    services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=1)
    with django_assert_num_queries(8):
        changed = services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=-1)
    assert (changed.upvotes, changed.downvotes, changed.score) == (0, 1, -1)
    with django_assert_num_queries(5):
        services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=-1)
    with django_assert_num_queries(6):
        withdrawn = services.comment_vote(
            comment=comment, viewer=voter, policy=TEST_POLICY, value=0
        )
    assert (withdrawn.upvotes, withdrawn.downvotes, withdrawn.score) == (0, 0, 0)
    with django_assert_num_queries(3):
        services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=0)


def test_moderating_comments_costs_one_update_and_a_live_event_for_each_made_public(
    thread, django_assert_num_queries
):
    """Approving reads (and locks) the comments' statuses, updates them all in one
    statement, bumps their thread's version, logs the decisions in one insert,
    records one live event for each comment made public (three here) and looks once
    for readers' reports the decisions answer."""
    held = [post(thread, body=f"Held {n}.") for n in range(3)]
    Comment.objects.filter(pk__in=[c.pk for c in held]).update(status=CommentStatus.PENDING)
    with django_assert_num_queries(10):
        count = services.comment_moderate(
            comments=held, viewer=staff(), status=CommentStatus.APPROVED
        )
    assert count == 3


def test_an_import_batch_costs_the_same_whatever_its_size(thread, django_assert_num_queries):
    """A batch of imported comments and replies is one insert, the lookup of parents
    already stored, one update of the tree columns and one of the thread's version."""
    earlier = post(thread, body="Already here.")
    when = timezone.now() - timedelta(days=30)

    def item(n, **parent):
        return services.ImportedComment(
            thread_id=thread.pk,
            author_key=f"import:{n}",
            author_name=f"Commenter {n}",
            body_source=f"Imported {n}.",
            body_html=f"<p>Imported {n}.</p>",
            created_at=when,
            **parent,
        )

    items = [item(0), item(1, parent_index=0), item(2, parent_id=earlier.pk), item(3)]
    with django_assert_num_queries(4):
        places = services.comments_import(items, max_depth=5)
    assert [place.depth for place in places] == [0, 1, 1, 0]


# Through the whole stack: every middleware, the API, the service ----------------------


@pytest.fixture
def browser(home):
    """A guest's browser with its CSRF token, as the page's script has it, on a site
    whose discussion settings exist (the first request made them)."""
    DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    client = Client(enforce_csrf_checks=True)
    client.get("/api/csrf")
    client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    return client


def test_a_new_guests_vote_through_the_api_costs_the_settings_version_and_the_service(
    thread, browser, django_assert_num_queries
):
    """A vote by a guest without a cookie yet: the settings' version (one statement;
    the settings themselves are this process's copy, made on an earlier request), the
    comment under the one access rule, then the service's six (savepoint, insert unless
    banned, counters, version, live event, release)."""
    comments = [post(thread, body=f"Comment {n}.") for n in range(2)]
    browser.post(f"/api/comments/{comments[0].pk}/vote", {"value": 1}, "application/json")
    browser.cookies.pop("rostra_guest")
    with django_assert_num_queries(8):
        answer = browser.post(
            f"/api/comments/{comments[1].pk}/vote", {"value": 1}, "application/json"
        )
    assert answer.status_code == 200 and answer.json()["upvotes"] == 1


def test_a_guests_comment_through_the_api_costs_the_settings_version_its_thread_and_the_service(
    thread, browser, django_assert_num_queries
):
    """A comment posted through the API: the settings' version (one statement), the
    thread under the access rule (no article page built), then the service's seven (rate and
    repeats, bans, savepoint, insert with the tree place, version, live event, release), and
    after the commit one look for anyone following the thread. No anchor is read for a
    comment that is not about a passage."""
    key = f"article:{thread.article_id}"
    browser.post("/api/comments", {"thread": key, "body": "First."}, "application/json")
    with django_assert_num_queries(11):
        answer = browser.post(
            "/api/comments", {"thread": key, "body": "Second.", "name": "Ann"}, "application/json"
        )
    assert answer.status_code == 201 and answer.json()["html"] == "<p>Second.</p>"
