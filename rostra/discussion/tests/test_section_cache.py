"""The comment section's shared cards (discussion.card_cache): built once per thread
version and kept for every reader, changed by every kind of write, and never holding one
reader's own state (a held comment, Edit and Delete, their votes) for another."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import formats, timezone, translation

from rostra.discussion import card_cache, services, views
from rostra.discussion.cards import CardScheme
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.discussion.tests.test_cards import LIST, _cards
from rostra.discussion.versions import thread_version_bump

pytestmark = pytest.mark.django_db


def _page(client: Client, article, query: str = "") -> str:
    response = client.get(article.url + query)
    assert response.status_code == 200
    return response.content.decode()


def _shown_cards(html: str) -> str:
    """The page's cards; none when no comment is left to list."""
    return _cards(html) if LIST in html else ""


def _as_guest(article, body: str, name: str) -> tuple[Client, Comment]:
    """A reader without JavaScript who posts through the form (and so has a guest
    cookie); their client and their comment."""
    client = Client()
    response = client.post(f"/comments/articles/{article.pk}/post/", {"body": body, "name": name})
    assert response.status_code == 302
    return client, Comment.objects.get(body_source=body)


def test_the_shared_cards_change_after_each_kind_of_write(client, article, thread):
    """A reader who keeps reloading sees each post, edit, deletion, moderation decision
    and vote at once: every one moves the thread's version, which the cached cards are
    only used with."""
    author = guest("Ines")
    comment = post(thread, author, body="Tide is late.", name="Ines")

    def changed(write, *, shows=(), hides=()):
        before = _shown_cards(_page(client, article))
        assert _shown_cards(_page(client, article)) == before, "the same until a write"
        write()
        after = _shown_cards(_page(client, article))
        for text in shows:
            assert text in after and text not in before, text
        for text in hides:
            assert text in before and text not in after, text

    changed(lambda: post(thread, body="Second one.", name="Olu"), shows=["Second one."])
    changed(
        lambda: services.comment_edit(
            comment=comment, viewer=author, policy=TEST_POLICY, body="Tide is early."
        ),
        shows=["Tide is early.", "comment__edited"],
    )
    second = Comment.objects.get(body_source="Second one.")
    changed(
        lambda: services.comment_vote(comment=second, viewer=guest(), policy=TEST_POLICY, value=1),
        shows=['aria-label="Score 1"'],
    )
    changed(
        lambda: services.comment_moderate(
            comments=[second], viewer=staff(), status=CommentStatus.REMOVED
        ),
        hides=["Second one."],
    )
    changed(
        lambda: services.comment_delete(comment=comment, viewer=author, policy=TEST_POLICY),
        hides=["Tide is early."],
    )


def test_an_htmx_answer_to_a_change_shows_it_with_a_warm_cache(article, thread):
    """The section htmx gets back after a post, vote or deletion has the change in it,
    though the cards of the version before were cached a moment earlier."""
    post(thread, body="Already here.", name="Ama")
    reader = Client()
    hx = {"HX-Request": "true"}
    assert "1 Comment<" in _page(reader, article)
    form = {"body": "Fresh words.", "name": "Ola"}
    answer = reader.post(f"/comments/articles/{article.pk}/post/", form, headers=hx)
    answer = answer.content.decode()
    assert "Fresh words." in answer and "2 Comments<" in answer
    fresh = Comment.objects.get(body_source="Fresh words.")
    _page(reader, article)
    answer = reader.post(f"/comments/{fresh.pk}/delete/", headers=hx).content.decode()
    assert "Fresh words." not in answer and "1 Comment<" in answer


def _state_of(html: str, comment: Comment) -> dict:
    """What a page shows of one reader's own state on `comment`."""
    card = re.search(rf'<li class="[^"]*" id="comment-{comment.pk}".*?</article>', html, re.DOTALL)
    return {
        "shown": card is not None,
        "held": card is not None and "Awaiting moderation" in card.group(),
        "editable": f"?edit={comment.pk}" in html,
        "voted": card is not None and 'aria-pressed="true"' in card.group(),
    }


