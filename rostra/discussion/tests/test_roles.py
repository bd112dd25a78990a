"""`rostra setup` keeps a Moderators group with exactly what moderation needs; the
services check those permissions themselves, whoever calls them."""

import pytest
from django.contrib.auth.models import Group

from rostra.core.app_hooks import registered
from rostra.discussion import services
from rostra.discussion.admin_views import staff_viewer
from rostra.discussion.models import BanKind, CommentStatus
from rostra.discussion.permissions import MODERATOR_PERMISSIONS
from rostra.discussion.services.bans import ban_create
from rostra.discussion.services.roles import MODERATORS, moderators_group_ensure
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/discussion/comment/"


def group_permissions(group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_setup_gives_the_moderators_group_exactly_the_moderation_permissions():
    """Idempotent: a second run adds nothing; the Editors group keeps its own."""
    editors = set(Group.objects.get(name="Editors").permissions.values_list("pk", flat=True))
    assert moderators_group_ensure in registered("rostra_setup")
    moderators_group_ensure()
    group = moderators_group_ensure()
    assert Group.objects.filter(name=MODERATORS).count() == 1
    discussion = {p for p in group_permissions(group) if p.startswith("discussion.")}
    assert discussion == {p for p in MODERATOR_PERMISSIONS if p.startswith("discussion.")}
    assert "wagtailadmin.access_admin" in group_permissions(group)
    assert set(Group.objects.get(name="Editors").permissions.values_list("pk", flat=True)) == (
        editors
    )


def test_a_member_of_the_moderators_group_may_moderate_and_ban_without_staff_status(
    thread, django_user_model
):
    member = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    member.groups.add(moderators_group_ensure())
    outsider = django_user_model.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    comment = post(thread, body="Judge me.")
    viewer = staff_viewer(django_user_model.objects.get(pk=member.pk))
    services.comment_moderate(comments=[comment], viewer=viewer, status="spam")
    ban_create(viewer=viewer, kind=BanKind.GUEST, value=comment.author_key)
    with pytest.raises(services.DiscussionError):
        services.comment_moderate(
            comments=[comment], viewer=staff_viewer(outsider), status="approved"
        )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM


def test_a_moderator_reaches_comments_bans_and_settings_in_the_admin(
    client, thread, django_user_model
):
    member = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    member.groups.add(moderators_group_ensure())
    client.force_login(member)
    comment = post(thread)
    for url in (
        "/admin/snippets/discussion/comment/",
        f"/admin/snippets/discussion/comment/edit/{comment.pk}/",
        "/admin/snippets/discussion/ban/",
        f"/admin/discussion/comments/{comment.pk}/ban/",
        "/admin/settings/discussion/discussionsettings/",
    ):
        response = client.get(url)
        if response.status_code == 302:  # settings open on the site's own page
            assert response["Location"].startswith(url), url
            response = client.get(response["Location"])
        assert response.status_code == 200, url


def test_a_moderator_without_staff_status_sees_and_acts_on_held_comments_on_the_site(
    client, article, thread, django_user_model
):
    """A Moderators member who is not staff sees a held comment, as staff moderators do,
    on the article's page (with Edit and Delete on every comment), in the thread API, at
    its permalink and in the queue. A staff user without the moderation permission sees
    none of it: the access rule asks for the permission, not the staff flag."""
    member = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    member.groups.add(moderators_group_ensure())
    bare_staff = django_user_model.objects.create_user("st", "st@example.org", "pw", is_staff=True)
    held = post(thread, body="Held for a moderator's look.")
    held.status = CommentStatus.PENDING
    held.save(update_fields=["status"])
    other = post(thread, body="Somebody else's published words.")

    def seen(user) -> dict[str, bool]:
        client.force_login(user)
        page = client.get(article.url).content.decode()
        api = client.get("/api/comments", {"thread": thread.key}).json()
        api_ids = {comment["id"] for comment in api["comments"]}
        return {
            "page": "Held for a moderator" in page,
            "edit others": f"?edit={other.pk}" in page,
            "api": held.pk in api_ids,
            "permalink": client.get(f"/comments/{held.pk}/").status_code in (200, 302),
            "queue": "Held for a moderator" in client.get(QUEUE).content.decode(),
        }

    assert seen(member) == dict.fromkeys(["page", "edit others", "api", "permalink", "queue"], True)
    assert not any(seen(bare_staff).values())
