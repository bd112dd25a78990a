"""Reading a discussion costs an exact number of queries (Zulip-style budgets), and the
number does not grow with the comments shown.

The thread API and the article page are what every reader asks for; a query per
comment (an N+1) would cost a long thread hundreds. Each budget is measured with the
site's settings stored and its discussion policy kept by the process, as on every
request after the first one; a request that applies the policy reads the settings'
version (one statement, rostra.discussion.policy).
"""

import pytest
from wagtail.models import Site

from rostra.discussion import services
from rostra.discussion.identity import Viewer, guest_key
from rostra.discussion.models import DiscussionSettings
from rostra.discussion.testing import TEST_POLICY, post
from rostra.discussion.tests.test_access import guest_client

pytestmark = pytest.mark.django_db


def _conversations(thread, count: int) -> list:
    """`count` top-level comments, each with a reply and a reply to that reply."""
    roots = []
    for n in range(count):
        root = post(thread, body=f"Comment {n}.")
        reply = post(thread, body=f"Reply {n}.", parent_id=root.pk)
        post(thread, body=f"Reply to reply {n}.", parent_id=reply.pk)
        roots.append(root)
    return roots


@pytest.fixture
def settled(client, article):
    """A request answered once, so that the site's settings exist and the discussion
    policy is cached (creating the settings invalidates the cache, hence first)."""
    DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    assert client.get(article.url).status_code == 200
    return client


def test_the_thread_api_costs_eight_queries_cold_and_one_warm_for_an_anonymous_reader(
    settled, thread, django_assert_num_queries
):
    """Cold (the first read after a change): 1 the public answer's version (the stored
    copy's, now out of date); 2 the discussion settings' version; 3 read again before the
    answer is made (its ETag); 4 the article behind the thread key, with its thread and
    version, if readers may see it; 5 count the visible top-level comments; 6 the page's
    top-level comments with the name of whom they answer and their passage; 7 all their
    visible replies; 8 count the visible comments. Warm: the version only, the rest is the
    stored copy. The same with three conversations as with one."""
    _conversations(thread, 1)
    with django_assert_num_queries(7):  # nothing stored yet: no first query
        first = settled.get("/api/comments", {"thread": thread.key})
    with django_assert_num_queries(1):
        settled.get("/api/comments", {"thread": thread.key})
    _conversations(thread, 2)
    with django_assert_num_queries(8):
        response = settled.get("/api/comments", {"thread": thread.key})
    with django_assert_num_queries(1):
        again = settled.get("/api/comments", {"thread": thread.key})
    assert first.json()["total_comments"] == 3
    assert response.json()["total_comments"] == 9
    assert again.content == response.content


def test_a_guest_with_votes_costs_two_more_queries_warm(settled, thread, django_assert_num_queries):
    """4 queries from a warm cache: the access check with the version, the settings'
    version, the guest's votes in the thread, the guest's comments held or still in the
    edit window."""
    roots = _conversations(thread, 3)
    services.comment_vote(
        comment=roots[0], viewer=Viewer(key=guest_key("ann")), policy=TEST_POLICY, value=1
    )
    settled.get("/api/comments", {"thread": thread.key})  # the shared copy, cached
    ann = guest_client("ann")
    with django_assert_num_queries(4):
        response = ann.get("/api/comments", {"thread": thread.key})
    assert [c["my_vote"] for c in response.json()["comments"]] == [0, 0, 1]


def test_the_thread_api_costs_eight_queries_warm_for_a_signed_in_reader(
    settled, thread, django_user_model, django_assert_num_queries
):
    """12 queries cold: the session and the user behind it, the access check, the
    settings' version, the reader's permissions (their own and their groups': a
    moderator sees held comments), the reader's votes in the thread and their comments
    held or in the edit window, then the four queries of the shared copy. 8 warm: the same
    without those four."""
    roots = _conversations(thread, 3)
    user = django_user_model.objects.create_user("ann", "ann@example.org", "pw")
    reader = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name="Ann", email=user.email)
    services.comment_vote(comment=roots[0], viewer=reader, policy=TEST_POLICY, value=1)
    settled.force_login(user)
    with django_assert_num_queries(12):
        response = settled.get("/api/comments", {"thread": thread.key})
    with django_assert_num_queries(8):
        again = settled.get("/api/comments", {"thread": thread.key})
    assert [c["my_vote"] for c in response.json()["comments"]] == [0, 0, 1]
    assert again.content == response.content