def test_no_reader_sees_another_readers_own_state(article, thread):
    """Two readers without JavaScript and one without cookies, on the same version with a
    warm cache, in either order: each sees their own held comment, their Edit and
    Delete and their pressed vote, and nobody else's."""
    ana, ana_comment = _as_guest(article, "Ana's words.", "Ana")
    ben, ben_comment = _as_guest(article, "Ben's words.", "Ben")
    ana.post(f"/comments/{ben_comment.pk}/vote/", {"value": "1"})
    ben.post(f"/comments/{ana_comment.pk}/vote/", {"value": "-1"})
    ana.post(f"/comments/articles/{article.pk}/post/", {"body": "Ana waits.", "name": "Ana"})
    held = Comment.objects.get(body_source="Ana waits.")
    services.comment_moderate(comments=[held], viewer=staff(), status=CommentStatus.PENDING)
    anonymous = Client()

    for order in ((ben, anonymous, ana), (ana, ben, anonymous)):
        pages = {id(reader): _page(reader, article) for reader in order}
        ana_page, ben_page, public = pages[id(ana)], pages[id(ben)], pages[id(anonymous)]
        assert _state_of(ana_page, held) == {
            "shown": True, "held": True, "editable": True, "voted": False
        }  # fmt: skip
        assert _state_of(ana_page, ana_comment)["editable"]
        assert _state_of(ana_page, ben_comment)["voted"]
        assert not _state_of(ana_page, ben_comment)["editable"]
        assert not _state_of(ana_page, ana_comment)["voted"]

        assert not _state_of(ben_page, held)["shown"]
        assert _state_of(ben_page, ben_comment)["editable"]
        assert _state_of(ben_page, ana_comment)["voted"]
        assert not _state_of(ben_page, ana_comment)["editable"]
        assert not _state_of(ben_page, ben_comment)["voted"]

        assert not _state_of(public, held)["shown"]
        assert "?edit=" not in public and 'aria-pressed="true"' not in public
        assert 'value="" data-form-token' in public, "no token on a page for everyone"
        assert "2 Comments" in public
        assert "3 Comments" in ana_page, "the author's count has their held comment"


def test_a_reader_without_javascript_sees_their_held_comment_and_can_change_it(article, thread):
    """Their held comment is on the page they get back, with Edit and Delete as forms that
    work without JavaScript (carrying a real form token)."""
    post(thread, body="Someone else's.", name="Zed")
    reader, comment = _as_guest(article, "Hold me.", "Held")
    services.comment_moderate(comments=[comment], viewer=staff(), status=CommentStatus.PENDING)
    html = _page(reader, article)
    state = _state_of(html, comment)
    assert state["held"] and state["editable"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token is not None
    assert f'action="/comments/{comment.pk}/delete/"' in html
    edit_form = _page(reader, article, f"?edit={comment.pk}")
    assert ">Hold me.</textarea>" in edit_form


def test_a_vote_form_on_a_personal_page_carries_the_readers_token(article, thread):
    """The shared vote forms have an empty token field; a reader whose page is personal
    (they have a cookie) gets them filled, so voting works without JavaScript."""
    post(thread, body="Vote on me.", name="Vic")
    reader, _ = _as_guest(article, "I was here.", "Ray")
    html = _page(reader, article)
    assert 'value="" data-form-token' not in html
    fields = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)" data-form-token', html)
    assert len(fields) >= 2 and all(fields)


