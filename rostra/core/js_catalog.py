"""The JavaScript translation catalog: `gettext`, `ngettext`, `pgettext` and
`interpolate` for the site's scripts, from the `djangojs` catalogs in locale/.

Served from the site's own origin at an address naming the language and a digest of the
catalog (`/jsi18n/de/3f2a….js`), so browsers and proxies may keep it for a year: a new
catalog (a release, a compiled translation) gets a new address. It is built once per
language and process, from files only (no database query), and loaded by a plain
`<script src defer>` before the scripts that use it (no inline code, which the
Content-Security-Policy refuses).
"""

import hashlib
from functools import lru_cache

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.i18n import JavaScriptCatalog

ONE_YEAR = 60 * 60 * 24 * 365
# A page cached before a new release may still name the old digest: it gets the current
# catalog, kept briefly.
STALE_ADDRESS_SECONDS = 300


class RostraJavaScriptCatalog(JavaScriptCatalog):
    # rostra.core names no catalog of an app's own: the project's djangojs catalogs are in
    # LOCALE_PATHS, which Django always adds. Third-party apps' catalogs are left out.
    packages = ["rostra.core"]


@lru_cache(maxsize=16)
def _catalog(language: str) -> tuple[bytes, str]:
    """The catalog's JavaScript for `language` and its digest."""
    with translation.override(language):
        view = RostraJavaScriptCatalog()
        body = view.get(request=None).content
    return body, hashlib.blake2b(body, digest_size=8).hexdigest()


def catalog_url(language: str | None = None) -> str:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    _body, digest = _catalog(language)
    return reverse("js_catalog", kwargs={"language": language, "digest": digest})


def catalog(request, language: str, digest: str):
    if language not in dict(settings.LANGUAGES):
        raise Http404("No such language")
    body, current = _catalog(language)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    if digest == current:
        patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=STALE_ADDRESS_SECONDS)
    return response
