"""Reading a discussion costs an exact number of queries (Zulip-style budgets), and the
number does not grow with the comments shown.

The thread API and the article page are what every reader asks for; a query per
comment (an N+1) would cost a long thread hundreds. Each budget is measured with the
site's settings stored and its discussion policy cached, as on every request after the
first one.
"""

import pytest
from wagtail.models import Site

from rostra.discussion import services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import DiscussionSettings
from rostra.discussion.testing import TEST_POLICY, post

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


def test_the_thread_api_costs_five_queries_for_an_anonymous_reader(
    settled, thread, django_assert_num_queries
):
    """1 the article behind the thread key, with its thread, if readers may see it;
    2 count the visible top-level comments; 3 the page's top-level comments with the
    comment they answer and their passage; 4 all their visible replies; 5 count the
    visible comments. The same with three conversations as with one."""
    _conversations(thread, 1)
    with django_assert_num_queries(5):
        first = settled.get("/api/comments", {"thread": thread.key})
    _conversations(thread, 2)
    with django_assert_num_queries(5):
        response = settled.get("/api/comments", {"thread": thread.key})
    assert first.json()["total_comments"] == 3
    assert response.json()["total_comments"] == 9


def test_the_thread_api_costs_three_more_for_a_signed_in_reader(
    settled, thread, django_user_model, django_assert_num_queries
):
    """8 queries: the anonymous reader's five, the session and the user behind it, and
    the reader's own votes on every comment shown, in one query."""
    roots = _conversations(thread, 3)
    user = django_user_model.objects.create_user("ann", "ann@example.org", "pw")
    reader = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name="Ann", email=user.email)
    services.comment_vote(comment=roots[0], viewer=reader, policy=TEST_POLICY, value=1)
    settled.force_login(user)
    with django_assert_num_queries(8):
        response = settled.get("/api/comments", {"thread": thread.key})
    assert [c["my_vote"] for c in response.json()["comments"]] == [0, 0, 1]


def test_the_article_page_costs_the_same_whatever_the_number_of_comments(
    settled, article, thread, django_assert_num_queries
):
    """27 queries for an anonymous reader, with one conversation or four:
    Wagtail serving the page: 1 the site, 2-6 the route walk (the home page, the
    section by slug and its specific page, the article by slug and its specific page),
    7 the ancestors' aliases, 8 view restrictions on the way (before serving);
    the page's validator, checked before rendering (rostra.core.page_cache): 9 the
    ancestors' aliases and 10 any view restriction (a restricted page is private),
    11-12 the newest page and model log entries (publishing), 13 the article thread's
    version, 14 donations (count and newest);
    the article: 15 its tags, 16 view restrictions (the masthead's public sections),
    17 the masthead's sections; funding: 18 the site's funding settings, 19 the active
    campaign, 20 the enabled channels; the comment section: 21 the article with its
    thread if readers may see it, 22 count the visible top-level comments, 23 the
    page's top-level comments with what they answer and their passage, 24 all their
    visible replies, 25 count the visible comments, 26 the passages commented on, 27
    the thread's last live event (where the live stream starts)."""
    _conversations(thread, 1)
    with django_assert_num_queries(27):
        first = settled.get(article.url)
    _conversations(thread, 3)
    with django_assert_num_queries(27):
        response = settled.get(article.url)
    assert first.content.count(b' data-depth="') == 3
    assert response.content.count(b' data-depth="') == 12
