"""What `rostra serve` loads before it forks its server processes and its worker.

A forked process shares its parent's memory until it writes to it. What a server
would otherwise load on its first request (every view's module, the template tag
libraries, the SQL compiler, the site's locale data) is loaded here once, so the
processes share one copy instead of holding one each. Nothing here touches the
database or any state a request changes.
"""

from importlib import import_module

from babel import Locale
from django.conf import settings
from django.db import connections
from django.template import engines
from django.urls import get_resolver


def load_shared() -> None:
    get_resolver().url_patterns  # noqa: B018 - importing the URLconf imports every view
    for engine in engines.all():
        engine.engine.template_loaders  # noqa: B018 - and with the engine, its tag libraries
    for connection in connections.all():
        import_module(connection.ops.compiler_module)
    # The site's locale data (babel reads it all on first use: money on every page).
    Locale.parse(settings.ROSTRA_LOCALE).currency_formats  # noqa: B018
