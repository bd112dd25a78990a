"""The JSON API's own, shorter middleware chain (rostra.config.handlers) keeps every rule
an answer must follow: Host validation, security headers and CSP, sessions and
authentication, CSRF, the staff second factor, the reader's language, metrics, stored
public answers and compression. Requests go through the site's real WSGI application
(the one `rostra serve` runs), not the test client's handler."""

import gzip
import json
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.utils import translation

from rostra.config.handlers import SiteApplication
from rostra.core.metrics import counter
from rostra.discussion import services
from rostra.discussion.identity import Viewer
from rostra.discussion.testing import TEST_POLICY, post

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status_code = int(status.split(" ", 1)[0])
        self.headers = {}
        self.cookies = SimpleCookie()
        for name, value in headers:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
            else:
                self.headers[name] = value
        self.body = body


def ask(method, path, *, body=b"", cookies=None, **headers) -> Answer:
    """One request through the site's WSGI application, as a server hands it over."""
    environ = RequestFactory().generic(method, path, body, "application/json").environ
    environ["HTTP_HOST"] = headers.pop("host", "testserver")
    for name, value in headers.items():
        environ[f"HTTP_{name.upper()}"] = value
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    state = {}

    def start_response(status, response_headers, exc_info=None):
        state.update(status=status, headers=response_headers)

    # As Django's test client does: the test's transaction holds the database
    # connection, which the handler would otherwise close at the start and the end.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = application()(environ, start_response)
        body = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(state["status"], state["headers"], body)


_application = []


def application() -> SiteApplication:
    if not _application:
        _application.append(SiteApplication())
    return _application[0]


def test_an_api_answer_carries_the_security_headers_and_is_public_and_counted(thread):
    """A thread read through the API chain has the site's security headers and CSP, is
    public with an ETag (no cookie, no Vary: Cookie), is compressed for a client that
    asks, is counted for /metrics, and carries none of what only HTML pages need."""
    post(thread, body="The tide comes early. " * 40)
    before = counter._pending[("GET", "2xx")]
    answer = ask("GET", f"/api/comments?thread={thread.key}", accept_encoding="gzip")
    assert answer.status_code == 200
    for name in SECURITY_HEADERS:
        assert answer.headers.get(name), name
    assert answer.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert answer.headers["ETag"]
    assert "Cookie" not in answer.headers.get("Vary", "")
    assert not answer.cookies
    assert answer.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(answer.body))["total_comments"] == 1
    assert "X-Frame-Options" not in answer.headers
    assert counter._pending[("GET", "2xx")] == before + 1


def test_a_request_for_another_host_is_refused(thread):
    """A Host outside ALLOWED_HOSTS gets a 400, as on every page."""
    answer = ask("GET", f"/api/comments?thread={thread.key}", host="evil.example")
    assert answer.status_code == 400


def test_a_write_without_the_csrf_token_is_refused_and_with_it_is_done(thread):
    """A vote without the token from /api/csrf is a 403 that says why and changes
    nothing; /api/csrf sets the cookie through the API chain and the vote with the
    token counts."""
    comment = post(thread, body="The tide comes early.")
    refused = ask("POST", f"/api/comments/{comment.pk}/vote", body=b'{"value": 1}')
    assert refused.status_code == 403
    assert "CSRF" in json.loads(refused.body)["error"]
    comment.refresh_from_db()
    assert comment.upvotes == 0

    given = ask("GET", "/api/csrf")
    cookie = given.cookies["csrftoken"].value
    token = json.loads(given.body)["csrf_token"]
    done = ask(
        "POST",
        f"/api/comments/{comment.pk}/vote",
        body=b'{"value": 1}',
        cookies={"csrftoken": cookie},
        x_csrftoken=token,
    )
    assert done.status_code == 200, done.body
    comment.refresh_from_db()
    assert comment.upvotes == 1


def test_a_signed_in_readers_session_reaches_the_api(thread):
    """The session cookie signs the reader in on the API too: their answer is private,
    shows their own vote, and is compressed on the way out (gzip: it is personal)."""
    reader = get_user_model().objects.create_user("mira", "mira@example.org", "pw-long-enough-1")
    comment = post(thread, body="The tide comes early. " * 40)
    mira = Viewer(key=f"u:{reader.pk}", user_id=reader.pk, ip_hash="ip-mira")
    services.comment_vote(comment=comment, viewer=mira, policy=TEST_POLICY, value=1)
    browser = Client()
    browser.force_login(reader)
    session = browser.cookies["sessionid"].value
    answer = ask(
        "GET",
        f"/api/comments?thread={thread.key}",
        cookies={"sessionid": session},
        accept_encoding="gzip, br",
    )
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "private, no-cache"
    assert answer.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(answer.body))["comments"][0]["my_vote"] == 1


def test_staff_without_a_second_factor_are_sent_to_set_one_up(thread, settings):
    """With ROSTRA_STAFF_REQUIRE_2FA, a staff member without an authenticator is sent
    to set one up from the API as from every page."""
    settings.STAFF_REQUIRE_2FA = True
    moderator = get_user_model().objects.create_user(
        "mod", "mod@example.org", "pw-long-enough-1", is_staff=True
    )
    browser = Client()
    browser.force_login(moderator)
    session = browser.cookies["sessionid"].value
    answer = ask("GET", f"/api/comments?thread={thread.key}", cookies={"sessionid": session})
    assert answer.status_code == 302


def test_the_readers_language_reaches_the_apis_messages(settings):
    """With ROSTRA_READER_LANGUAGE, an error is told in the browser's language."""
    middleware = list(settings.MIDDLEWARE)  # as ROSTRA_READER_LANGUAGE=true makes it
    middleware.insert(
        middleware.index("django.middleware.common.CommonMiddleware"),
        "rostra.core.languages.ReaderLanguageMiddleware",
    )
    settings.MIDDLEWARE = middleware
    settings.READER_LANGUAGE = True
    _application.clear()  # built again with this chain
    try:
        german = ask("GET", "/api/comments?thread=article:999999", accept_language="de")
        english = ask("GET", "/api/comments?thread=article:999999", accept_language="en")
    finally:
        _application.clear()
        translation.activate(settings.LANGUAGE_CODE)
    assert german.status_code == english.status_code == 404
    assert json.loads(german.body)["error"] != json.loads(english.body)["error"]
    assert german.headers["Content-Language"] == "de"
