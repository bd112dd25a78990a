"""The JSON API reads and writes through the same rules as the page."""

import json

import pytest
from django.test import Client

from rostra.discussion.api.rendering import encode
from rostra.discussion.api.schemas import CommentOut
from rostra.discussion.identity import GUEST_COOKIE
from rostra.discussion.models import Comment
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    """A browser-like client: it must fetch a CSRF token before changing anything."""
    client = Client(enforce_csrf_checks=True)
    client.get("/api/csrf")
    return client


def _csrf(client):
    return {"X-CSRFToken": client.cookies["csrftoken"].value}


def test_thread_is_listed_sorted_paged_and_nested(client, thread):
    root = post(thread, body="Root *one*")
    post(thread, body="Reply", parent_id=root.pk)
    post(thread, body="Root two")
    data = client.get("/api/comments", {"thread": thread.key, "sort": "oldest"}).json()
    assert data["total_comments"] == 3 and data["total_top_level"] == 2
    first = data["comments"][0]
    assert first["html"] == "<p>Root <em>one</em></p>"
    assert first["author"]["initials"] == "R"
    assert [r["html"] for r in first["replies"]] == ["<p>Reply</p>"]
    assert data["comments"][1]["html"] == "<p>Root two</p>"


def test_post_edit_vote_and_delete_through_the_api(api_client, article):
    created = api_client.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": "Via **API**", "name": "Ana"},
        content_type="application/json",
        headers=_csrf(api_client),
    )
    assert created.status_code == 201, created.content
    comment_id = created.json()["id"]
    assert created.json()["html"] == "<p>Via <strong>API</strong></p>"
    assert created.json()["can_change"] is True

    edited = api_client.patch(
        f"/api/comments/{comment_id}",
        {"body": "Edited"},
        content_type="application/json",
        headers=_csrf(api_client),
    )
    assert edited.json()["html"] == "<p>Edited</p>"

    voter = Client(enforce_csrf_checks=True)
    voter.get("/api/csrf")
    voted = voter.post(
        f"/api/comments/{comment_id}/vote",
        {"value": 1},
        content_type="application/json",
        headers=_csrf(voter),
    )
    assert voted.json() == {
        "id": comment_id,
        "upvotes": 1,
        "downvotes": 0,
        "score": 1,
        "my_vote": 1,
    }

    deleted = api_client.delete(f"/api/comments/{comment_id}", headers=_csrf(api_client))
    assert deleted.status_code == 204
    assert Comment.objects.get().is_deleted


def test_unsafe_requests_without_csrf_token_are_refused(api_client, article):
    response = api_client.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": "x", "name": "A"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_refusals_are_json_with_a_reason(api_client, article, thread):
    response = api_client.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": "x", "name": ""},
        content_type="application/json",
        headers=_csrf(api_client),
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Please give a name to comment under.", "field": "name"}

    other = post(thread, body="Not yours")
    response = api_client.patch(
        f"/api/comments/{other.pk}",
        {"body": "Hijack"},
        content_type="application/json",
        headers=_csrf(api_client),
    )
    assert response.status_code == 403
    assert response.json()["error"] == "You can only change your own comments."


def test_unknown_thread_is_404(api_client):
    response = api_client.post(
        "/api/comments",
        {"thread": "article:999999", "body": "x", "name": "A"},
        content_type="application/json",
        headers=_csrf(api_client),
    )
    assert response.status_code == 404


def test_counts_of_many_threads(client, thread):
    post(thread)
    response = client.get("/api/counts", {"thread": [thread.key, "article:0"]})
    assert response.json() == {thread.key: 1, "article:0": 0}


def test_openapi_document_describes_the_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    assert {"/api/comments", "/api/comments/{comment_id}", "/api/counts"} <= set(spec["paths"])


def test_api_docs_are_served_without_a_cdn(client):
    html = client.get("/api/docs").content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and 'src="http' not in html and 'href="http' not in html


def test_a_passage_comment_through_the_api(api_client, client, article):
    from rostra.discussion.inline import article_text

    block_id, text = article_text(article).blocks[0]
    exact = text.split()[1] + " " + text.split()[2]
    start = text.index(exact)
    created = api_client.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": "On that", "name": "Ana",
         "passage": {"block_id": block_id, "start": start, "end": start + len(exact),
                     "exact": exact}},
        content_type="application/json",
        headers=_csrf(api_client),
    )  # fmt: skip
    assert created.status_code == 201, created.content
    passage = created.json()["passage"]
    assert passage["exact"] == exact and passage["status"] == "anchored"
    listed = client.get("/api/comments", {"thread": f"article:{article.pk}"}).json()
    assert listed["comments"][0]["passage"]["block_id"] == block_id

    refused = api_client.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": "x", "name": "Ana",
         "passage": {"block_id": block_id, "start": 0, "end": 3, "exact": "Nowhere"}},
        content_type="application/json",
        headers=_csrf(api_client),
    )  # fmt: skip
    assert refused.status_code == 400
    assert "not in the article" in refused.json()["error"]


def test_a_posted_comments_answer_is_exactly_its_schema_and_its_entry_in_the_thread(
    api_client, article
):
    """The answer to a post is what the published schema (CommentOut) makes of it, key
    for key, and the same comment as the thread then lists it (with the author's own
    right to change it); the new guest gets their cookie with it."""
    created = api_client.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": "Plain words.", "name": "Ana"},
        content_type="application/json",
        headers=_csrf(api_client),
    )
    assert created.status_code == 201 and created["Content-Type"] == "application/json"
    assert GUEST_COOKIE in created.cookies
    answer = created.json()
    as_validated = CommentOut.model_validate(answer).model_dump()  # what ninja would send
    assert answer == json.loads(encode(as_validated))
    listed = api_client.get("/api/comments", {"thread": f"article:{article.pk}"}).json()
    assert listed["comments"] == [answer]
