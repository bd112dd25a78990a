"""Form tokens (CSRF) without a cookie on public pages.

A public page carries empty token fields (`{% form_token %}`), so it sets no cookie and a
proxy may keep it. With JavaScript the page fetches a token from /api/csrf when the
reader starts to write or vote, and fills the fields and htmx's X-CSRFToken header
(core/static/core/form_tokens.js). Without JavaScript the first POST has no token: when
it comes from the site's own pages (a verified same-origin `Origin` header) the reader
gets the form back with a token and everything they typed, and posts again. Apps show
their own form again through the `rostra_csrf_refused` hook (`fn(request)` returns a
response or None); any other form gets a page offering to send the same fields again.
A POST from another site is a plain 403.
"""

from django.conf import settings
from django.middleware.csrf import REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import render
from django.utils.html import format_html
from django.views.csrf import csrf_failure as django_csrf_failure

from rostra.core import app_hooks
from rostra.core.page_cache import is_personal

CSRF_REFUSED_HOOK = "rostra_csrf_refused"
TOKEN_FIELD = "csrfmiddlewaretoken"  # noqa: S105 (a field name, not a secret)


def needs_token(request) -> bool:
    """Whether a form in this answer should hold a real token (and set the cookie)."""
    return is_personal(request) or getattr(request, "rostra_needs_token", False)


def request_token(request) -> str:
    """The form token for every field of this answer, masked once: masking draws 32
    random characters, and a signed-in reader's page has several fields. Masked again
    if the secret changed meanwhile (signing in rotates it)."""
    secret = request.META.get("CSRF_COOKIE")
    kept = getattr(request, "_rostra_form_token", None)
    if kept is not None and secret is not None and kept[0] == secret:
        return kept[1]
    token = get_token(request)
    request._rostra_form_token = (request.META["CSRF_COOKIE"], token)
    return token


def form_token_value(request) -> str:
    return request_token(request) if request is not None and needs_token(request) else ""


def form_token_field(request):
    return format_html(
        '<input type="hidden" name="{}" value="{}" data-form-token>',
        TOKEN_FIELD,
        form_token_value(request),
    )


def _from_own_pages(request) -> bool:
    """Django's CSRF check has verified any Origin header before it looks for the cookie;
    a same-origin browser always sends one with a form POST."""
    origin = request.headers.get("Origin", "")
    own = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
    return origin in own


def csrf_failure(request, reason=""):
    if reason != REASON_NO_CSRF_COOKIE or not _from_own_pages(request):
        return django_csrf_failure(request, reason=reason)
    request.rostra_needs_token = True
    for refused in app_hooks.registered(CSRF_REFUSED_HOOK):
        response = refused(request)
        if response is not None:
            response.status_code = 403
            return response
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name != TOKEN_FIELD
        for value in values
    ]
    context = {"action": request.get_full_path(), "fields": fields}
    return render(request, "core/send_again.html", context, status=403)
