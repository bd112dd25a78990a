"""Pages a proxy can cache (#14 item 5): no cookie for anonymous readers, validators that
change with every visible change, 304 answers, private pages for anyone with state."""

import gzip
import re

import brotli
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from rostra.discussion import services
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


@pytest.fixture
def tagged(section):
    return make_article(section, "Tide tables", tags=("harbour",))


def _page_urls(home, section, article):
    return [
        "/",
        section.url,
        article.url,
        "/tags/harbour/",
        "/feeds/atom/",
        "/feeds/rss/",
        f"{section.url}feed/atom/",
        f"/notifications/feeds/articles/{article.pk}/",
    ]


def _validator_headers(response) -> dict:
    if response.has_header("ETag"):
        return {"If-None-Match": response["ETag"]}
    return {"If-Modified-Since": response["Last-Modified"]}


def test_anonymous_pages_set_no_cookie_and_may_be_kept_by_a_proxy(home, section, tagged, thread):
    """Every kind of public page answers an anonymous reader without Set-Cookie or
    Vary: Cookie, with Cache-Control public (shared caches keep it, browsers revalidate)
    and a validator."""
    post(thread, body="A first comment.")
    for url in _page_urls(home, section, thread.article):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "cookie" not in response.get("Vary", "").lower(), url
        cache_control = response["Cache-Control"]
        assert "public" in cache_control, url
        assert "s-maxage=60" in cache_control and "max-age=0" in cache_control, url
        assert response.has_header("ETag") or response.has_header("Last-Modified"), url


def test_a_second_get_with_the_validator_is_answered_304(home, section, tagged, thread):
    """A cache that revalidates with If-None-Match (or If-Modified-Since) gets a bodiless
    304 while nothing changed."""
    post(thread, body="A first comment.")
    for url in _page_urls(home, section, thread.article):
        first = Client().get(url)
        again = Client().get(url, headers=_validator_headers(first))
        assert again.status_code == 304, url
        assert not again.content, url


