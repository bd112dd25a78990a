"""Bans by account, guest identity, e-mail and IP address (IPv6 by /64), timed or
permanent; shadow bans that only the author can see through; removing everything a
commenter wrote. Checked in the posting and editing services, so the form and the API
alike follow them."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from rostra.core.addresses import hash_ip
from rostra.discussion import selectors, services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    Ban,
    BanDuration,
    BanKind,
    Comment,
    CommentStatus,
    ModerationDecision,
    ModerationTrigger,
    SortOrder,
)
from rostra.discussion.services import DiscussionError
from rostra.discussion.services.bans import (
    ban_create,
    ban_lift,
    commenter_ban,
    commenter_remove_everything,
)
from rostra.discussion.testing import TEST_POLICY, guest, post, staff

pytestmark = pytest.mark.django_db


def ban(kind, value, **kwargs):
    return ban_create(viewer=staff(), kind=kind, value=value, **kwargs)


def refused(thread, viewer, **kwargs) -> DiscussionError:
    with pytest.raises(DiscussionError) as error:
        post(thread, viewer, body="My considered view.", **kwargs)
    return error.value


def test_each_kind_of_ban_refuses_politely_and_saves_nothing(thread):
    account = Viewer(key="u:41", user_id=None, display_name="Acc")  # no row needed
    reader, by_mail, by_address = guest(), guest(), guest()
    ban(BanKind.ACCOUNT, account.key)
    ban(BanKind.GUEST, reader.key)
    ban(BanKind.EMAIL, "Troll@Example.org")
    ban(BanKind.ADDRESS, by_address.ip_hash)
    cases = [
        (account, {}),
        (reader, {}),
        (by_mail, {"email": "troll@example.ORG"}),
        (by_address, {}),
    ]
    for viewer, fields in cases:
        error = refused(thread, viewer, **fields)
        assert error.status == 403 and "cannot comment here any more" in error.message
        assert "Your text is still here" in error.message
    assert not Comment.objects.exists()
    assert post(thread, guest(), body="Someone else.").status == CommentStatus.APPROVED


def test_an_ipv6_ban_covers_the_whole_64_network():
    """The address hash is already that of the /64: a ban of one address is a ban of
    its network, and of no other."""
    assert hash_ip("2001:db8:1:2::5") == hash_ip("2001:db8:1:2:ffff:eeee:dddd:1")
    assert hash_ip("2001:db8:1:3::5") != hash_ip("2001:db8:1:2::5")


def test_an_ipv6_address_ban_refuses_a_neighbour_in_the_same_64(thread):
    ban(BanKind.ADDRESS, hash_ip("2001:db8:1:2::5"))
    neighbour = guest(ip_hash=hash_ip("2001:db8:1:2::99"))
    assert refused(thread, neighbour).status == 403
    elsewhere = guest(ip_hash=hash_ip("2001:db8:1:3::5"))
    assert post(thread, elsewhere).status == CommentStatus.APPROVED


def test_timed_bans_expire_and_any_ban_can_be_lifted(thread):
    reader = guest()
    now = timezone.now()
    timed = ban(BanKind.GUEST, reader.key, duration=BanDuration.DAY, now=now)
    assert timed.expires_at == now + timedelta(hours=24)
    error = refused(thread, reader, now=now + timedelta(hours=23))
    assert "cannot comment here until" in error.message
    assert post(thread, reader, now=now + timedelta(hours=25)).status == "approved"
    assert ban(BanKind.GUEST, reader.key, duration=BanDuration.WEEK, now=now).expires_at == (
        now + timedelta(days=7)
    )
    month = ban(BanKind.GUEST, reader.key, duration=BanDuration.MONTH, now=now)
    assert month.expires_at == now + timedelta(days=30)
    Ban.objects.exclude(pk=month.pk).delete()
    ban_lift(ban=month, viewer=staff())
    assert post(thread, reader, body="Back again.").status == "approved"


def test_of_several_bans_the_longest_is_the_one_a_reader_is_told_of(thread):
    """A permanent ban outranks one that expires, on SQLite as on PostgreSQL (which sort
    an empty end date differently), and of two timed bans the later end is named."""
    reader, other = guest(), guest()
    now = timezone.now()
    ban(BanKind.GUEST, reader.key, duration=BanDuration.DAY, now=now)
    ban(BanKind.ADDRESS, reader.ip_hash)
    assert "cannot comment here any more" in refused(thread, reader).message
    ban(BanKind.GUEST, other.key, duration=BanDuration.DAY, now=now)
    ban(BanKind.ADDRESS, other.ip_hash, duration=BanDuration.WEEK, now=now)
    week = date_format(timezone.localtime(now + timedelta(days=7)), "DATETIME_FORMAT")
    assert f"until {week}," in refused(thread, other).message


def test_bans_need_the_ban_permission(thread):
    comment = post(thread)
    moderator_only = replace(staff(), permissions=frozenset({"discussion.change_comment"}))
    for viewer in (guest(), Viewer(key="u:7", user_id=7, is_staff=True), moderator_only):
        with pytest.raises(DiscussionError) as error:
            ban_create(viewer=viewer, kind=BanKind.GUEST, value=comment.author_key)
        assert error.value.status == 403
    some_ban = ban(BanKind.GUEST, comment.author_key)
    with pytest.raises(DiscussionError):
        ban_lift(ban=some_ban, viewer=guest())
    with pytest.raises(DiscussionError):
        commenter_remove_everything(author_key=comment.author_key, viewer=guest())
    assert Ban.objects.count() == 1 and Comment.objects.get().status == "approved"


def test_bad_ban_input_is_refused_with_a_message():
    for kind, value in [("nonsense", "x"), (BanKind.EMAIL, "not an address"), (BanKind.GUEST, " ")]:
        with pytest.raises(DiscussionError) as error:
            ban(kind, value)
        assert error.value.status == 400
    assert not Ban.objects.exists()


def test_a_banned_author_cannot_edit_either(thread):
    author = guest()
    comment = post(thread, author, body="Before the ban.")
    ban(BanKind.GUEST, author.key)
    with pytest.raises(DiscussionError) as error:
        services.comment_edit(comment=comment, viewer=author, policy=TEST_POLICY, body="After.")
    assert error.value.status == 403
    comment.refresh_from_db()
    assert comment.body_source == "Before the ban."


def test_remove_everything_by_a_commenter_in_one_action(thread, article):
    """Every comment of theirs is removed and logged, in every thread; others stay."""
    from rostra.discussion.services import thread_for_article
    from rostra.publishing.testing import make_article

    troll = guest()
    other_thread = thread_for_article(make_article(article.get_parent(), "Another"))
    theirs = [post(thread, troll, body="One."), post(other_thread, troll, body="Two.")]
    bystander = post(thread, body="Mine.")
    assert commenter_remove_everything(author_key=troll.key, viewer=staff(), note="Troll") == 2
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert [statuses[c.pk] for c in theirs] == ["removed", "removed"]
    assert statuses[bystander.pk] == "approved"
    assert ModerationDecision.objects.filter(note="Troll", to_status="removed").count() == 2


def test_ban_this_commenter_bans_what_their_comment_recorded_and_may_remove_all(thread):
    troll = guest()
    comment = post(thread, troll, body="Spam!", email="spam@example.org")
    bans = commenter_ban(
        comment=comment,
        viewer=staff(),
        kinds=["identity", "email", "address"],
        duration=BanDuration.WEEK,
        reason="Spam run",
        remove_everything=True,
    )
    assert sorted((b.kind, b.value) for b in bans) == sorted(
        [
            (BanKind.GUEST, troll.key),
            (BanKind.EMAIL, "spam@example.org"),
            (BanKind.ADDRESS, troll.ip_hash),
        ]
    )
    assert all(b.label == "Reader" and b.reason == "Spam run" for b in bans)
    entry = ModerationDecision.objects.get(comment=comment)
    assert (entry.to_status, entry.trigger) == (CommentStatus.REMOVED, ModerationTrigger.BAN)
    history = selectors.commenter_history(troll.key)
    assert history.rejected == 1 and len(history.bans) == 3
    with pytest.raises(DiscussionError):  # no e-mail address recorded on this one
        commenter_ban(comment=post(thread, body="x"), viewer=staff(), kinds=["email"])


# Shadow bans ---------------------------------------------------------------------


@pytest.fixture
def shadowed(thread):
    """A shadow-banned guest and their new comment."""
    author = guest("Shade")
    ban(BanKind.GUEST, author.key, shadow=True)
    return author, post(thread, author, body="Only I can see this.", name="Shade")


def test_a_shadow_banned_comment_is_kept_and_logged_as_the_bans_doing(shadowed):
    _, comment = shadowed
    assert comment.status == CommentStatus.SHADOWED and comment.held_because == ""
    entry = ModerationDecision.objects.get(comment=comment)
    assert (entry.trigger, entry.to_status) == (ModerationTrigger.BAN, CommentStatus.SHADOWED)


def test_the_shadow_banned_author_sees_their_comment_and_nobody_else_does(thread, shadowed):
    """Pages and counts through the one access rule; staff moderate it in the admin."""
    author, comment = shadowed

    def shown(viewer):
        page = selectors.thread_page(thread=thread, viewer=viewer, sort=SortOrder.NEWEST)
        return [node.comment.pk for node in page.nodes], page.total_comments

    assert shown(author) == ([comment.pk], 1)
    assert shown(guest()) == ([], 0) and shown(None) == ([], 0)
    assert selectors.comment_for_reader(comment.pk, author) is not None
    assert selectors.comment_for_reader(comment.pk, guest()) is None
    assert selectors.comment_counts([thread.key]) == {thread.key: 0}
    assert not selectors.public_comments().filter(pk=comment.pk).exists()
    assert comment.status_shown == CommentStatus.APPROVED
    other = guest()
    with pytest.raises(DiscussionError):  # nobody else can reply to what they cannot see
        post(thread, other, body="Reply?", parent_id=comment.pk)
    reply = post(thread, author, body="Talking to myself.", parent_id=comment.pk)
    assert reply.status == CommentStatus.SHADOWED


def test_a_shadow_banned_comment_reaches_no_live_stream_feed_or_follower(
    section, django_capture_on_commit_callbacks
):
    """No live event, no e-mail to the thread's followers, nothing in the feeds; the
    same comment from anyone else does all three."""
    from rostra.notifications.models import LiveEvent
    from rostra.notifications.tests.test_hidden_articles import _subscribed_thread

    article, thread = _subscribed_thread(section)
    author = guest()
    ban(BanKind.GUEST, author.key, shadow=True)
    with django_capture_on_commit_callbacks(execute=True):
        hidden = post(thread, author, body="Shadowed words.", name="Shade")
    assert not LiveEvent.objects.filter(comment_id=hidden.pk).exists()
    assert mail.outbox == []
    feed = Client().get(f"/notifications/feeds/articles/{article.pk}/").content.decode()
    assert "Shade" not in feed
    with django_capture_on_commit_callbacks(execute=True):
        seen = post(thread, guest(), body="Visible words.", name="Sunny")
    assert LiveEvent.objects.filter(comment_id=seen.pk).exists()
    assert len(mail.outbox) == 1
    assert "Sunny" in Client().get(f"/notifications/feeds/articles/{article.pk}/").content.decode()


def test_approving_a_shadowed_comment_publishes_it(thread, shadowed):
    _, comment = shadowed
    services.comment_moderate(comments=[comment], viewer=staff(), status="approved")
    assert selectors.comment_counts([thread.key]) == {thread.key: 1}


def test_a_shadow_banned_authors_edit_hides_their_published_comment(thread):
    author = guest()
    comment = post(thread, author, body="Published before the ban.")
    ban(BanKind.GUEST, author.key, shadow=True)
    services.comment_edit(comment=comment, viewer=author, policy=TEST_POLICY, body="Spam now.")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SHADOWED


# Through the page, the API and the admin -------------------------------------------


def _form_post(client, article, body):
    return client.post(f"/comments/articles/{article.pk}/post/", {"name": "Ana", "body": body})


def test_a_banned_guest_gets_a_polite_403_with_the_text_kept(client, article):
    _form_post(client, article, "Before.")
    ban(BanKind.GUEST, Comment.objects.get().author_key, reason="Insults")
    response = _form_post(client, article, "My reply, typed with care.")
    assert response.status_code == 403
    html = response.content.decode()
    assert "cannot comment here any more" in html
    assert ">My reply, typed with care.</textarea>" in html
    assert Comment.objects.count() == 1


def _api_post(api, article, body):
    return api.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": body, "name": "Ana"},
        content_type="application/json",
        headers={"X-CSRFToken": api.cookies["csrftoken"].value},
    )


def test_the_api_refuses_a_banned_reader_and_shows_shadowed_comments_to_their_author(article):
    api = Client(enforce_csrf_checks=True)
    api.get("/api/csrf")
    first = _api_post(api, article, "First.").json()
    key = Comment.objects.get(pk=first["id"]).author_key
    refusing = ban(BanKind.GUEST, key)
    response = _api_post(api, article, "Second.")
    assert response.status_code == 403 and "cannot comment" in response.json()["error"]
    ban_lift(ban=refusing, viewer=staff())
    ban(BanKind.GUEST, key, shadow=True)
    created = _api_post(api, article, "Third, shadowed.")
    assert created.status_code == 201 and created.json()["status"] == "approved"
    thread_key = f"article:{article.pk}"

    def listed(client):
        data = client.get("/api/comments", {"thread": thread_key}).json()
        return data["total_comments"], [c["html"] for c in data["comments"]]

    assert listed(api) == (2, ["<p>Third, shadowed.</p>", "<p>First.</p>"])
    assert listed(Client()) == (1, ["<p>First.</p>"])
    shadow_id = created.json()["id"]
    assert api.get(f"/comments/{shadow_id}/").status_code == 302
    assert Client().get(f"/comments/{shadow_id}/").status_code == 404
    assert "Third, shadowed." in api.get(article.url).content.decode()
    assert "Third, shadowed." not in Client().get(article.url).content.decode()


@pytest.fixture
def moderator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("mod", "m@example.org", "pw"))
    return client


def test_the_admin_bans_a_commenter_from_their_comment_and_lifts_bans(moderator_client, thread):
    troll = guest()
    comment = post(thread, troll, body="Trolling.", email="t@example.org")
    url = f"/admin/discussion/comments/{comment.pk}/ban/"
    assert "Ban this commenter" in moderator_client.get(url).content.decode()
    response = moderator_client.post(
        url,
        {
            "kinds": ["identity", "email"],
            "duration": BanDuration.MONTH,
            "reason": "Trolling",
            "remove_everything": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Ban.objects.count() == 2
    assert Comment.objects.get().status == CommentStatus.REMOVED
    listing = moderator_client.get("/admin/snippets/discussion/ban/").content.decode()
    assert "Trolling" in listing and "Active" in listing
    identity = Ban.objects.get(kind=BanKind.GUEST)
    edit = f"/admin/snippets/discussion/ban/edit/{identity.pk}/"
    assert moderator_client.post(edit, {"lift": "on"}).status_code == 302
    identity.refresh_from_db()
    assert identity.lifted_at is not None
    created = moderator_client.post(
        "/admin/snippets/discussion/ban/add/",
        {"kind": BanKind.EMAIL, "value": "Other@Example.org", "duration": "24h", "reason": ""},
    )
    assert created.status_code == 302, created.content.decode()[-2000:]
    assert Ban.objects.filter(value="other@example.org").exists()


def test_a_ban_the_service_refuses_shows_its_reason_on_the_admin_form(moderator_client):
    """An account ban given by name instead of its key (u:<id>) passes the form's own
    checks but not the service's: the form comes back with the service's reason under
    the value and what the editor typed, no server error, and no ban is created."""
    response = moderator_client.post(
        "/admin/snippets/discussion/ban/add/",
        {"kind": BanKind.ACCOUNT, "value": "bob-the-troll", "duration": "7d", "reason": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "An account is banned by its key (u:&lt;id&gt;)." in page
    assert 'value="bob-the-troll"' in page
    assert not Ban.objects.exists()


def test_readers_cannot_reach_the_ban_screens(client, thread):
    comment = post(thread)
    for url in (f"/admin/discussion/comments/{comment.pk}/ban/", "/admin/snippets/discussion/ban/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_banned_reader_cannot_vote_and_a_shadow_banned_ones_vote_counts(thread):
    """A ban refuses votes too, with a polite 403 that names votes; the comment's totals
    do not move. A shadow-banned reader's vote counts, so the ban stays unnoticed."""
    comment = post(thread, body="Worth a vote.")
    blocked, shadowed = guest(), guest()
    ban(BanKind.GUEST, blocked.key)
    ban(BanKind.GUEST, shadowed.key, shadow=True)
    with pytest.raises(DiscussionError) as error:
        services.comment_vote(comment=comment, viewer=blocked, policy=TEST_POLICY, value=1)
    assert error.value.status == 403
    assert "cannot vote here" in str(error.value)
    comment.refresh_from_db()
    assert comment.upvotes == 0
    services.comment_vote(comment=comment, viewer=shadowed, policy=TEST_POLICY, value=1)
    comment.refresh_from_db()
    assert comment.upvotes == 1


