"""Compressed HTML, JSON and feeds: brotli when the client takes it and the answer holds
no secret, else gzip.

BREACH guesses a secret in a compressed body from its length, given reflected input. An
answer for a reader without personal cookies holds no secret (public pages carry no form
token, see rostra.core.page_cache), so brotli is safe there. Anything personal, or that
issued a CSRF token, gets Django's gzip, which pads each answer by a random length;
Django also masks the CSRF token differently in every answer.
"""

import brotli
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

from rostra.core.page_cache import is_personal

COMPRESSIBLE_TYPES = (
    "text/html",
    "text/plain",
    "text/css",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
)
accepts_brotli = _lazy_re_compile(r"\bbr\b")
MIN_SIZE = 200  # shorter answers are not worth it (as GZipMiddleware)


accepts_gzip = _lazy_re_compile(r"\bgzip\b")


def accepted_encoding(request) -> str | None:
    """ "br" or "gzip", as this middleware would choose for an answer holding no secret
    (a view that keeps its answer compressed sends it so, with Content-Encoding)."""
    accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
    if accepts_brotli.search(accepted):
        return "br"
    return "gzip" if accepts_gzip.search(accepted) else None


def holds_no_secret(request) -> bool:
    return not is_personal(request) and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


class CompressionMiddleware(GZipMiddleware):
    """Compresses whole (not streamed: live events must flush as they come) text answers."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if response.streaming or content_type not in COMPRESSIBLE_TYPES:
            return response
        if len(response.content) < MIN_SIZE or response.has_header("Content-Encoding"):
            return response
        accepted = request.META.get("HTTP_ACCEPT_ENCODING", "")
        if accepts_brotli.search(accepted) and holds_no_secret(request):
            patch_vary_headers(response, ("Accept-Encoding",))
            compressed = brotli.compress(response.content, quality=5)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))
            etag = response.get("ETag")
            if etag and etag.startswith('"'):
                response.headers["ETag"] = "W/" + etag
            response.headers["Content-Encoding"] = "br"
            return response
        return super().process_response(request, response)
