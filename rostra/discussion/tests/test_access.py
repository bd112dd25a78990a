"""Comments follow their article: while the article is not live and public, its thread is
invisible and closed to readers on every entry point (API, forms, feeds, live updates,
permalinks, subscriptions), and nothing shows its headline.

Each hidden state is checked against every entry point, with a live public article as
the control that the same requests succeed when the rule allows them.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.signing import get_cookie_signer
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from rostra.discussion.identity import GUEST_COOKIE, GUEST_COOKIE_SALT, Viewer, guest_key
from rostra.discussion.inline import article_text
from rostra.discussion.models import Comment, Thread, Vote
from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import guest, post
from rostra.notifications.feeds import replies_feed_token
from rostra.notifications.models import Subscription
from rostra.publishing.models import ArticlePage
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db

HEADLINE = "Minister quietly sells the harbour"
SECRET = "Only readers of the article should read this"
REPLY = "A reply hidden with its article"


def guest_client(token: str) -> Client:
    """A browser holding the signed guest cookie of `guest_key(token)`."""
    client = Client()
    signer = get_cookie_signer(salt=GUEST_COOKIE + GUEST_COOKIE_SALT)
    client.cookies[GUEST_COOKIE] = signer.sign(token)
    return client


@dataclass
class Scene:
    article: ArticlePage
    article_id: int
    thread: Thread
    comment: Comment  # written by `author`
    reply: Comment  # someone else's answer to it
    author: Client
    reader: Client
    replies_token: str

    @property
    def key(self) -> str:
        return f"article:{self.article_id}"


def _restrict(page, restriction_type: str) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page,
        restriction_type=restriction_type,
        password="open sesame" if restriction_type == PageViewRestriction.PASSWORD else "",
    )
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Members"))


def _expire(article, *, run_scheduler: bool) -> None:
    article.expire_at = timezone.now() - timedelta(minutes=1)
    article.save(update_fields=["expire_at"])
    if run_scheduler:
        call_command("publish_scheduled", verbosity=0)


# What turns a public article with comments into each state. "draft" articles were never
# published (their comments came in before this rule, or from an import).
STATES = {
    "draft": lambda article, section: None,
    "unpublished": lambda article, section: article.unpublish(),
    "expired": lambda article, section: _expire(article, run_scheduler=True),
    "past expiry date": lambda article, section: _expire(article, run_scheduler=False),
    "sign-in required": lambda article, section: _restrict(article, PageViewRestriction.LOGIN),
    "password": lambda article, section: _restrict(article, PageViewRestriction.PASSWORD),
    "groups only": lambda article, section: _restrict(article, PageViewRestriction.GROUPS),
    "private section": lambda article, section: _restrict(section, PageViewRestriction.LOGIN),
    "deleted": lambda article, section: article.delete(),
}


def make_scene(section, state: str | None) -> Scene:
    article = make_article(section, HEADLINE, text="The harbour was sold.", live=state != "draft")
    thread = thread_for_article(article)
    author = Viewer(key=guest_key("author-token"), ip_hash="ip-author")
    comment = post(thread, author, body=SECRET, name="Author")
    reply = post(thread, guest("other"), body=REPLY, name="Other", parent_id=comment.pk)
    article_id = article.pk
    if state is not None:
        STATES[state](article, section)
    return Scene(
        article=article,
        article_id=article_id,
        thread=thread,
        comment=comment,
        reply=reply,
        author=guest_client("author-token"),
        reader=Client(),
        replies_token=replies_feed_token(author.key),
    )


def _passage_query(scene: Scene) -> dict:
    if scene.article.pk is None:
        return {}
    block_id, text = article_text(scene.article).blocks[0]
    return {"block": block_id, "start": 0, "end": len(text)}


@dataclass(frozen=True)
class Entry:
    """One way in. `shows` is the text a reader gets when the thread is readable; a
    `listing` answers 200 either way and must simply leave hidden comments out."""

    name: str
    call: object
    allowed_status: int
    shows: str = ""
    listing: bool = False


def _json(send, path: str, data: dict | None = None):
    return send(path, data, content_type="application/json")


def _new(scene: Scene, **extra) -> dict:
    """A new comment (or with `parent`, a reply) as the forms and the API take it."""
    return {"thread": scene.key, "body": "New one", "name": "Ana", **extra}


def _articles(scene: Scene, rest: str = "") -> str:
    return f"/comments/articles/{scene.article_id}/{rest}"


def _comments(scene: Scene, rest: str = "") -> str:
    return f"/comments/{scene.comment.pk}/{rest}"


API_COMMENT = "/api/comments/{}"
FEEDS = "/notifications/feeds/"

ENTRIES = [
    Entry("API list", lambda s: s.reader.get("/api/comments", {"thread": s.key}), 200, SECRET),
    Entry("API list, all",
          lambda s: s.reader.get("/api/comments", {"thread": s.key, "all": "true"}), 200, SECRET),
    Entry("API post", lambda s: _json(s.reader.post, "/api/comments", _new(s)), 201),
    Entry("API reply",
          lambda s: _json(s.reader.post, "/api/comments", _new(s, parent=s.comment.pk)), 201),
    Entry("API edit",
          lambda s: _json(s.author.patch, API_COMMENT.format(s.comment.pk), {"body": "Edit"}), 200),
    Entry("API delete", lambda s: s.author.delete(API_COMMENT.format(s.comment.pk)), 204),
    Entry("API vote",
          lambda s: _json(s.reader.post, API_COMMENT.format(f"{s.comment.pk}/vote"), {"value": 1}),
          200),
    Entry("API counts", lambda s: s.reader.get("/api/counts", {"thread": s.key}), 200, '":2}',
          listing=True),
    Entry("section", lambda s: s.reader.get(_articles(s)), 200, SECRET),
    Entry("view all", lambda s: s.reader.get(_articles(s), {"call": "1"}), 200, SECRET),
    Entry("inline tab", lambda s: s.reader.get(_articles(s), {"view": "inline"}), 200),
    Entry("passage", lambda s: s.reader.get(_articles(s, "passage/"), _passage_query(s)), 200),
    Entry("sort", lambda s: s.reader.get(_articles(s, "sort/oldest/")), 302),
    Entry("post form", lambda s: s.reader.post(_articles(s, "post/"), _new(s)), 302),
    Entry("reply form",
          lambda s: s.reader.post(_articles(s, "post/"), _new(s, parent=s.comment.pk)), 302),
    Entry("permalink", lambda s: s.reader.get(_comments(s)), 302),
    Entry("vote form", lambda s: s.reader.post(_comments(s, "vote/"), {"value": 1}), 302),
    Entry("edit form", lambda s: s.author.post(_comments(s, "edit/"), {"body": "Edit"}), 302),
    Entry("delete form", lambda s: s.author.post(_comments(s, "delete/")), 302),
    Entry("site feed", lambda s: s.reader.get(f"{FEEDS}comments/"), 200, SECRET, listing=True),
    Entry("article feed",
          lambda s: s.reader.get(f"{FEEDS}articles/{s.article_id}/"), 200, SECRET),
    Entry("replies feed", lambda s: s.author.get(f"{FEEDS}replies/{s.replies_token}/"), 200,
          REPLY, listing=True),
    Entry("subscribe",
          lambda s: s.reader.post(f"/notifications/subscribe/{s.article_id}/",
                                  {"kind": "thread", "email": "ana@example.org"}), 302),
    Entry("live poll", lambda s: s.reader.get(f"/live/articles/{s.article_id}/poll/"), 200,
          '"kind": "comment"'),
    Entry("live stream", lambda s: s.reader.get(f"/live/articles/{s.article_id}/"), 200),
]  # fmt: skip


def _state_of_the_discussion() -> tuple:
    return (
        sorted(Comment.objects.values_list("pk", "body_source", "deleted_at", "upvotes")),
        Vote.objects.count(),
        Thread.objects.count(),
        Subscription.objects.count(),
    )


def _body(response) -> str:
    if response.streaming:
        response.close()  # an open event stream: its status is all we need
        return ""
    return response.content.decode()


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_a_hidden_articles_discussion_is_closed_on_every_entry_point(section, entry, state):
    """Not found (or left out of the list), nothing changed, and neither the comments nor
    the article's headline shown."""
    scene = make_scene(section, state)
    before = _state_of_the_discussion()
    response = entry.call(scene)
    body = _body(response)
    if entry.listing:
        assert response.status_code == 200, body
        if entry.name == "API counts":
            assert response.json() == {scene.key: 0}
    else:
        assert response.status_code == 404, body
    assert SECRET not in body and REPLY not in body
    assert HEADLINE not in body
    assert _state_of_the_discussion() == before


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_a_live_public_articles_discussion_is_open_on_every_entry_point(section, entry):
    """The control: the same requests on a live public article succeed."""
    scene = make_scene(section, None)
    response = entry.call(scene)
    body = _body(response)
    assert response.status_code == entry.allowed_status, body
    assert entry.shows in body


