"""What `rostra serve` loads before it forks its server processes and its worker.

A forked process shares its parent's memory until it writes to it. What a server
would otherwise load on its first request (every view's module, the template tag
libraries, the SQL compiler, the site's locale data) is loaded here once, so the
processes share one copy instead of holding one each. Nothing here touches the
database or any state a request changes.

`warm_up` then answers a few requests in the parent, which loads the rest (compiled
templates, the URL resolvers' lookup tables, translation catalogs, and Python's own
specialised bytecode of the code every request runs) into the shared memory too.
Measured on the bench site: a server process's private memory after a bench-like load
went down by about 9 MB for about 5 MB more in the parent, shared by all.
"""

import io
import sys
from importlib import import_module
from urllib.parse import urlsplit

from babel import Locale
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.template import engines
from django.urls import get_resolver
from django.utils.module_loading import import_string
from PIL import Image

from rostra.core import request_counts

# Public GETs every site answers: a health check, the home page (the base templates,
# menus and page tree), and the API's first answer (django-ninja's machinery).
WARM_UP_PATHS = ("/livez", "/", "/api/csrf")


def load_shared() -> None:
    get_resolver().url_patterns  # noqa: B018 - importing the URLconf imports every view
    for engine in engines.all():
        engine.engine.template_loaders  # noqa: B018 - and with the engine, its tag libraries
    for connection in connections.all():
        import_module(connection.ops.compiler_module)
    # The site's locale data (babel reads it all on first use: money on every page).
    Locale.parse(settings.ROSTRA_LOCALE).currency_formats  # noqa: B018
    # Imported by the first sign-in or sign-up (allauth loads its adapters then, and
    # with them the encryption of second-factor secrets) and the first image read
    # (Pillow's common formats): otherwise each server process imports its own copy.
    for adapter in (settings.ACCOUNT_ADAPTER, settings.MFA_ADAPTER):
        import_string(adapter)
    Image.preinit()


def warm_up(paths=WARM_UP_PATHS) -> dict[str, int]:
    """Answer an anonymous GET of each of `paths` through Django's full request handling
    and throw the answers away; {path: status}. A GET without cookies writes nothing
    that the first reader's would not (Wagtail creates a missing settings row); an error
    is answered (and logged) as for a reader.
    The requests are not counted in /metrics (nobody asked for them)."""
    handler = WSGIHandler()
    statuses = {path: _get(handler, path) for path in paths}
    request_counts.counter.discard()
    return statuses


def _get(handler: WSGIHandler, path: str) -> int:
    # As a reader reaches the site (a request by http to an https site is redirected).
    base = urlsplit(settings.BASE_URL)
    port = str(base.port or (443 if base.scheme == "https" else 80))
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": base.hostname,
        "SERVER_PORT": port,
        "HTTP_HOST": base.netloc,
        "HTTP_ACCEPT_ENCODING": "gzip, br",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": base.scheme,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split(" ", 1)[0])

    response = handler(environ, start_response)
    try:
        for _ in response:
            pass
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()
    return answer["status"]
