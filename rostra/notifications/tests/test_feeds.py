"""Atom feeds of comments for the site, an article and replies to one commenter."""

from xml.etree import ElementTree

import pytest

from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import guest, post
from rostra.notifications.feeds import replies_feed_token
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def titles(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = ElementTree.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


def test_site_article_and_reply_feeds(client, section):
    first = make_article(section, "First")
    second = make_article(section, "Second")
    me = guest("me")
    mine = post(thread_for_article(first), me, body="Mine", name="Me")
    post(thread_for_article(first), body="Reply to me", name="Bea", parent_id=mine.pk)
    post(thread_for_article(second), body="Elsewhere", name="Cy")

    assert titles(client, "/notifications/feeds/comments/") == [
        "Cy on “Second”", "Bea on “First”", "Me on “First”",
    ]  # fmt: skip
    assert titles(client, f"/notifications/feeds/articles/{second.pk}/") == ["Cy on “Second”"]
    token = replies_feed_token(me.key)
    assert titles(client, f"/notifications/feeds/replies/{token}/") == ["Bea on “First”"]


def test_forged_reply_feed_address_is_404(client, db):
    assert client.get("/notifications/feeds/replies/forged-token/").status_code == 404
