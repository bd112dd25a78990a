"""A signed-in reader's article page from the page's frame (rostra.core.page_frames): the
same page as the full render, none of one reader's own state in another reader's page or
in the frame, the full render for readers who see more than everyone, and an exact
query budget."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from rostra.core import page_frames
from rostra.discussion import section_frames, services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.testing import TEST_POLICY, post, staff
from rostra.notifications import services as notification_services
from rostra.notifications.feeds import replies_feed_token

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')
HEADER_TOKEN = re.compile(r'("X-CSRFToken": ")([^"]*)(")')
FORM_CLOCK = re.compile(r'(name="started" value=")([^"]*)(")')
SIGNED_AT = re.compile(r"(:)([0-9A-Za-z]{6}:[A-Za-z0-9_-]{43})(/)")  # a signed link's time


@pytest.fixture(autouse=True)
def _no_frames():
    page_frames.page_frames.clear()
    section_frames.section_frames.clear()
    yield
    page_frames.page_frames.clear()
    section_frames.section_frames.clear()


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


def test_every_form_of_a_readers_page_holds_one_token_masked_once(article, thread):
    """The sign-out form, the composer, the vote forms and the section's header all get
    the same masked token, in the full render and from the frame; a second page gets
    another masking."""
    for n in range(2):
        post(thread, body=f"Comment {n}.", name=f"Other {n}")
    client, _ = _signed_in("ann")
    pages = [_page(client, article) for _ in range(2)]
    tokens = [set(_tokens(page)) for page in pages]
    assert [len(found) for found in tokens] == [1, 1]
    assert tokens[0] != tokens[1]
    assert all(len(_tokens(page)) > 2 for page in pages)


def _tokens(html: str) -> list[str]:
    fields = [token for _, token, _ in TOKEN.findall(html)]
    return fields + [token for _, token, _ in HEADER_TOKEN.findall(html)]


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


def test_a_page_from_the_frame_costs_nine_queries(
    client, article, thread, django_assert_num_queries
):
    """A signed-in reader who voted, from the page's frame and the section's: 1 the
    session, 2 the user with whether they hold any permission (an editor sees the user
    bar, a moderator held comments: one answer for both, rostra.core.auth_backends),
    3 the page's version (the frame is current); the comment section: 4 the article's
    thread if readers may see the article (the thread alone: no page object, no article
    body read), 5 the discussion settings' version, 6 whether the reader has a comment
    awaiting moderation here, 7 the reader's votes on the comments shown, 8 the live
    stream's start, 9 the replies feed's key. No page routing, page template, masthead,
    funding, section template or shared cards' queries; once the reader's small pieces
    are kept (account links, “Commenting as”, their own feed links:
    rostra.core.fragments), no template rendered at all."""
    for n in range(3):
        post(thread, body=f"Comment {n}.", name=f"Other {n}")
    reader, ann = _signed_in("ann")
    comment = Comment.objects.filter(thread=thread).first()
    services.comment_vote(comment=comment, viewer=ann, policy=TEST_POLICY, value=1)
    client.get(article.url)  # the site's settings stored, the policy cached
    _page(reader, article)
    with django_assert_num_queries(9) as queries:
        html = _page(reader, article)
    assert html.count('aria-pressed="true"') == 1
    assert not [sql for sql in _statements(queries) if '"publishing_articlepage"."body"' in sql]
    again = reader.get(article.url)
    assert [template.name for template in again.templates] == []


def test_a_reset_replies_feed_shows_its_new_address_from_the_frame(article, thread):
    """The reader's own feed link is kept per feed version: after a reset, their next
    page from the frame links the new address, not the retired one."""
    post(thread, body="Comment.", name="Other")
    client, ann = _signed_in("ann")
    _page(client, article)
    before = _feed_links(_page(client, article))
    notification_services.replies_feed_reset(email=ann.email, viewer_key=ann.key)
    after = _feed_links(_page(client, article))
    assert len(before) == len(after) == 1
    assert before != after
    assert after == [f"/notifications/feeds/replies/{replies_feed_token(ann.key)}/"]


def _feed_links(html: str) -> list[str]:
    return re.findall(r'href="(/notifications/feeds/replies/[^"]+)"', html)


def _statements(queries) -> list[str]:
    return [query["sql"] for query in queries.captured_queries]


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


def _section(html: str) -> str:
    start = html.index('<section id="comments"')
    return html[start : html.index("</section>", start)]


def _others_and_two_readers(thread, comments: int):
    """`comments` comments by guests, and two signed-in readers, Ann and Ben."""
    others = [post(thread, body=f"Comment {n}.", name=f"Other {n}") for n in range(comments)]
    return others, _signed_in("ann"), _signed_in("ben")


def _vote(viewer, comment, value: int) -> None:
    services.comment_vote(comment=comment, viewer=viewer, policy=TEST_POLICY, value=value)


def test_a_voters_section_from_the_shared_section_equals_the_full_render(article, thread):
    """Ben's render becomes the section every signed-in reader shares; Ann, who voted up
    one comment and down another and wrote one still in its edit window, gets her page
    from the frames with her own parts laid over: the same page as her section rendered
    whole (modulo form tokens), her votes pressed, her Edit and Delete, her name in the
    composer, a token in every form."""
    others, (ann_client, ann), (ben_client, _) = _others_and_two_readers(thread, 3)
    _vote(ann, others[0], 1)
    _vote(ann, others[2], -1)
    own = post(thread, ann, body="Ann's own words.", name="ann")
    _page(ben_client, article)
    assert len(section_frames.section_frames) == 1
    laid_over = _page(ann_client, article)
    section_frames.section_frames.clear()
    page_frames.page_frames.clear()
    full = _page(ann_client, article)
    assert _without_tokens(laid_over) == _without_tokens(full)
    assert laid_over.count('aria-pressed="true"') == 2
    assert f'id="vote-{others[0].pk}-up" aria-pressed="true"' in laid_over
    assert f'id="vote-{others[2].pk}-down" aria-pressed="true"' in laid_over
    assert f"?edit={own.pk}" in laid_over and laid_over.count("?edit=") == 1
    assert "Commenting as <strong>ann</strong>" in laid_over
    assert all(token for _, token, _ in TOKEN.findall(_section(laid_over)))
    assert section_frames.START not in laid_over and section_frames.END not in laid_over


def test_two_readers_each_see_only_their_own_votes_and_edit_links(article, thread):
    """Ann's render becomes the shared section; Ben's page from it shows his vote and
    his Edit, none of Ann's (nor her name or tokens), and Ann's next page hers alone.
    The kept section holds nothing of either."""
    others, (ann_client, ann), (ben_client, ben) = _others_and_two_readers(thread, 2)
    _vote(ann, others[0], 1)
    _vote(ben, others[1], -1)
    ann_own = post(thread, ann, body="Ann's words.", name="ann")
    ben_own = post(thread, ben, body="Ben's words.", name="ben")
    ann_first = _page(ann_client, article)
    ann_tokens = {token for _, token, _ in TOKEN.findall(ann_first)}
    (frame,) = section_frames.section_frames.frames()
    shared = "".join(frame.parts[0::2])
    for private in ("ann@example.org", ">ann<", 'aria-pressed="true"', "?edit=", *ann_tokens):
        assert private not in shared
    for page in (_page(ben_client, article), _page(ben_client, article, "?sort=oldest")):
        assert f'id="vote-{others[1].pk}-down" aria-pressed="true"' in page
        assert page.count('aria-pressed="true"') == 1
        assert f"?edit={ben_own.pk}" in page and f"?edit={ann_own.pk}" not in page
        assert "Commenting as <strong>ben</strong>" in page and "as <strong>ann<" not in page
        assert '/accounts/email/">ann</a>' not in page and "ann@example.org" not in page
        assert not ann_tokens & {token for _, token, _ in TOKEN.findall(page)}
    ann_again = _page(ann_client, article, "?sort=oldest")
    assert f'id="vote-{others[0].pk}-up" aria-pressed="true"' in ann_again
    assert ann_again.count('aria-pressed="true"') == 1
    assert f"?edit={ann_own.pk}" in ann_again and f"?edit={ben_own.pk}" not in ann_again
    assert len(section_frames.section_frames) == 2  # newest first, and oldest first


def test_the_shared_section_follows_every_change_to_the_thread(article, thread):
    """A vote, a new comment, an edit and a deletion by others each move the thread's
    version: the next signed-in page shows them, as a full render would."""
    first = post(thread, body="First words.", name="Zed")
    reader_client, _ = _signed_in("ann")
    _, ben = _signed_in("ben")
    _page(reader_client, article)
    _vote(ben, first, 1)
    assert 'aria-label="Score 1">1<' in _page(reader_client, article)
    second = post(thread, ben, body="Ben answers.", name="ben")
    assert "Ben answers." in _page(reader_client, article)
    services.comment_edit(comment=second, viewer=ben, policy=TEST_POLICY, body="Ben edits.")
    page = _page(reader_client, article)
    assert "Ben edits." in page and "Ben answers." not in page
    services.comment_delete(comment=second, viewer=ben, policy=TEST_POLICY)
    assert "Ben edits." not in _page(reader_client, article)
    assert len(section_frames.section_frames) == 1


def test_a_notify_answer_shows_once_to_its_reader_and_in_no_shared_section(article, thread):
    """Ann's answer to her Notify-of waits in her session: her next section is rendered
    for her with it (and the kind she chose), and is kept as no frame; Ben's section,
    which becomes the frame, shows neither, and Ann's after it is the plain one again."""
    post(thread, body="Everyone's.", name="Zed")
    (ann_client, _), (ben_client, _) = _signed_in("ann"), _signed_in("ben")
    subscribe = reverse("notifications:subscribe", args=[article.pk])
    assert ann_client.post(subscribe, {"kind": "replies"}).status_code == 302
    answered = _page(ann_client, article)
    assert 'id="notify-message"' in answered and 'value="replies" selected' in answered
    assert not section_frames.section_frames
    for page in (_page(ben_client, article), _page(ann_client, article)):
        assert 'id="notify-message"' not in page and " selected>" not in page
    assert len(section_frames.section_frames) == 1