def test_the_page_of_a_private_article_shows_no_discussion(client, section, django_user_model):
    """A signed-in reader may open a sign-in-only article, but its comments stay hidden
    and no comment form is offered."""
    scene = make_scene(section, "sign-in required")
    client.force_login(django_user_model.objects.create_user("bea", "bea@example.org", "pw"))
    response = client.get(scene.article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert SECRET not in html and REPLY not in html
    assert 'id="composer"' not in html
    assert "Comments are not available on this article." in html


def test_the_page_of_an_article_past_its_expiry_date_shows_no_discussion(client, section):
    """Until Wagtail's scheduler unpublishes it, an expired article may still be served;
    its discussion is already closed."""
    scene = make_scene(section, "past expiry date")
    html = client.get(scene.article.url).content.decode()
    assert SECRET not in html
    assert 'id="composer"' not in html


def test_feeds_name_the_article_by_its_current_headline(client, section):
    """A changed headline replaces the old one in comment feeds: the headline the thread
    was created under is not published again."""
    scene = make_scene(section, None)
    scene.article.title = "Harbour sale: the minister's account"
    scene.article.save_revision().publish()
    for url in (
        f"/notifications/feeds/articles/{scene.article_id}/",
        "/notifications/feeds/comments/",
    ):
        feed = client.get(url).content.decode()
        assert HEADLINE not in feed
        assert "the minister's account" in feed


def test_embed_threads_stay_readable(client):
    """A thread not about an article of this site (e.g. imported from Disqus for another
    page) has no article state to follow: readers see it."""
    thread = Thread.objects.create(key="https://old.example.org/2019/tides/", title="Tides")
    post(thread, body="From the old site")
    listed = client.get("/api/comments", {"thread": thread.key})
    assert listed.status_code == 200
    assert listed.json()["total_comments"] == 1
    assert "From the old site" in client.get("/notifications/feeds/comments/").content.decode()


def test_unpublishing_closes_a_discussion_already_under_way(client, section):
    """Comments written while the article was public disappear with it, and come back
    when it is published again."""
    scene = make_scene(section, None)
    assert client.get("/api/comments", {"thread": scene.key}).status_code == 200
    scene.article.unpublish()
    assert client.get("/api/comments", {"thread": scene.key}).status_code == 404
    scene.article.save_revision().publish()
    assert client.get("/api/comments", {"thread": scene.key}).json()["total_comments"] == 2


def test_a_pending_comments_permalink_does_not_reveal_its_article(section):
    """Only its author (and staff, in the admin) learn where a comment awaiting
    moderation was written."""
    scene = make_scene(section, None)
    Comment.objects.filter(pk=scene.comment.pk).update(status="pending")
    assert scene.reader.get(f"/comments/{scene.comment.pk}/").status_code == 404
    own = scene.author.get(f"/comments/{scene.comment.pk}/")
    assert own.status_code == 302 and own["Location"].startswith(scene.article.url)


def test_staff_still_moderate_a_hidden_articles_comments_in_the_admin(section, django_user_model):
    scene = make_scene(section, "unpublished")
    editor = Client()
    editor.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    # The list opens on what needs attention; "any status" shows the published ones too.
    listing = editor.get("/admin/snippets/discussion/comment/?status=any")
    assert SECRET in listing.content.decode()
    response = editor.post(f"/admin/bulk/discussion/comment/spam/?id={scene.comment.pk}", {})
    assert response.status_code == 302
    assert Comment.objects.get(pk=scene.comment.pk).status == "spam"


def test_export_still_holds_a_hidden_articles_comments(section):
    """`rostra export` is for the outlet's staff: hidden discussions go out too."""
    from rostra.transfer.exporter import archive_lines

    make_scene(section, "sign-in required")
    assert any(SECRET in line for line in archive_lines())


def test_the_thread_api_finds_a_readable_articles_thread_alone(section):
    """`thread_of_readable_article` (the thread API's reads, which need no page object):
    the thread of a live public article; None before its first comment and for each
    state in which readers may not see the article, as `article_for_reader`."""
    from rostra.discussion.selectors import article_for_reader, thread_of_readable_article

    article = make_article(section, "Open story")
    assert thread_of_readable_article(article.pk) is None
    thread = thread_for_article(article)
    assert thread_of_readable_article(article.pk) == thread
    for state in STATES:
        scene = make_scene(section, state)
        if scene.article.pk is not None:
            assert article_for_reader(scene.article.pk) is None
            assert thread_of_readable_article(scene.article.pk) is None


@pytest.fixture
def pages_built():
    """The Wagtail pages (of any kind) whose objects are built while the test runs."""
    from django.db.models.signals import post_init
    from wagtail.models import Page

    built = []

    def count(sender, **kwargs):
        if issubclass(sender, Page):
            built.append(sender)

    post_init.connect(count, dispatch_uid="pages_built")
    yield built
    post_init.disconnect(dispatch_uid="pages_built")


def test_the_apis_writes_find_comment_and_thread_without_building_a_page(section, pages_built):
    """A vote finds its comment, and a post its existing thread, under the access rule
    without a Wagtail page object (about 0.3 ms each): the thread carries its article's
    publication time, all that deciding whether it is still open needs."""
    from rostra.discussion.api.access import thread_named
    from rostra.discussion.selectors import ARTICLE_PUBLISHED_AT

    article = make_article(section, "Open story")
    first, comment = (post(thread_for_article(article), guest("Author")) for _ in range(2))
    client = Client()
    client.get("/api/csrf")
    token = client.cookies["csrftoken"].value
    # The site's discussion settings made and read once, as on any site in use.
    for value in (1, 0):
        vote = {"value": value}
        client.post(
            f"/api/comments/{first.pk}/vote", vote, "application/json", HTTP_X_CSRFTOKEN=token
        )
    pages_built.clear()
    answer = client.post(
        f"/api/comments/{comment.pk}/vote",
        {"value": 1},
        "application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert answer.status_code == 200, answer.content
    thread = thread_named(f"article:{article.pk}", create=True)
    assert thread.pk == comment.thread_id
    assert getattr(thread, ARTICLE_PUBLISHED_AT) == article.published_at
    assert pages_built == []


def test_voting_through_the_api_closes_when_the_article_is_older_than_the_setting(section):
    """With discussions closing some days after publication, the API refuses a vote on an
    older article's comment (read from the thread's copy of the publication time) and
    takes one on a newer article's."""
    from wagtail.models import Site

    from rostra.discussion.models import DiscussionSettings

    settings = DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    settings.close_after_days = 1
    settings.save()
    old = make_article(section, "Old story", published_at=timezone.now() - timedelta(days=2))
    new = make_article(section, "New story")
    client = Client()
    client.get("/api/csrf")
    token = client.cookies["csrftoken"].value
    answers = {
        article.title: client.post(
            f"/api/comments/{post(thread_for_article(article), guest('A')).pk}/vote",
            {"value": 1},
            "application/json",
            HTTP_X_CSRFTOKEN=token,
        )
        for article in (old, new)
    }
    assert answers["Old story"].status_code == 403
    assert answers["Old story"].json()["error"] == "Voting on this article is closed."
    assert answers["New story"].status_code == 200
