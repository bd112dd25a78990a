"""The site's WSGI application: Django's handler for pages, and a second one with a
shorter middleware chain for the JSON API under /api/: settings.MIDDLEWARE without
settings.HTML_ONLY_MIDDLEWARE.

An API answer needs the same rules as a page (Host validation, security headers,
sessions, authentication, the staff second factor, CSRF, the reader's language, metrics,
compression, stored public answers) but none of what only HTML pages use (static files,
messages, X-Frame-Options, Wagtail's redirects, allauth's page flow, page frames):
skipping those saved about a third of a vote's time in the chain.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.utils.module_loading import import_string

API_PREFIX = "/api/"


class ChainHandler(WSGIHandler):
    """Django's WSGI handler running the middleware named in `middleware` (dotted
    paths, outermost first) instead of settings.MIDDLEWARE. Every entry must work
    synchronously (all of the site's do)."""

    def __init__(self, middleware):
        self.middleware = tuple(middleware)
        super().__init__()

    def load_middleware(self, is_async=False):
        """BaseHandler.load_middleware for a synchronous chain of `self.middleware`."""
        if is_async:
            raise ValueError("ChainHandler builds synchronous chains only")
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(self.middleware):
            try:
                instance = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(instance, "process_view"):
                self._view_middleware.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self._template_response_middleware.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self._exception_middleware.append(instance.process_exception)
            handler = convert_exception_to_response(instance)
        self._middleware_chain = handler


def api_middleware() -> list[str]:
    return [name for name in settings.MIDDLEWARE if name not in settings.HTML_ONLY_MIDDLEWARE]


class SiteApplication:
    """WSGI: requests under API_PREFIX to the API's chain, all others to the site's."""

    def __init__(self):
        self.site = WSGIHandler()
        self.api = ChainHandler(api_middleware())

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"].startswith(API_PREFIX):  # always there (PEP 3333)
            return self.api(environ, start_response)
        return self.site(environ, start_response)