def test_the_kept_sections_are_bounded_in_number_and_bytes(monkeypatch):
    """The store keeps the most recently used frames: MAX_FRAMES at most, MAX_BYTES at
    most (the oldest go first), and none larger than MAX_BYTES alone."""
    from rostra.discussion.card_cache import SharedCards
    from rostra.discussion.cards import BuiltCards

    monkeypatch.setattr(section_frames, "MAX_FRAMES", 3)
    monkeypatch.setattr(section_frames, "MAX_BYTES", 1000)

    def frame(size: int):
        shared = SharedCards(1, 0.0, BuiltCards(["x" * size], [], [0, 1], []), 0, 0, 0, 1)
        return section_frames.SectionFrame(1, None, None, 0.0, [""], shared, None)

    store = section_frames._Frames()
    for n in range(4):
        store.put(("page", n), frame(100))
    assert [store.get(("page", n)) is not None for n in range(4)] == [False, True, True, True]
    store.put(("big", 0), frame(800))  # the least recently used goes: four, 1,100 bytes
    assert store.get(("page", 1)) is None and len(store) == 3
    store.put(("huge", 0), frame(1001))
    assert store.get(("huge", 0)) is None and len(store) == 3
    store.get(("page", 2))  # used: now the most recent
    store.put(("new", 0), frame(200))  # 1,200 bytes: page 3, then the big one go
    assert [
        key for key in (("page", 2), ("page", 3), ("big", 0), ("new", 0)) if store.get(key)
    ] == [
        ("page", 2),
        ("new", 0),
    ]
