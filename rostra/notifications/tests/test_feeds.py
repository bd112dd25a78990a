"""Atom feeds of comments for the site, an article and replies to one commenter."""

import re
from xml.etree import ElementTree

import pytest
from django.utils import translation

from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import guest, post
from rostra.notifications.feeds import replies_feed_token
from rostra.notifications.services import manage_token
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


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


def _feed_link(html: str) -> str:
    return re.search(r'href="(/notifications/feeds/replies/[^"]+/)"', html).group(1)


def test_reader_resets_the_private_replies_feed_address(client, section):
    """“Reset my private feed address” on the subscriptions page retires every address
    given out before (404) and the new address, shown there and under comments, works."""
    from django.contrib.auth import get_user_model

    from rostra.discussion.identity import Viewer

    article = make_article(section, "First")
    user = get_user_model().objects.create_user("una", "una@example.org", "pw-123-long")
    me = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name="una", email=user.email)
    mine = post(thread_for_article(article), me, body="Mine")
    post(thread_for_article(article), body="Reply to me", name="Bea", parent_id=mine.pk)
    client.force_login(user)
    old = _feed_link(client.get(article.url).content.decode())
    assert titles(client, old) == ["Bea on “First”"]

    manage = f"/notifications/manage/{manage_token(user.email)}/"
    assert "Reset my private feed address" in client.get(manage).content.decode()
    client.post(manage, {"action": "reset_feed"})
    assert client.get(old).status_code == 404
    for new in (
        _feed_link(client.get(manage).content.decode()),
        _feed_link(client.get(article.url).content.decode()),
    ):
        assert new != old and titles(client, new) == ["Bea on “First”"]


def test_guest_resets_the_feed_from_the_link_in_an_email(client, section):
    """A guest who follows replies can reset their feed address from the subscriptions
    page of their e-mail link, in any browser."""
    from django.test import Client
    from django.utils import timezone

    from rostra.notifications.models import Subscription
    from rostra.notifications.services import subscription_request

    article = make_article(section, "First")
    me = guest("me")
    subscription_request(email="me@example.org", kind="replies", author_key=me.key,
                         thread=thread_for_article(article))  # fmt: skip
    Subscription.objects.update(confirmed_at=timezone.now())
    old = f"/notifications/feeds/replies/{replies_feed_token(me.key)}/"
    assert client.get(old).status_code == 200
    Client().post(f"/notifications/manage/{manage_token('me@example.org')}/",
                  {"action": "reset_feed"})  # fmt: skip
    assert client.get(old).status_code == 404
    new = f"/notifications/feeds/replies/{replies_feed_token(me.key)}/"
    assert new != old and client.get(new).status_code == 200


def test_feed_addresses_from_before_resets_existed_work_until_a_reset(client, db):
    """Addresses given out before they could be reset keep working until the first reset."""
    from django.core import signing

    from rostra.notifications.feeds import REPLIES_FEED_SALT
    from rostra.notifications.services import replies_feed_reset

    me = guest("me")
    legacy = f"/notifications/feeds/replies/{signing.dumps(me.key, salt=REPLIES_FEED_SALT)}/"
    assert client.get(legacy).status_code == 200
    replies_feed_reset(email="me@example.org", viewer_key=me.key)
    assert client.get(legacy).status_code == 404


def test_feeds_declare_the_sites_language(client, settings):
    """A site run in German (LANGUAGE_CODE=de) declares its feeds German: xml:lang="de"."""
    settings.LANGUAGE_CODE = "de"
    with translation.override("de"):
        response = client.get("/notifications/feeds/comments/")
    assert response.status_code == 200
    assert ElementTree.fromstring(response.content).get(XML_LANG) == "de"
