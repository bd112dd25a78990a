"""Staff moderate comments in the Wagtail admin, one at a time or in bulk."""

import pytest
from django.contrib.auth import get_user_model

from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    return client


def test_comment_list_filters_by_status(editor_client, thread):
    post(thread, body="Visible one")
    spam = post(thread, body="Cheap pills")
    Comment.objects.filter(pk=spam.pk).update(status=CommentStatus.SPAM)
    html = editor_client.get("/admin/snippets/discussion/comment/?status=spam").content.decode()
    assert "Cheap pills" in html and "Visible one" not in html


def test_bulk_actions_change_the_status_of_the_selection(editor_client, thread):
    comments = [post(thread, body=f"c{n}") for n in range(3)]
    url = "/admin/bulk/discussion/comment/spam/"
    ids = "&".join(f"id={c.pk}" for c in comments[:2])
    confirm = editor_client.get(f"{url}?{ids}")
    page = confirm.content.decode()
    assert confirm.status_code == 200 and "2 comments selected:" in page and "Spam" in page
    response = editor_client.post(f"{url}?{ids}", {})
    assert response.status_code == 302
    statuses = list(Comment.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [CommentStatus.SPAM, CommentStatus.SPAM, CommentStatus.APPROVED]


def test_editing_a_comment_in_the_admin_changes_only_its_status(editor_client, thread):
    comment = post(thread, body="Borderline")
    url = f"/admin/snippets/discussion/comment/edit/{comment.pk}/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url, {"status": CommentStatus.REMOVED, "body_source": "rewritten"}
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
    assert comment.body_source == "Borderline"


def test_readers_cannot_reach_moderation(client, thread):
    response = client.get("/admin/snippets/discussion/comment/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
