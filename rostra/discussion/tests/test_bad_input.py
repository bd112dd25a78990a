"""Broken or hostile input is refused with a clear message and writes nothing, whichever
way it arrives: the service itself (imports and commands), the JSON API, and the form
(plain POST and htmx, keeping what the reader typed).

PostgreSQL refuses NUL characters and no database driver can encode a lone surrogate
(half of a UTF-16 pair, which JSON carries as "\\ud800"), so before these checks such
input was a server error on PostgreSQL and was stored silently on SQLite.
"""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from rostra.discussion import services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, Report
from rostra.discussion.services import DiscussionError
from rostra.discussion.testing import TEST_POLICY, guest, post

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 250 + "@example.com"

# (field, value, what the reader is told)
GUEST_DETAILS = [
    ("name", "Ana\x00Lopez", "Names cannot contain"),
    ("name", "Ana\x07", "Names cannot contain"),
    ("email", LONG_EMAIL, "at most 254 characters"),
    ("email", "ana@exa\x00mple.org", "does not look right"),
    ("website", "http://[::1", "http:// or https://"),
    ("website", "http://harbour\x00.example", "http:// or https://"),
    ("website", "https://harbour.example/\x01", "http:// or https://"),
]
# Only JSON can carry a lone surrogate: a form's bytes are decoded with replacement.
SURROGATES = [
    ("body", "Broken \ud800 emoji", "broken character"),
    ("name", "Ana \ud800", "Names cannot contain"),
    ("email", "ana@\ud800.example", "does not look right"),
    ("website", "http://\ud800.example", "http:// or https://"),
]


@pytest.mark.parametrize(("field", "value", "message"), GUEST_DETAILS + SURROGATES)
def test_the_service_refuses_what_cannot_be_stored(thread, field, value, message):
    """Every entry point calls the service, so it is the one that must refuse."""
    details = {"body": "A fair point.", "name": "Ana", field: value}
    with pytest.raises(DiscussionError, match=message) as refused:
        services.comment_post(thread=thread, viewer=guest(), policy=TEST_POLICY, **details)
    assert refused.value.field == field and refused.value.status == 400
    assert not Comment.objects.exists()


def test_an_edit_with_a_lone_surrogate_is_refused(thread):
    reader = guest()
    comment = post(thread, reader, body="Fine words")
    with pytest.raises(DiscussionError, match="broken character"):
        services.comment_edit(comment=comment, viewer=reader, policy=TEST_POLICY, body="\ud800")
    comment.refresh_from_db()
    assert comment.body_source == "Fine words"


def test_a_signed_in_readers_long_account_name_fits_the_column(thread):
    """Account names can be longer than a comment's author column (first and last name,
    150 characters each); the reader cannot change them in the form, so they are cut."""
    user = get_user_model().objects.create_user("long", first_name="F" * 150, last_name="L" * 150)
    viewer = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name=user.get_full_name())
    comment = post(thread, viewer, body="Signed in")
    comment.refresh_from_db()
    assert comment.author_name == ("F" * 150 + " " + "L" * 49)


# The JSON API -----------------------------------------------------------------------------


@pytest.fixture
def api_client():
    client = Client(enforce_csrf_checks=True)
    client.get("/api/csrf")
    return client


def _api_post(client, path, data):
    return client.post(
        path,
        json.dumps(data),
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )


@pytest.mark.parametrize(("field", "value", "message"), GUEST_DETAILS + SURROGATES)
def test_the_api_refuses_what_cannot_be_stored(api_client, article, field, value, message):
    data = {"thread": f"article:{article.pk}", "body": "A fair point.", "name": "Ana"}
    response = _api_post(api_client, "/api/comments", {**data, field: value})
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert message in response.json()["error"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("key", ["article:1\x00", "\ud800", "x" * 256])
def test_the_api_refuses_thread_keys_that_cannot_exist(api_client, client, article, key):
    """A thread key is one line of printable text of at most 255 characters."""
    responses = [
        _api_post(api_client, "/api/comments", {"thread": key, "body": "Hi", "name": "Ana"})
    ]
    if key != "\ud800":  # a URL cannot carry a lone surrogate, only JSON can
        responses.append(client.get("/api/comments", {"thread": key}))
        responses.append(client.get("/api/counts", {"thread": ["article:1", key]}))
    for response in responses:
        assert response.status_code == 422, response.content
        error = response.json()
        assert error["field"].startswith("thread") and "thread" in error["error"], error
    assert not Comment.objects.exists()


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**62), "0"])
def test_the_api_refuses_page_numbers_out_of_range(client, thread, page):
    post(thread)
    response = client.get("/api/comments", {"thread": thread.key, "page": page})
    assert response.status_code == 422
    assert response.json()["field"] == "page"