def test_a_blocked_readers_earlier_vote_cannot_be_turned(thread):
    """A reader who voted before being blocked cannot turn their vote (the insert finds
    their vote, the refusal names the ban), and the totals stay as they were; they may
    still withdraw it."""
    comment = post(thread, body="Worth a vote.")
    voter = guest()
    services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=1)
    ban(BanKind.GUEST, voter.key)
    with pytest.raises(DiscussionError, match="cannot vote here"):
        services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=-1)
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (1, 0)
    services.comment_vote(comment=comment, viewer=voter, policy=TEST_POLICY, value=0)
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (0, 0)


def test_a_new_guest_from_a_banned_address_cannot_vote_through_the_api(thread):
    """A guest created by the vote itself (no cookie yet) has no identity anyone could
    have banned, but an address ban still refuses them: dropping the cookie does not get
    round a ban. The same request from another address counts."""
    comment = post(thread, body="Worth a vote.")
    ban(BanKind.ADDRESS, hash_ip("203.0.113.7"))
    answers = {}
    for address in ("203.0.113.7", "198.51.100.8"):
        browser = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
        browser.get("/api/csrf")
        answers[address] = browser.post(
            f"/api/comments/{comment.pk}/vote",
            {"value": 1},
            "application/json",
            HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
        )
    assert answers["203.0.113.7"].status_code == 403
    assert "cannot vote here" in answers["203.0.113.7"].json()["error"]
    assert answers["198.51.100.8"].status_code == 200
    comment.refresh_from_db()
    assert comment.upvotes == 1
