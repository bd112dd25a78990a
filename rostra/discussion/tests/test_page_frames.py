"""A signed-in reader's article page from the page's frame (rostra.core.page_frames): the
same page as the full render, none of one reader's own state in another reader's page or
in the frame, the full render for readers who see more than everyone, and an exact
query budget."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from rostra.core import page_frames
from rostra.discussion import services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.testing import TEST_POLICY, post, staff

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')
HEADER_TOKEN = re.compile(r'("X-CSRFToken": ")([^"]*)(")')
FORM_CLOCK = re.compile(r'(name="started" value=")([^"]*)(")')
SIGNED_AT = re.compile(r"(:)([0-9A-Za-z]{6}:[A-Za-z0-9_-]{43})(/)")  # a signed link's time


@pytest.fixture(autouse=True)
def _no_frames():
    page_frames.page_frames.clear()
    yield
    page_frames.page_frames.clear()


def _signed_in(name: str) -> tuple[Client, Viewer]:
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "pw")
    client = Client()
    client.force_login(user)
    viewer = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name=name, email=user.email)
    return client, viewer


def _page(client: Client, article, query: str = "") -> str:
    response = client.get(article.url + query)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    return response.content.decode()


def _without_tokens(html: str) -> str:
    """The page with its form tokens (masked afresh for every field), the composer's
    clock and the signed links' times (when it was rendered) left out."""
    for pattern in (TOKEN, HEADER_TOKEN, FORM_CLOCK, SIGNED_AT):
        html = pattern.sub(r"\1…\3", html)
    return html


def _kept_frames() -> list[str]:
    return [copy.body.decode() for copy in page_frames.page_frames._copies.values()]


def test_the_page_from_the_frame_equals_the_full_render_for_a_voter(article, thread):
    """A reader who voted and wrote a comment still in its edit window: their second page
    comes from the frame and is the full render's page, modulo form tokens; every token
    field holds a token, so forms work without JavaScript."""
    others = [post(thread, body=f"Comment {n}.", name=f"Other {n}") for n in range(3)]
    client, ann = _signed_in("ann")
    services.comment_vote(comment=others[1], viewer=ann, policy=TEST_POLICY, value=1)
    own = post(thread, ann, body="Ann's own words.", name="ann")
    full = _page(client, article)
    assert len(_kept_frames()) == 1
    from_frame = _page(client, article)
    assert _without_tokens(from_frame) == _without_tokens(full)
    assert from_frame.count('aria-pressed="true"') == 1
    assert f"?edit={own.pk}" in from_frame
    assert all(token for _, token, _ in TOKEN.findall(from_frame))
    assert page_frames.START not in from_frame and page_frames.END not in from_frame


def test_no_reader_gets_another_readers_state_from_the_frame(article, thread):
    """The frame is rendered for Ann (her name, e-mail, votes, Edit and Delete, token);
    Ben's page from it shows his own and none of hers, and the frame holds none of it."""
    others = [post(thread, body=f"Comment {n}.", name=f"Other {n}") for n in range(2)]
    ann_client, ann = _signed_in("ann")
    ben_client, ben = _signed_in("ben")
    services.comment_vote(comment=others[0], viewer=ann, policy=TEST_POLICY, value=1)
    ann_comment = post(thread, ann, body="Ann's words.", name="ann")
    ben_comment = post(thread, ben, body="Ben's words.", name="ben")
    ann_page = _page(ann_client, article)
    ann_tokens = {token for _, token, _ in TOKEN.findall(ann_page)}
    ben_page = _page(ben_client, article)

    (frame,) = _kept_frames()
    for private in ("ann@example.org", ">ann<", 'aria-pressed="true"', "?edit=", *ann_tokens):
        assert private not in frame
    assert f"?edit={ben_comment.pk}" in ben_page
    assert f"?edit={ann_comment.pk}" not in ben_page
    assert 'aria-pressed="true"' not in ben_page
    assert '/accounts/email/">ben</a>' in ben_page
    assert '/accounts/email/">ann</a>' not in ben_page
    assert "ann@example.org" not in ben_page
    assert not ann_tokens & {token for _, token, _ in TOKEN.findall(ben_page)}
    assert _without_tokens(ben_page) == _without_tokens(_page(ben_client, article, "?full=1"))


