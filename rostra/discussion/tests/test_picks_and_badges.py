"""Editor's picks and badges: staff feature a comment (a mark, the picks tab) and pin
one to the top of every order, on the page and in the API; "Staff" and "Author" badges
come from the accounts and the article, never from what a commenter typed."""

import pytest
from django.contrib.auth.models import Permission

from rostra.discussion import selectors, services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import CommentStatus, SortOrder
from rostra.discussion.services import DiscussionError
from rostra.discussion.services.roles import moderators_group_ensure
from rostra.discussion.testing import guest, post, staff

pytestmark = pytest.mark.django_db


def account_viewer(user) -> Viewer:
    return Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name=user.get_full_name())


def section_html(client, article, **query) -> str:
    return client.get(f"/comments/articles/{article.pk}/", query).content.decode()


def api_ids(client, thread, sort):
    answer = client.get("/api/comments", {"thread": thread.key, "sort": sort}).json()
    return [c["id"] for c in answer["comments"]], answer["comments"]


def test_a_pick_is_marked_and_the_picks_tab_shows_only_picked_threads(client, article, thread):
    """The tab lists the top-level comments that are picks or hold one, in page and API."""
    plain = post(thread, body="Plain.")
    picked = post(thread, body="Thoughtful.")
    holder = post(thread, body="Question.")
    answer = post(thread, body="Expert answer.", parent_id=holder.pk)
    services.comment_pick(comment=picked, viewer=staff())
    services.comment_pick(comment=answer, viewer=staff())
    html = section_html(client, article, sort="picks")
    assert "Editor&#x27;s picks" in html or "Editor's picks" in html
    assert "Thoughtful." in html and "Expert answer." in html and "Plain." not in html
    assert html.count("comment__mark--pick") == 2
    ids, comments = api_ids(client, thread, "picks")
    assert ids == [holder.pk, picked.pk]
    assert comments[1]["is_pick"] and not comments[0]["is_pick"]
    assert comments[0]["replies"][0]["is_pick"]
    assert plain.pk in api_ids(client, thread, "newest")[0]


def test_the_pinned_comment_comes_first_in_every_order_on_the_page_and_in_the_api(
    client, article, thread
):
    oldest = post(thread, body="Pinned one.")
    for n in range(3):
        post(thread, body=f"Later {n}.")
    services.comment_pin(comment=oldest, viewer=staff())
    for sort in (SortOrder.NEWEST, SortOrder.OLDEST, SortOrder.MOST_VOTED):
        ids, comments = api_ids(client, thread, sort)
        assert ids[0] == oldest.pk and comments[0]["is_pinned"], sort
        html = section_html(client, article, sort=sort)
        assert html.index("Pinned one.") < html.index("Later 0."), sort
        assert html.count("comment__mark--pinned") == 1
    page = selectors.root_page_number(
        comment=oldest, viewer=None, sort=SortOrder.OLDEST, page_size=1
    )
    assert page == 1


def test_one_pinned_comment_a_thread(thread):
    first, second = post(thread, body="First."), post(thread, body="Second.")
    services.comment_pin(comment=first, viewer=staff())
    thread = services.comment_pin(comment=second, viewer=staff())
    assert thread.pinned_comment_id == second.pk
    services.comment_pin(comment=first, viewer=staff(), pinned=False)
    thread.refresh_from_db()
    assert thread.pinned_comment_id == second.pk  # unpinning another leaves it
    services.comment_pin(comment=second, viewer=staff(), pinned=False)
    thread.refresh_from_db()
    assert thread.pinned_comment_id is None


def test_picking_and_pinning_need_the_permission_and_a_published_comment(thread):
    comment = post(thread, body="Hm.")
    reply = post(thread, body="Reply.", parent_id=comment.pk)
    for action in (services.comment_pick, services.comment_pin):
        with pytest.raises(DiscussionError) as refused:
            action(comment=comment, viewer=guest())
        assert refused.value.status == 403
    with pytest.raises(DiscussionError):
        services.comment_pin(comment=reply, viewer=staff())
    comment.status = CommentStatus.PENDING
    with pytest.raises(DiscussionError):
        services.comment_pick(comment=comment, viewer=staff())
    comment.refresh_from_db()
    assert comment.picked_at is None