def test_the_article_page_costs_the_same_whatever_the_number_of_comments(
    settled, article, thread, django_assert_num_queries
):
    """26 queries for an anonymous reader right after a change to the thread (the
    comment section's shared cards are built again, discussion.card_cache), with one
    conversation or four:
    1 the stored copy's version (rostra.core.stored_pages), no longer current;
    Wagtail serving the page: 2 the site, 3-7 the route walk (the home page, the
    section by slug and its specific page, the article by slug and its specific page),
    8 the ancestors' aliases, 9 view restrictions on the way (before serving);
    the page's version, read before rendering (rostra.core.page_cache): 10 the
    ancestors' aliases and 11 any view restriction (a restricted page is private),
    12 one query of the newest page and model log entries (publishing), the article
    thread's version, the donations' count and newest change (funding);
    the article: 13 its tags, 14 view restrictions (the masthead's public sections),
    15 the masthead's sections; funding: 16 the site's funding settings, 17 the active
    campaign, 18 the enabled channels; the comment section: 19 the article with its
    thread (and version) if readers may see it, 20 the settings' version, then the
    shared cards: 21 count the visible top-level comments, 22 the page's top-level
    comments with what they answer and their passage, 23 all their visible replies, 24
    count the visible comments, 25 the passages commented on; 26 the thread's last live
    event (where the live stream starts)."""
    _conversations(thread, 1)
    with django_assert_num_queries(26):
        first = settled.get(article.url)
    _conversations(thread, 3)
    with django_assert_num_queries(26):
        response = settled.get(article.url)
    assert first.content.count(b' data-depth="') == 3
    assert response.content.count(b' data-depth="') == 12


def test_the_article_page_costs_one_query_while_nothing_changed(
    settled, article, thread, django_assert_num_queries
):
    """The next anonymous reader gets the finished page this process stored: one query,
    the page's version (rostra.core.stored_pages)."""
    _conversations(thread, 4)
    first = settled.get(article.url)
    with django_assert_num_queries(1):
        response = settled.get(article.url)
    assert response.content == first.content
    assert response.content.count(b' data-depth="') == 12


def test_the_article_page_costs_twenty_with_shared_cards_and_no_stored_copy(
    settled, article, thread, django_assert_num_queries
):
    """Rendered again with the thread unchanged (the stored copy gone, as in another
    process, or past its minute): 20 queries, 2-26 above without the 5 that build the
    shared cards."""
    from rostra.core.stored_pages import stored_pages

    _conversations(thread, 4)
    settled.get(article.url)
    stored_pages.clear()
    with django_assert_num_queries(20):
        response = settled.get(article.url)
    assert response.content.count(b' data-depth="') == 12


def test_a_signed_in_reader_who_voted_costs_30_queries_after_a_change_then_9(
    settled, article, thread, django_user_model, django_assert_num_queries
):
    """The first page after a change is rendered whole (private, no validator): 1-10
    Wagtail serving the page as above, 11 the page's version (read before rendering, for
    the frame it becomes: rostra.core.page_frames), 12 the article's tags, 13-14 the
    session and the user behind it (with whether they hold any permission: one answer
    for Wagtail's and the section's checks), 15-16 the masthead, 17-19 funding, 20 the
    article with its thread, 21 the settings' version; 22 whether the reader has a
    comment awaiting moderation here (the shared cards cannot show it); the 5 queries
    that build the shared cards (the same cards as everyone's); then the reader's votes
    in the thread, in one query; the replies feed's key and the live stream's start. The
    next page comes from the frame: 9 queries (test_page_frames)."""
    roots = _conversations(thread, 3)
    user = django_user_model.objects.create_user("ann", "ann@example.org", "pw")
    reader = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name="Ann", email=user.email)
    settled.force_login(user)
    services.comment_vote(comment=roots[0], viewer=reader, policy=TEST_POLICY, value=1)
    with django_assert_num_queries(30):
        settled.get(article.url)
    with django_assert_num_queries(9):
        response = settled.get(article.url)
    assert response.content.count(b'aria-pressed="true"') == 1