def test_a_reader_with_a_held_comment_gets_the_full_render_and_no_frame_of_it(article, thread):
    """The author of a comment awaiting moderation sees it (and a count with it) in a
    page rendered whole for them; it becomes no frame, and the next reader's page from
    a frame shows neither."""
    post(thread, body="Everyone's.", name="Zed")
    held_client, held_reader = _signed_in("hal")
    held = post(thread, held_reader, body="Hal waits.", name="hal")
    services.comment_moderate(comments=[held], viewer=staff(), status=CommentStatus.PENDING)
    held_page = _page(held_client, article)
    assert "Hal waits." in held_page and "2 Comments" in held_page
    assert not _kept_frames()
    ben_client, _ = _signed_in("ben")
    _page(ben_client, article)
    ben_page = _page(ben_client, article)
    assert len(_kept_frames()) == 1
    assert "Hal waits." not in ben_page and "1 Comment" in ben_page
    again = _page(held_client, article)
    assert "Hal waits." in again and "2 Comments" in again


def test_a_moderator_gets_the_full_render(article, thread):
    """A moderator (by permission, without the staff flag) sees held comments: their
    page is rendered whole even when a frame is kept."""
    from rostra.discussion.services.roles import moderators_group_ensure

    post(thread, body="Everyone's.", name="Zed")
    held = post(thread, body="Held for review.", name="Hal")
    services.comment_moderate(comments=[held], viewer=staff(), status=CommentStatus.PENDING)
    ben_client, _ = _signed_in("ben")
    _page(ben_client, article)
    mod_client, moderator = _signed_in("mo")
    get_user_model().objects.get(pk=moderator.user_id).groups.add(moderators_group_ensure())
    assert "Held for review." in _page(mod_client, article)
    assert "Held for review." not in _page(ben_client, article)


def test_reply_to_and_edit_in_the_address_get_the_full_render(article, thread):
    """Without JavaScript, Reply and Edit are forms in the page: rendered whole."""
    client, ann = _signed_in("ann")
    own = post(thread, ann, body="Ann's words.", name="ann")
    _page(client, article)
    edit = _page(client, article, f"?edit={own.pk}")
    reply = _page(client, article, f"?reply_to={own.pk}")
    assert ">Ann&#x27;s words.</textarea>" in edit
    assert 'id="reply-form"' in reply
    assert len(_kept_frames()) == 1


def test_a_page_from_the_frame_costs_eleven_queries(
    client, article, thread, django_assert_num_queries
):
    """A signed-in reader who voted, from the frame: 1 the session, 2 the user, 3 the
    page's version (the frame is current); the comment section: 4 the article with its
    thread if readers may see it, 5 the discussion settings' version, 6-7 the reader's
    permissions (a moderator sees more), 8 whether the reader has a comment awaiting
    moderation here, 9 the reader's votes, 10 the live stream's start, 11 the replies
    feed's key. No page routing, page template, masthead or funding queries."""
    for n in range(3):
        post(thread, body=f"Comment {n}.", name=f"Other {n}")
    reader, ann = _signed_in("ann")
    comment = Comment.objects.filter(thread=thread).first()
    services.comment_vote(comment=comment, viewer=ann, policy=TEST_POLICY, value=1)
    client.get(article.url)  # the site's settings stored, the policy cached
    _page(reader, article)
    with django_assert_num_queries(11):
        html = _page(reader, article)
    assert html.count('aria-pressed="true"') == 1


def test_an_editor_without_staff_status_keeps_wagtails_user_bar(article, thread):
    """A reader who may use the admin (an editor, not staff) gets the page with
    Wagtail's user bar, rendered whole, even while another reader's frame is kept."""
    from django.contrib.auth.models import Permission

    ben_client, _ = _signed_in("ben")
    _page(ben_client, article)
    editor_client, editor = _signed_in("ed")
    get_user_model().objects.get(pk=editor.user_id).user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    assert "userbar" in _page(editor_client, article)
    assert "userbar" not in _page(ben_client, article)