def test_the_api_answers_404_for_an_article_id_no_database_holds(api_client):
    key = "article:99999999999999999999"
    response = _api_post(api_client, "/api/comments", {"thread": key, "body": "Hi", "name": "A"})
    assert response.status_code == 404
    assert response.json()["error"] == f"No discussion {key!r}."


@pytest.mark.parametrize("key", ["article:abc", "article:", "article:²"])
def test_the_api_refuses_article_keys_without_an_article_number(api_client, key):
    """Parsed before any query: 422 naming the field and saying what a key is."""
    response = _api_post(api_client, "/api/comments", {"thread": key, "body": "Hi", "name": "A"})
    assert response.status_code == 422
    assert response.json()["field"] == "thread"
    assert "article's number" in response.json()["error"]


def test_every_api_refusal_has_the_documented_error_body(api_client, client, thread):
    """One shape for every refusal: `error` says what to change, `field` where; a request
    that does not match the schema (422) also lists each problem in `detail`."""
    not_json = api_client.post(
        "/api/comments",
        "{not json",
        content_type="application/json",
        headers={"X-CSRFToken": api_client.cookies["csrftoken"].value},
    )
    assert not_json.status_code == 400
    assert not_json.json() == {
        "error": "The request body is not valid JSON (line 1, column 2).",
        "field": "",
    }

    no_token = Client(enforce_csrf_checks=True).delete("/api/comments/1")
    assert no_token.status_code == 403
    assert no_token.json() == {"error": "CSRF token missing or incorrect.", "field": ""}

    missing = api_client.patch("/api/comments/1", headers=_token(api_client))
    assert missing.status_code == 422
    assert missing.json()["error"] == "Field required (request body)."
    assert missing.json()["detail"][0]["loc"] == ["body", "payload"]

    unknown = _api_post(api_client, "/api/comments/123456/vote", {"value": 1})
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "No such comment.", "field": ""}

    wrong_sort = client.get("/api/comments", {"thread": thread.key, "sort": "loudest"})
    assert wrong_sort.status_code == 422
    assert wrong_sort.json()["field"] == "sort"
    assert wrong_sort.json()["error"].startswith(
        "Input should be 'newest', 'oldest', 'voted' or 'picks'"
    )


# Every endpoint that reads a JSON body, with fields it accepts for a comment.
JSON_BODY_ENDPOINTS = [
    (
        "post",
        "/api/comments",
        lambda comment: {"thread": comment.thread.key, "body": "Hi", "name": "Ana"},
    ),
    ("patch", "/api/comments/{id}", lambda comment: {"body": "Changed"}),
    ("post", "/api/comments/{id}/vote", lambda comment: {"value": 1}),
    ("post", "/api/comments/{id}/reports", lambda comment: {"reason": "spam"}),
    ("post", "/api/comments/{id}/pick", lambda comment: {"picked": True}),
]
# (body, content type, what the client is told)
UNREADABLE_BODIES = [
    ('{"reason": "spam"', "application/json", "not valid JSON (line 1, column 18)"),
    ("{'value': 1}", "application/json", "not valid JSON (line 1, column 2)"),
    (b'{"body": "\xff"}', "application/json", "not valid JSON."),
    ("[" * 100_000, "application/json", "not valid JSON."),
    ("reason=spam", "application/x-www-form-urlencoded", "not valid JSON (line 1, column 1)"),
    ('"spam"', "application/json", "must be a JSON object"),
    ("[]", "application/json", "must be a JSON object"),
    ("null", "application/json", "must be a JSON object"),
]


@pytest.mark.parametrize(("method", "path", "_fields"), JSON_BODY_ENDPOINTS)
def test_a_body_that_is_no_json_object_is_refused_by_every_endpoint(
    api_client, thread, method, path, _fields
):
    """Malformed JSON, or JSON that is not an object (a string, a list, null), is a 400
    that says so in the site's language, before anything is looked up or changed; it is
    not a 422 about a missing field, nor (for picks, whose fields are all optional) a 200."""
    comment = post(thread, body="Original")
    url = path.format(id=comment.pk)
    for body, content_type, message in UNREADABLE_BODIES:
        response = getattr(api_client, method)(
            url, body, content_type=content_type, headers=_token(api_client)
        )
        assert response.status_code == 400, (body[:20], response.content)
        assert response.json()["field"] == ""
        assert message in response.json()["error"], (body[:20], response.json())
    with override_settings(LANGUAGE_CODE="de"):
        german = getattr(api_client, method)(
            url, "[]", content_type="application/json", headers=_token(api_client)
        )
    assert german.status_code == 400
    assert "JSON-Objekt" in german.json()["error"]
    comment.refresh_from_db()
    assert comment.body_source == "Original" and comment.picked_at is None
    assert (comment.upvotes, Comment.objects.count(), Report.objects.count()) == (0, 1, 0)


