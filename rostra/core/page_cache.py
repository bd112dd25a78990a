"""Public pages a proxy or CDN may keep, and private ones it must not.

A GET from a reader without personal cookies (no session, no guest identity, no saved
sort, no messages: settings.PERSONAL_COOKIES) sees the same page as every other such
reader. Those answers say `Cache-Control: public, max-age=0, s-maxage=N`
(settings.PUBLIC_PAGE_SECONDS for shared caches; browsers revalidate every time, so a
reader who has just written sees their own state at once), carry an ETag derived from
versions that writes bump (`version_reader`) and answer 304 when it still matches, before
anything is rendered.
They set no cookie and do not vary on Cookie: a proxy in front must skip its cache for
requests carrying a personal cookie (README, "Caching proxy or CDN"). Everything else
that passes through `serve_cacheable` is `private, no-cache`.

Apps add to a page's version with the `rostra_page_version` hook: `fn(page)` returns a
query of one value (its first row's first column, e.g. `values_list("version")[:1]`),
or a list of them, that changes whenever what the app shows on that page changes; all
of them are read together in one query (`version_reader`).
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language

from rostra.core import app_hooks

PAGE_VERSION_HOOK = "rostra_page_version"


def is_personal(request) -> bool:
    """Whether this reader may see anything of their own: signed in, a guest with an
    identity, a chosen sort order, a pending message; or anything but a GET/HEAD."""
    if request.method not in ("GET", "HEAD"):
        return True
    return any(name in request.COOKIES for name in settings.PERSONAL_COOKIES)


@dataclass(frozen=True)
class PageVersion:
    """What a public answer was rendered from: `value`, read before rendering in
    `language`, and `read` to read it again."""

    value: str
    language: str
    read: Callable[[], str]

    def still_current(self) -> bool:
        with translation.override(self.language):
            return self.read() == self.value


def version_reader(page=None, *, queries: Callable[[], list] | None = None) -> Callable[[], str]:
    """A function reading `page`'s version (or the site's, for None) in one query: the
    hour (pages are rendered afresh at least hourly: "5 minutes ago", the form clock),
    the language the page is rendered in (a copy in another language is not current),
    and every value the apps' `rostra_page_version` hooks ask for (or, for an answer
    that is not a page, the queries of one value `queries()` returns). The queries
    are compiled to SQL once, on the first read; every read after that only runs it."""
    compiled: list = []

    def read() -> str:
        if not compiled:
            compiled.append(_one_select(_hook_queries(page) if queries is None else queries()))
        sql, params = compiled[0]
        values: tuple = ()
        if sql:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute(sql, params)
                values = cursor.fetchone()
        return "|".join([str(int(time.time() // 3600)), get_language() or "", *map(str, values)])

    return read


def _hook_queries(page) -> list:
    queries = []
    for fn in app_hooks.registered(PAGE_VERSION_HOOK):
        found = fn(page)
        if found is not None:
            queries.extend(found if isinstance(found, list | tuple) else [found])
    return queries


def _one_select(queries) -> tuple[str, list]:
    """Queries of one value each as one SELECT of their scalar subqueries."""
    parts, params = [], []
    for query in queries:
        sql, query_params = query.query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
        parts.append(f"({sql})")
        params.extend(query_params)
    return ("SELECT " + ", ".join(parts) if parts else ""), params


def _etag(version: str) -> str:
    return '"' + hashlib.blake2b(version.encode(), digest_size=12).hexdigest() + '"'


def mark_public(response) -> None:
    patch_cache_control(
        response,
        public=True,
        # A browser asks again each time (a cheap 304 while nothing changed): after
        # writing, its reader has cookies and must get their private page at once.
        max_age=0,
        s_maxage=settings.PUBLIC_PAGE_SECONDS,
    )
    response.rostra_public = True


def mark_private(response) -> None:
    patch_cache_control(response, private=True, no_cache=True)


def serve_cacheable(request, *, version: Callable[[], str], render: Callable[[], object]):
    """`render()`'s response, public with an ETag of `version()` for anonymous readers
    (a 304 when the reader's copy is current), private otherwise."""
    if is_personal(request) or getattr(request, "rostra_needs_token", False):
        # A signed-in reader's page that becomes a frame (rostra.core.page_frames) is
        # kept while this version, read before rendering, holds.
        frame_version = None
        if getattr(request, "rostra_frame_wanted", False):
            frame_version = PageVersion(version(), get_language(), version)
        response = render()
        mark_private(response)
        response.rostra_frame_version = frame_version
        return response
    # The language too: a copy in one reader's (or the site's former) language is not current.
    # Read before rendering: a write meanwhile gives the next reader a new version.
    language, current = get_language(), version()
    etag = _etag(f"{language}|{current}")
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = render()
        if getattr(response, "rostra_public", False):
            return response  # a feed route of the page, with its own validators
        if response.status_code != 200:
            mark_private(response)
            return response
    response["ETag"] = etag
    mark_public(response)
    # What rostra.core.stored_pages keeps the finished answer under.
    response.rostra_version = PageVersion(current, language, version)
    return response


def serve_cacheable_feed(request, response):
    """A rendered feed for anyone: its Last-Modified (from its newest item) and an ETag of
    its content, answering 304 to If-None-Match or If-Modified-Since."""
    if response.status_code != 200:
        return response
    etag = _etag(response.content.decode())
    last_modified = response.get("Last-Modified")
    conditional = get_conditional_response(
        request,
        etag=etag,
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )
    conditional["ETag"] = etag
    if last_modified:
        conditional["Last-Modified"] = last_modified
    mark_public(conditional)
    return conditional


class PublicPageMiddleware:
    """Keeps public answers public: drops the Vary: Cookie that sessions add (the page
    did not depend on a cookie: none was sent), and turns an answer that sets a cookie
    after all into a private one, so a shared cache never keeps a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(response, "rostra_public", False):
            return response
        if response.cookies:
            response.headers.pop("Cache-Control", None)
            mark_private(response)
            patch_vary_headers(response, ["Cookie"])
            return response
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        kept = [v for v in vary if v.lower() != "cookie"]
        if kept:
            response["Vary"] = ", ".join(kept)
        elif "Vary" in response:
            del response["Vary"]
        return response