def test_staff_and_author_badges_come_from_accounts_and_the_article_only(
    client, article, thread, django_user_model
):
    """Staff: a staff account. Author: the article's owner, or a staff account named as
    the byline. A reader who calls themselves "Staff" or the author gets no badge."""
    editor = django_user_model.objects.create_user(
        "ed", "ed@example.org", "pw", is_staff=True, first_name="Ana", last_name="Ribeiro"
    )
    article.byline = "Ana Ribeiro"
    article.save_revision().publish()
    impostor = django_user_model.objects.create_user(
        "ana2", "a2@example.org", "pw", first_name="Ana", last_name="Ribeiro"
    )
    post(thread, account_viewer(editor), body="From the newsroom.")
    post(thread, account_viewer(impostor), body="I wrote it, honest.")
    post(thread, guest(), body="Guest.", name="Ana Ribeiro (Staff)")
    html = section_html(client, article)
    assert html.count("comment__badge--staff") == 1
    assert html.count("comment__badge--author") == 1
    _, comments = api_ids(client, thread, "oldest")
    assert [c["badges"] for c in comments] == [["Staff", "Author"], [], []]


def test_a_change_of_staff_status_shows_at_once_despite_the_card_cache(
    client, article, thread, django_user_model
):
    user = django_user_model.objects.create_user("bo", "bo@example.org", "pw")
    post(thread, account_viewer(user), body="Soon staff.")
    assert "comment__badge--staff" not in section_html(client, article)
    assert api_ids(client, thread, "newest")[1][0]["badges"] == []
    user.is_staff = True
    user.save()
    assert "comment__badge--staff" in section_html(client, article)
    assert api_ids(client, thread, "newest")[1][0]["badges"] == ["Staff"]


def test_a_moderator_may_pick_from_the_admin_and_the_api(client, thread, django_user_model):
    user = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    user.user_permissions.add(
        Permission.objects.get(codename="change_comment", content_type__app_label="discussion")
    )
    comment = post(thread, body="Worth featuring.")
    client.force_login(user)
    csrf = client.get("/api/csrf").json()
    headers = {"X-CSRFToken": csrf["csrf_token"]}
    answer = client.post(
        f"/api/comments/{comment.pk}/pick",
        {"picked": True, "pinned": True},
        content_type="application/json",
        headers=headers,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["is_pick"] and answer.json()["is_pinned"]
    comment.refresh_from_db()
    assert comment.picked_at is not None


def test_feature_or_pin_from_the_admin_row_menu(client, thread, django_user_model):
    user = django_user_model.objects.create_user("mo2", "mo2@example.org", "pw")
    user.groups.add(moderators_group_ensure())
    comment = post(thread, body="Admin pick.")
    client.force_login(user)
    url = f"/admin/discussion/comments/{comment.pk}/feature/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "pick"}).status_code == 302
    assert client.post(url, {"action": "pin"}).status_code == 302
    comment.refresh_from_db()
    thread.refresh_from_db()
    assert comment.picked_at is not None and thread.pinned_comment_id == comment.pk
    client.force_login(django_user_model.objects.create_user("x", "x@example.org", "pw"))
    assert client.post(url, {"action": "unpick"}).status_code in (302, 403)  # sign-in page
    comment.refresh_from_db()
    assert comment.picked_at is not None


def test_picks_and_pins_are_decisions_in_the_comments_log(client, django_user_model, thread):
    """Each pick, unpick, pin and unpin is logged under the comment with who and when,
    leaving its status as it was; pinning another comment logs the unpin of the one
    pinned before. The comment's log in the admin shows them with the rest."""
    from rostra.discussion.admin_views import staff_viewer
    from rostra.discussion.models import DecisionAction, ModerationDecision

    editor = django_user_model.objects.create_superuser("desk", "desk@example.org", "pw")
    viewer = staff_viewer(editor)
    first, second = post(thread, body="First."), post(thread, body="Second.")
    services.comment_pick(comment=first, viewer=viewer)
    services.comment_pick(comment=first, viewer=viewer, picked=False)
    services.comment_pin(comment=first, viewer=viewer)
    services.comment_pin(comment=second, viewer=viewer)
    services.comment_pin(comment=second, viewer=viewer, pinned=False)
    log = ModerationDecision.objects.order_by("pk").values_list(
        "comment_id", "action", "moderator_name", "from_status", "to_status"
    )
    approved = (CommentStatus.APPROVED, CommentStatus.APPROVED)
    assert list(log) == [
        (first.pk, DecisionAction.PICK, "desk", *approved),
        (first.pk, DecisionAction.UNPICK, "desk", *approved),
        (first.pk, DecisionAction.PIN, "desk", *approved),
        (first.pk, DecisionAction.UNPIN, "desk", *approved),
        (second.pk, DecisionAction.PIN, "desk", *approved),
        (second.pk, DecisionAction.UNPIN, "desk", *approved),
    ]
    client.force_login(editor)
    html = client.get(f"/admin/snippets/discussion/comment/inspect/{first.pk}/").content.decode()
    log_html = html[html.index("Decision log") :]
    for said in (
        "Made an editor&#x27;s pick",
        "No longer an editor&#x27;s pick",
        "Pinned to the top",
        "Unpinned",
    ):
        assert said in log_html, said