def test_labels_like_five_minutes_ago_read_true_in_every_answer_from_the_cache(article, thread):
    """The cached cards are used as they are, and each answer has its own “… ago”."""
    post(thread, body="Just posted.", now=timezone.now() - timedelta(seconds=20))
    arguments = {"sort": "newest", "page": 1, "page_size": 30, "show_all": False}
    reader = card_cache.Reader(viewer=None, policy=TEST_POLICY)
    now = CardScheme(article.url, replies_open=True)
    later = CardScheme(article.url, True, now=now.now + timedelta(seconds=50))
    first = card_cache.reader_cards(thread, reader, scheme=now, **arguments)
    second = card_cache.reader_cards(thread, reader, scheme=later, **arguments)
    assert second.shared.built is first.shared.built or (
        second.shared.built.pieces == first.shared.built.pieces
    ), "the same cached cards"
    assert ">just now</time>" in first.html
    assert ">1\xa0minute ago</time>" in second.html


def test_view_all_with_htmx_pages_in_as_the_reader_scrolls(client, article, thread, monkeypatch):
    """“View all comments” with htmx answers with the first top-level comments and a
    link that loads the next ones when it scrolls into view, until the last; without
    JavaScript the same address shows them all at once."""
    monkeypatch.setattr(views, "VIEW_ALL_STEP", 2)
    start = timezone.now() - timedelta(minutes=10)
    for n in range(5):
        root = post(thread, body=f"Root {n}.", now=start + timedelta(seconds=n))
    post(thread, body="A reply.", parent_id=root.pk)
    hx = {"HX-Request": "true"}
    first = client.get(f"/comments/articles/{article.pk}/?call=1", headers=hx).content.decode()
    assert re.findall(r"Root \d", first) == ["Root 4", "Root 3"]
    more = re.search(r'hx-get="([^"]+)"\s+hx-trigger="revealed, click"', first)
    assert "A reply." in first
    seen = []
    while more:
        answer = client.get(more.group(1).replace("&amp;", "&"), headers=hx).content.decode()
        seen += re.findall(r"Root \d", answer)
        more = re.search(r'hx-get="([^"]+)"\s+hx-trigger="revealed, click"', answer)
    assert seen == ["Root 2", "Root 1", "Root 0"]
    everything = _page(client, article, "?call=1")
    assert re.findall(r"Root \d", everything) == [f"Root {n}" for n in (4, 3, 2, 1, 0)]
    assert "Show more comments" not in everything


def test_an_entry_that_cannot_be_read_is_built_again(client, article, thread):
    """An entry in another format (an older release's, or damaged) counts as missing."""
    from django.core.cache import cache

    post(thread, body="Still shown.")
    _page(client, article)
    keys = [key for key in cache._cache if card_cache.CACHE_PREFIX in key]  # locmem's own
    assert keys
    for key in keys:
        cache.set(key.split(":", 2)[2], b"not an entry")
    assert "Still shown." in _page(client, article)


def test_cards_built_for_a_german_page_never_answer_an_english_one(article, thread):
    """The shared cards hold words and dates of the language they were built in (Django's
    own German catalog names the months and the “… ago” units) and are kept per
    language: a German page's cards are never an English reader's, nor the reverse."""
    comment = post(thread, body="Tide is late.")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(days=40))
    thread_version_bump(thread.pk)
    thread.refresh_from_db()

    def shared_html(language: str) -> str:
        with translation.override(language):
            scheme = CardScheme(article.url, replies_open=True)
            shared = card_cache.shared_cards(
                thread, sort="newest", page=1, page_size=30, show_all=False, scheme=scheme
            )
            local = Comment.objects.get(pk=comment.pk).created_at.astimezone(scheme.zone)
            title = formats.date_format(local, "DATETIME_FORMAT")
        html = "".join(shared.built.pieces)
        assert f'title="{title}"' in html, (language, title)
        return html

    german = shared_html("de")
    assert "\xa0Monat" in german and "ago" not in german
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>Changed unseen.</p>")
    english = shared_html("en")
    assert "Changed unseen." in english, "built for English, not the German entry"
    assert ">1\xa0month ago</time>" in english
    assert "Tide is late." in shared_html("de"), "the German entry is still the German one"
