"""A signed-in reader's page: the shared rendering with the reader's own regions laid over.

A page that `page_cache.serve_cacheable` renders for a signed-in reader differs from
every other such reader's only in a few marked regions (`personal_region`): the
masthead's account links, the comment section (its Notify-of row, the composer's
identity, the cards' votes and Edit/Delete) and the form tokens. The first such render
of an address (per site language and language) is rendered with its regions marked;
what lies outside them, with the form tokens taken out, is kept in this process as the
page's frame, checked by the page's version (one query, as `stored_pages`) and kept
STORED_SECONDS at most. The next signed-in reader of that address gets the frame with
their own regions rendered into it and their own form token filled in: no URL routing,
page tree walk or page template.

Each region's renderer (`register`) may decline (return None) for a reader who sees
more than everyone there (a moderator, the author of a held comment): that reader gets
the whole page rendered for them, as does staff (the admin's user bar), a reader with a
pending message, and a page asked for with `reply_to` or `edit` (no-JavaScript forms).
The answer stays `private, no-cache`; a frame holds nothing of the reader it was
rendered for (checked before it is kept: no region, token, name or e-mail address).
"""

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language
from wagtail.views import serve as wagtail_serve

from rostra.core.auth_backends import HOLDS_PERMISSIONS, holding_permissions
from rostra.core.compiled_queries import CompiledQuery
from rostra.core.form_tokens import request_token
from rostra.core.stored_pages import STORED_SECONDS, PageStore, StoredPage

# Not characters a template writes: a region's content sits between START..OPEN and END.
START, OPEN, END = "\x02", "\x01", "\x03"
REGION = re.compile(f"{START}([^{OPEN}]*){OPEN}([^{START}]*){START}(.*?){END}", re.DOTALL)
SLOT = re.compile(f"{START}([^{OPEN}]*){OPEN}([^{START}]*){START}")
TOKEN_SLOT = f"{START}token{OPEN}{START}"
TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
FULL_RENDER_PARAMETERS = ("reply_to", "edit")

_renderers: dict[str, Callable[[object, str], str | None]] = {}
FRAME_BYTES = 2 * 1024 * 1024  # frames hold no comments: a few dozen kilobytes each
page_frames = PageStore(max_bytes=FRAME_BYTES)


@receiver(setting_changed)
def _forget_frames_made_under_other_settings(**kwargs) -> None:
    """As for stored public pages: Django's settings change only in tests."""
    page_frames.clear()


def register(name: str):
    """`fn(request, argument)` renders region `name` for the request's reader, or
    returns None when that reader must get the whole page rendered for them."""

    def add(fn):
        _renderers[name] = fn
        return fn

    return add


def personal_region(request, name: str, argument, html: str, *, shared: bool = True) -> str:
    """`html`, marked as region `name` (rendered again with `argument`) when the page
    is being rendered to become a frame. Not `shared`: this reader sees more than
    everyone around the region (a moderator's count of comments), so their page
    becomes no frame."""
    if request is None or not getattr(request, "rostra_frame_wanted", False):
        return html
    if not shared:
        request.rostra_frame_refused = True
        return html
    marked = f"{START}{name}{OPEN}{argument}{START}{html}{END}"
    return mark_safe(marked) if isinstance(html, SafeData) else marked  # noqa: S308 (safe in, safe out)


def wants_frame(request) -> bool:
    """A signed-in reader whose page is the frame with their regions: not staff nor an
    editor (the user bar), no pending message, no no-JavaScript form asked for in the
    address."""
    if request.method != "GET" or "messages" in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    if any(name in request.GET for name in FULL_RENDER_PARAMETERS):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
        return False
    # Editors see Wagtail's user bar (read from the permissions the section asks anyway).
    if _holds_permissions(user) and user.has_perm("wagtailadmin.access_admin"):
        return False
    return not len(get_messages(request))


# A user who holds a permission, for a user not found by Rostra's backends (compiled
# once: building the query costs more than running it).
_HOLDING_PERMISSIONS = CompiledQuery(
    lambda pk: get_user_model()._default_manager.filter(holding_permissions(), pk=pk).only("pk"),
    [int],
)


