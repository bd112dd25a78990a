"""Thread keys, ids and page numbers from readers are parsed before anything is looked
up: a malformed value is refused with a reason (422), a well-formed one that names
nothing is not found (404), and neither ever causes a server error."""

import pytest

from rostra.discussion.models import Comment
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db

BEYOND_64_BITS = "99999999999999999999"

MALFORMED_KEYS = [
    "article:abc",
    "article:",
    "article:-1",
    "article:+1",
    "article: 1",
    "article:1.5",
    "article:١٢",  # digits, but not ASCII ones
    "article:²",
    "article:12\x00",
    "bad\x00key",
    "tab\tkey",
]


def _create(client, thread, **extra):
    return client.post(
        "/api/comments",
        {"thread": thread, "body": "Hello", "name": "Ana", **extra},
        content_type="application/json",
    )


def _reason(response) -> str:
    return str(response.json())


@pytest.mark.parametrize("key", MALFORMED_KEYS)
def test_malformed_thread_keys_are_refused_with_a_reason(client, article, key):
    """Posting, listing and counting refuse them with 422 naming the thread field."""
    for response in (
        _create(client, key),
        client.get("/api/comments", {"thread": key}),
        client.get("/api/counts", {"thread": [f"article:{article.pk}", key]}),
    ):
        assert response.status_code == 422, response.content
        assert "thread" in _reason(response)
    assert not Comment.objects.exists()


def test_a_lone_surrogate_in_a_thread_key_is_refused(client, article):
    """JSON can carry "\\ud800", which no database can store or compare."""
    response = client.post(
        "/api/comments",
        '{"thread": "article:1\\ud800", "body": "Hello", "name": "Ana"}',
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert "thread" in _reason(response)


@pytest.mark.parametrize(
    "key", [f"article:{BEYOND_64_BITS}", "article:0", "article:999999", "https://nowhere.example/"]
)
def test_well_formed_keys_of_no_thread_are_not_found(client, article, key):
    """Article numbers that cannot exist, articles that do not, and embed threads nobody
    created: 404 with a reason when posting or listing, a zero count."""
    created = _create(client, key)
    assert created.status_code == 404, created.content
    assert "No discussion" in _reason(created)
    listed = client.get("/api/comments", {"thread": key})
    assert listed.status_code == 404, listed.content
    assert client.get("/api/counts", {"thread": key}).json() == {key: 0}
    assert not Comment.objects.exists()


def test_a_key_written_with_leading_zeros_names_the_same_article(client, article):
    """`article:007` is the thread of article 7, not a second thread."""
    created = _create(client, f"article:000{article.pk}")
    assert created.status_code == 201, created.content
    listed = client.get("/api/comments", {"thread": f"article:{article.pk}"}).json()
    assert listed["total_comments"] == 1


def test_an_article_without_comments_lists_an_empty_thread(client, article):
    """No thread exists until the first comment: the list is empty, not missing."""
    listed = client.get("/api/comments", {"thread": f"article:{article.pk}"})
    assert listed.status_code == 200
    assert listed.json()["total_comments"] == 0 and listed.json()["comments"] == []


@pytest.mark.parametrize("page", [BEYOND_64_BITS, str(2**62), "0", "-1", "abc"])
def test_impossible_thread_pages_are_refused_with_a_reason(client, thread, page):
    post(thread)
    response = client.get("/api/comments", {"thread": thread.key, "page": page})
    assert response.status_code == 422, response.content
    assert "page" in _reason(response)


def test_a_page_past_the_end_is_empty(client, thread):
    post(thread)
    response = client.get("/api/comments", {"thread": thread.key, "page": "10000"})
    assert response.status_code == 200
    assert response.json()["comments"] == [] and response.json()["has_more"] is False


@pytest.mark.parametrize(
    "method, path",
    [
        ("patch", f"/api/comments/{BEYOND_64_BITS}"),
        ("delete", f"/api/comments/{BEYOND_64_BITS}"),
        ("post", f"/api/comments/{BEYOND_64_BITS}/vote"),
        ("get", f"/comments/{BEYOND_64_BITS}/"),
        ("post", f"/comments/{BEYOND_64_BITS}/vote/"),
        ("post", f"/comments/{BEYOND_64_BITS}/edit/"),
        ("post", f"/comments/{BEYOND_64_BITS}/delete/"),
        ("get", f"/comments/articles/{BEYOND_64_BITS}/"),
        ("post", f"/comments/articles/{BEYOND_64_BITS}/post/"),
        ("get", f"/comments/articles/{BEYOND_64_BITS}/passage/"),
        ("get", f"/comments/articles/{BEYOND_64_BITS}/sort/newest/"),
        ("get", f"/notifications/feeds/articles/{BEYOND_64_BITS}/"),
        ("post", f"/notifications/subscribe/{BEYOND_64_BITS}/"),
        ("get", f"/live/articles/{BEYOND_64_BITS}/poll/"),
        ("get", f"/live/articles/{BEYOND_64_BITS}/"),
    ],
)
def test_ids_beyond_64_bits_are_not_found(client, article, method, path):
    body = {"body": "x", "value": 1}
    if path.startswith("/api/"):
        response = getattr(client, method)(path, body, content_type="application/json")
    elif method == "post":
        response = client.post(path, body)
    else:
        response = client.get(path)
    assert response.status_code == 404, response.content


@pytest.mark.parametrize(
    "query",
    [
        {"cpage": BEYOND_64_BITS},
        {"cpage": str(2**62)},
        {"comment": BEYOND_64_BITS},
        {"reply_to": BEYOND_64_BITS},
        {"edit": BEYOND_64_BITS},
    ],
)
def test_huge_numbers_in_the_comment_sections_address_are_harmless(client, thread, query):
    """The section shows as usual (the last page there is, or no highlight)."""
    post(thread, body="Still here")
    response = client.get(f"/comments/articles/{thread.article_id}/", query)
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


@pytest.mark.parametrize("since", [BEYOND_64_BITS, str(2**62)])
def test_huge_event_ids_on_the_live_poll_are_harmless(client, thread, since):
    post(thread)
    response = client.get(f"/live/articles/{thread.article_id}/poll/", {"since": since})
    assert response.status_code == 200
    assert response.json() == {"events": []}


def test_a_stream_resumes_no_further_than_the_threads_last_event(thread):
    """A Last-Event-ID from the future would set this process's hub for the article past
    every event still to come, silencing it for all readers: it is capped."""
    from rostra.notifications.live.views import _resume_from
    from rostra.notifications.models import LiveEvent

    post(thread)
    latest = LiveEvent.objects.filter(thread_id=thread.pk).latest("id").id
    assert _resume_from(thread.pk, int(BEYOND_64_BITS)) == latest
    assert _resume_from(thread.pk, latest) == latest
    assert _resume_from(None, 2**62) == 0


@pytest.mark.parametrize(
    "query", [{"block": "b\x00lock", "start": "0", "end": "4"}, {"block": "x" * 500}]
)
def test_a_passage_address_that_names_no_block_is_not_found(client, thread, query):
    """Block ids are Wagtail's: anything else (PostgreSQL cannot even compare a NUL)
    names no passage."""
    response = client.get(f"/comments/articles/{thread.article_id}/passage/", query)
    assert response.status_code == 404


def test_impossible_positions_in_a_passage_address_find_nothing(client, thread):
    response = client.get(
        f"/comments/articles/{thread.article_id}/passage/",
        {"block": "5a0c7e52-36b5-4b8a-a3a8-6f4f1b8f3c11", "start": BEYOND_64_BITS, "end": "-1"},
    )
    assert response.status_code == 200
