"""Staff moderate comments in the Wagtail admin, one at a time or in bulk."""

import pytest
from django.contrib.auth import get_user_model

from rostra.core.html_tree import Node, elements_named, parse_html, text_of
from rostra.discussion import services
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.testing import TEST_POLICY, guest, post

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


def _inspected_fields(html: str) -> dict[str, Node]:
    """The inspect view's field list: each <dt>'s text and the <dd> after it."""
    (listing,) = elements_named(parse_html(html), "dl")
    items = [child for child in listing.children if isinstance(child, Node)]
    return {text_of(dt).strip(): dd for dt, dd in zip(items[::2], items[1::2], strict=True)}


def test_inspecting_a_comment_shows_what_an_editor_needs_and_no_internals(
    editor_client, article, thread
):
    """Author, article (linked to the comment in place), status, when, the text as
    readers see it and the reports; no tree fields, Markdown source or address hash."""
    comment = post(
        thread,
        guest(ip_hash="f00dfeedhash"),
        body="A **bold** claim.",
        name="Ana",
        email="ana@example.org",
    )
    services.comment_report(
        comment=comment, viewer=guest(), policy=TEST_POLICY, reason="spam", note="Sells pills."
    )
    url = f"/admin/snippets/discussion/comment/inspect/{comment.pk}/"
    html = editor_client.get(url).content.decode()
    fields = _inspected_fields(html)
    assert list(fields) == ["Author", "Article", "Status", "Posted", "Comment", "Readers' reports"]
    assert "Ana" in text_of(fields["Author"]) and "ana@example.org" in text_of(fields["Author"])
    (link,) = elements_named(fields["Article"], "a")
    assert link.attrs["href"] == f"{article.url}?comment={comment.pk}#comment-{comment.pk}"
    assert text_of(link) == article.title
    assert text_of(fields["Status"]).strip() == "Approved"
    (bold,) = elements_named(fields["Comment"], "strong")
    assert text_of(bold) == "bold" and "**" not in text_of(fields["Comment"])
    assert "Spam or advertising" in text_of(fields["Readers' reports"])
    assert "Sells pills." in text_of(fields["Readers' reports"])
    assert "f00dfeedhash" not in html and comment.author_key not in text_of(parse_html(html))
    assert "Decision log" in html
