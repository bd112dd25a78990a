"""Finished public pages kept in this process's memory, answered again without rendering.

A public page (rostra.core.page_cache: a GET from a reader without personal cookies)
leaves the application with its version (`version_reader`, read before rendering began)
and the means to read that version again. `StoredPageMiddleware`, outside compression
and every other middleware that shapes the answer, keeps the finished answer: status,
headers and body as sent, one copy per encoding (and per language where readers choose
theirs), because a page varies only on the request headers its `Vary` names.

The next such GET of the same address is answered from that copy after one check: the
page's version, read again (one query, compiled when the page was rendered; no URL
routing, page tree walk, template or compression). A write that changes what the page
shows changes its version, so the copy is not used any more from that moment, in every
process. A copy is also used for STORED_SECONDS at most: relative times ("3 minutes
ago") and the composer's clock are then at most that late, as behind a caching proxy.

Each process keeps its own copies (up to MAX_BYTES, the least recently used go first).
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from rostra.core.page_cache import PageVersion, is_personal

STORED_SECONDS = 60
MAX_BYTES = 8 * 1024 * 1024  # a few dozen pages in two or three encodings each


@dataclass(frozen=True)
class StoredPage:
    version: PageVersion
    until: float  # time.monotonic()
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)

    def response(self) -> HttpResponse:
        response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        return response


class PageStore:
    """Copies by (address, values of the request headers the answer varies on)."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._copies: OrderedDict[tuple, StoredPage] = OrderedDict()
        self._varies_on: dict[str, tuple[str, ...]] = {}
        self._size = 0
        self._lock = threading.Lock()  # request threads of one process share it

    @staticmethod
    def _key(address: str, request, varies_on: tuple[str, ...]) -> tuple:
        meta = request.META
        return (address, *(meta.get(name, "") for name in varies_on))

    def get(self, address: str, request) -> StoredPage | None:
        with self._lock:
            varies_on = self._varies_on.get(address)
            if varies_on is None:
                return None
            key = self._key(address, request, varies_on)
            found = self._copies.get(key)
            if found is not None:
                self._copies.move_to_end(key)
        if found is None or time.monotonic() >= found.until:
            return None
        return found

    def put(self, address: str, request, varies_on: tuple[str, ...], page: StoredPage) -> None:
        if page.size > self.max_bytes:
            return
        with self._lock:
            if self._varies_on.get(address) != varies_on:
                self._drop(lambda key: key[0] == address)
                self._varies_on[address] = varies_on
            key = self._key(address, request, varies_on)
            self._drop(lambda each: each == key)
            self._copies[key] = page
            self._size += page.size
            while self._size > self.max_bytes:
                _, dropped = self._copies.popitem(last=False)
                self._size -= dropped.size

    def _drop(self, matches) -> None:
        for key in [key for key in self._copies if matches(key)]:
            self._size -= self._copies.pop(key).size

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._varies_on.clear()
            self._size = 0


stored_pages = PageStore()


@receiver(setting_changed)
def _forget_pages_made_under_other_settings(**kwargs) -> None:
    """Django's settings change only in tests (override_settings): a page kept before
    was made under the old ones, which no version tells."""
    stored_pages.clear()


def _address(request) -> str:
    """The page's address, and the site's language: a page kept before the site changed
    its language (LANGUAGE_CODE) is not the page any more."""
    host = request.META.get("HTTP_HOST", "")
    return f"{settings.LANGUAGE_CODE} {request.scheme}://{host}{request.get_full_path()}"


def _request_header(name: str) -> str:
    name = name.strip().upper().replace("-", "_")
    return name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"


def _storable(response) -> bool:
    """A finished public answer: whole, 200, no cookie, public, and from a page that
    told its version (`page_cache.serve_cacheable`)."""
    return (
        getattr(response, "rostra_version", None) is not None
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in response.get("Cache-Control", "")
        and "*" not in response.get("Vary", "")
    )


class StoredPageMiddleware:
    """Answers a public GET from its stored copy while the page's version holds;
    keeps every public page it lets through (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" or is_personal(request):
            return self.get_response(request)
        address = _address(request)
        found = stored_pages.get(address, request)
        if found is not None and found.version.still_current():
            response = found.response()
            return get_conditional_response(request, etag=response["ETag"], response=response)
        response = self.get_response(request)
        if _storable(response):
            varies_on = tuple(
                _request_header(name)
                for name in response.get("Vary", "").split(",")
                if name.strip()
            )
            stored_pages.put(
                address,
                request,
                varies_on,
                StoredPage(
                    version=response.rostra_version,
                    until=time.monotonic() + STORED_SECONDS,
                    status=response.status_code,
                    headers=tuple(response.items()),
                    body=response.content,
                ),
            )
        return response