def _holds_permissions(user) -> bool:
    """Whether `user` holds any permission, directly or through a group: as the user
    was found (`auth_backends.HOLDS_PERMISSIONS`), else in one query instead of the two
    of Django's permission lookup. Most readers hold none: their permission caches (the
    ones Django's ModelBackend, and allauth's built on it, keep on the user for the
    request) are set empty, so every later check in this request (the comment section
    asks whether the reader moderates) reads them."""
    if hasattr(user, "_perm_cache"):
        return bool(user._perm_cache)
    held = getattr(user, HOLDS_PERMISSIONS, None)
    if held is None:
        held = _HOLDING_PERMISSIONS.first(user.pk) is not None
    if held:
        return True
    user._user_perm_cache = user._group_perm_cache = user._perm_cache = set()
    return False


def _address(request) -> str:
    host = request.META.get("HTTP_HOST", "")
    language = f"{settings.LANGUAGE_CODE}/{get_language()}"
    return f"{language} {request.scheme}://{host}{request.get_full_path()}"


def _frame_of(html: str) -> str:
    """The page without its regions' content (their slots stay) and form tokens."""
    frame = REGION.sub(lambda found: f"{START}{found[1]}{OPEN}{found[2]}{START}", html)
    return TOKEN_FIELD.sub(lambda found: f"{found[1]}{TOKEN_SLOT}{found[2]}", frame)


def _holds_nothing_of(frame: str, request) -> bool:
    user = request.user
    names = {getattr(user, "email", ""), getattr(user, "display_name", ""), user.get_username()}
    if f"{START}account{OPEN}" not in frame or "userbar" in frame:
        return False
    if REGION.search(frame) or request.META.get("CSRF_COOKIE", "\x00") in frame:
        return False
    return not any(f">{name}<" in frame or f'"{name}"' in frame for name in names if name)


def _filled(frame: str, request) -> str | None:
    """The frame with the reader's regions and token; None if a region declines."""
    parts, last = [], 0
    for found in SLOT.finditer(frame):
        name, argument = found[1], found[2]
        if name == "token":
            html = request_token(request)
        else:
            renderer = _renderers.get(name)
            html = renderer(request, argument) if renderer is not None else None
            if html is None:
                return None
        parts += (frame[last : found.start()], html)
        last = found.end()
    parts.append(frame[last:])
    return "".join(parts)


class PageFrameMiddleware:
    """Answers a signed-in reader's GET from the page's frame while its version holds;
    turns their full render into the frame for the next one (see the module's
    docstring). Innermost: sessions, CSRF, compression and headers apply as to any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Only Wagtail's pages have frames: any other view (the API, the admin, a
        form) runs untouched, without this middleware reading the session first."""
        if view_func is not wagtail_serve or not wants_frame(request):
            return None
        found = page_frames.get(_address(request), request)
        if found is not None and found.version.still_current():
            html = _filled(found.body.decode(), request)
            if html is not None:
                response = HttpResponse(html, status=found.status)
                for name, value in found.headers:
                    response.headers[name] = value
                return response
        request.rostra_frame_wanted = True
        return None

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "rostra_frame_wanted", False):
            return response
        request.rostra_frame_wanted = False
        address = _address(request)
        version = getattr(response, "rostra_frame_version", None)
        if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
            return response
        html = response.content.decode()
        if START not in html:
            return response
        response.content = REGION.sub(lambda found: found[3], html).encode()
        frame = _frame_of(html)
        keep = version is not None and response.status_code == 200
        keep = keep and not getattr(request, "rostra_frame_refused", False)
        if keep and _holds_nothing_of(frame, request):
            page_frames.put(
                address,
                request,
                (),
                StoredPage(
                    version=version,
                    until=time.monotonic() + STORED_SECONDS,
                    status=response.status_code,
                    headers=tuple(
                        (name, value)
                        for name, value in response.items()
                        if name.lower() not in ("content-length",)
                    ),
                    body=frame.encode(),
                ),
            )
        return response