@pytest.mark.parametrize(("method", "path", "fields"), JSON_BODY_ENDPOINTS)
def test_every_json_endpoint_still_reads_a_json_object(api_client, thread, method, path, fields):
    """The same requests with a JSON object get past parsing (the control for the test
    above): none is refused as unreadable."""
    comment = post(thread, body="Original")
    response = getattr(api_client, method)(
        path.format(id=comment.pk),
        json.dumps(fields(comment)),
        content_type="application/json",
        headers=_token(api_client),
    )
    assert response.status_code != 400, response.content


def _token(client):
    return {"X-CSRFToken": client.cookies["csrftoken"].value}


def test_the_openapi_schema_declares_every_refusal(client):
    spec = client.get("/api/openapi.json").json()
    declared = {
        (path, method): set(operation["responses"])
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    }
    assert declared[("/api/comments", "get")] == {"200", "404", "422"}
    assert declared[("/api/comments", "post")] == {"201", "400", "403", "404", "422", "429"}
    assert declared[("/api/comments/{comment_id}", "patch")] == {"200", "400", "403", "404", "422"}
    assert declared[("/api/comments/{comment_id}", "delete")] == {"204", "403", "404", "422"}
    assert declared[("/api/comments/{comment_id}/vote", "post")] == {
        "200", "400", "403", "404", "422"
    }  # fmt: skip
    assert declared[("/api/counts", "get")] == {"200", "400", "422"}
    schemas = spec["components"]["schemas"]
    assert set(schemas["ErrorOut"]["required"]) == {"error", "field"}
    assert set(schemas["InvalidOut"]["required"]) == {"error", "field", "detail"}


# The form, without and with htmx --------------------------------------------------------


def _form_post(client, article, headers=None, **data):
    fields = {"body": "My careful thoughts", "name": "Ana", **data}
    return client.post(f"/comments/articles/{article.pk}/post/", fields, headers=headers or {})


@pytest.mark.parametrize(("field", "value", "message"), GUEST_DETAILS)
def test_the_form_refuses_and_keeps_the_readers_text(client, article, field, value, message):
    response = _form_post(client, article, **{field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert ">My careful thoughts</textarea>" in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), GUEST_DETAILS)
def test_the_htmx_form_refuses_and_keeps_the_readers_text(client, article, field, value, message):
    response = _form_post(client, article, headers={"HX-Request": "true"}, **{field: value})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comments"')
    assert message in html
    assert ">My careful thoughts</textarea>" in html
    assert not Comment.objects.exists()


def test_a_huge_comment_page_number_shows_the_comments(client, article, thread):
    """`cpage` past the last page shows every page up to it, as for any page past the end."""
    post(thread, body="Still here")
    for page in ("99999999999999999999", str(2**62)):
        for url in (article.url, f"/comments/articles/{article.pk}/"):
            response = client.get(url, {"cpage": page})
            assert response.status_code == 200, url
            assert "Still here" in response.content.decode()


def test_a_passage_that_cannot_exist_is_refused(client, article, thread):
    post(thread)
    response = client.get(
        f"/comments/articles/{article.pk}/passage/", {"block": "a\x00", "start": 0, "end": 1}
    )
    assert response.status_code == 404


def test_an_unreadable_request_body_is_refused_in_the_documented_shape(api_client, settings):
    """Django refuses a malformed form body or one over DATA_UPLOAD_MAX_MEMORY_SIZE with
    its own HTML page; the API answers in its documented JSON instead."""
    headers = {"X-CSRFToken": api_client.cookies["csrftoken"].value}
    no_boundary = api_client.post(
        "/api/comments",
        json.dumps({"thread": "x", "body": "y"}),
        content_type="multipart/form-data",
        headers=headers,
    )
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    too_big = _api_post(api_client, "/api/comments", {"thread": "x", "body": "y" * 2_000})
    for response in (no_boundary, too_big):
        assert response.status_code == 400, response.content
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["error"].startswith("The request cannot be read")
    assert not Comment.objects.exists()