def test_feeds_honour_if_modified_since(section, tagged):
    """Feed readers that only send If-Modified-Since get a 304 while nothing changed."""
    first = Client().get("/feeds/atom/")
    again = Client().get("/feeds/atom/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert again.status_code == 304


def _etag_and_html(article):
    response = Client().get(article.url)
    assert response.status_code == 200
    return response["ETag"], response.content.decode()


def test_the_validator_changes_with_every_visible_change(article, thread):
    """Posting, editing, voting, deleting, moderating and publishing each give the article
    page a new validator, and the page shows the change."""
    author = guest("Ana")
    seen = [None]

    def changed(expected_text=None, *, absent_text=None):
        etag, html = _etag_and_html(article)
        assert etag != seen[-1], "the validator did not change"
        seen.append(etag)
        if expected_text:
            assert expected_text in html
        if absent_text:
            assert absent_text not in html
        return html

    changed()
    comment = post(thread, author, body="Tide comes early.", name="Ana")
    changed("Tide comes early.")
    services.comment_edit(comment=comment, viewer=author, policy=TEST_POLICY, body="Tide is late.")
    changed("Tide is late.")
    services.comment_vote(comment=comment, viewer=guest(), policy=TEST_POLICY, value=1)
    changed('aria-label="Score 1"')
    services.comment_moderate(
        comments=Comment.objects.filter(pk=comment.pk), viewer=staff(), status=CommentStatus.SPAM
    )
    changed(absent_text="Tide is late.")
    services.comment_moderate(
        comments=Comment.objects.filter(pk=comment.pk),
        viewer=staff(),
        status=CommentStatus.APPROVED,
    )
    changed("Tide is late.")
    comment.refresh_from_db()
    services.comment_delete(comment=comment, viewer=author, policy=TEST_POLICY)
    changed(absent_text="Tide is late.")
    article.title = "Harbour road reopens"
    revision = article.save_revision()
    revision.publish()
    changed("Harbour road reopens")


def test_a_signed_in_readers_page_is_private_and_shows_their_state(article, thread):
    """A signed-in reader gets Cache-Control private, no-cache and their own comment's
    Edit control, with a form token in the page."""
    user = get_user_model().objects.create_user("mira", "mira@example.org", "pw-long-enough-1")
    client = Client()
    client.force_login(user)
    client.post(
        f"/comments/articles/{article.pk}/post/", {"body": "Mine.", "started": ""}, follow=False
    )
    comment = Comment.objects.get(body_source="Mine.")
    response = client.get(article.url)
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    html = response.content.decode()
    assert f"?edit={comment.pk}" in html
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', html)
    anonymous = Client().get(article.url)
    assert f"?edit={comment.pk}" not in anonymous.content.decode()


def test_a_guest_with_a_cookie_gets_private_pages(article, thread):
    """A guest who has posted (rostra_guest cookie) sees their own state: never public."""
    client = Client()
    client.post(f"/comments/articles/{article.pk}/post/", {"body": "Guest post.", "name": "Gus"})
    assert "rostra_guest" in client.cookies
    response = client.get(article.url)
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def _composer_fields(html: str) -> dict:
    assert 'name="csrfmiddlewaretoken"' in html
    return {"body": "My first words here.", "name": "Noa", "email": "", "website": ""}


def test_a_reader_without_javascript_can_post_from_a_cookieless_page(article, thread):
    """Without JavaScript the first post from a cookieless page has no token: the reader
    gets the article back (403) with their text kept, a token and a clear notice; posting
    again succeeds."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(article.url)
    assert not client.cookies
    fields = _composer_fields(page.content.decode())
    refused = client.post(
        f"/comments/articles/{article.pk}/post/", fields, headers={"Origin": ORIGIN}
    )
    assert refused.status_code == 403
    html = refused.content.decode()
    assert ">My first words here.</textarea>" in html
    assert 'value="Noa"' in html
    assert "post again" in html.lower()
    assert not Comment.objects.exists()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    accepted = client.post(
        f"/comments/articles/{article.pk}/post/",
        {**fields, "csrfmiddlewaretoken": token},
        headers={"Origin": ORIGIN},
    )
    assert accepted.status_code == 302
    assert Comment.objects.get().body_source == "My first words here."


def test_a_post_from_another_site_is_refused_without_showing_the_form(article, thread):
    """A tokenless POST that does not come from the site's own pages is a plain 403."""
    client = Client(enforce_csrf_checks=True)
    refused = client.post(
        f"/comments/articles/{article.pk}/post/",
        {"body": "Forged.", "name": "X"},
        headers={"Origin": "https://evil.example"},
    )
    assert refused.status_code == 403
    assert "Forged." not in refused.content.decode()
    assert not client.cookies
    assert not Comment.objects.exists()


def test_a_tokenless_vote_without_javascript_asks_to_vote_again(article, thread):
    """A vote from a cookieless page without JavaScript gets a page with a token that
    offers the same vote again; nothing is counted until then."""
    comment = post(thread, body="Vote on me.")
    client = Client(enforce_csrf_checks=True)
    refused = client.post(
        f"/comments/{comment.pk}/vote/", {"value": "1"}, headers={"Origin": ORIGIN}
    )
    assert refused.status_code == 403
    html = refused.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert 'name="value" value="1"' in html
    comment.refresh_from_db()
    assert comment.score == 0
    client.post(
        f"/comments/{comment.pk}/vote/",
        {"value": "1", "csrfmiddlewaretoken": token},
        headers={"Origin": ORIGIN},
    )
    comment.refresh_from_db()
    assert comment.score == 1


@pytest.mark.parametrize(
    ("encoding", "decompress"), [("br", brotli.decompress), ("gzip", gzip.decompress)]
)
def test_html_and_json_are_compressed(article, thread, encoding, decompress):
    """Pages and JSON go out brotli- or gzip-compressed when the client accepts it."""
    for _ in range(5):
        post(thread, body="A comment long enough to be worth compressing, again and again.")
    for url in (article.url, f"/api/comments?thread=article:{article.pk}"):
        response = Client().get(url, headers={"Accept-Encoding": encoding})
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == encoding, url
        assert "Accept-Encoding" in response["Vary"]
        assert b"compressing" in decompress(response.content), url


def test_pages_carrying_a_form_token_are_never_brotli_compressed(article, thread):
    """BREACH: a personal page with a CSRF token in its body gets only Django's gzip,
    which pads each response by a random length (the token is masked per response too)."""
    user = get_user_model().objects.create_user("mira", "mira@example.org", "pw-long-enough-1")
    client = Client()
    client.force_login(user)
    response = client.get(article.url, headers={"Accept-Encoding": "br, gzip"})
    assert response["Content-Encoding"] == "gzip"
