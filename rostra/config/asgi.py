"""The ASGI application `rostra serve` runs under uvicorn.

Ordinary requests are handed to Django's WSGI handler in a thread pool (see
wsgi_bridge): under Django's ASGI handler every sync-only middleware costs two thread
hops, which measured 3 ms per request here against 0.3 ms this way. Paths that stream
(Server-Sent Events under /live/) go to Django's ASGI handler, which can hold a
connection open without a thread.
"""

import django
from django.core.handlers.asgi import ASGIHandler

from rostra.config import env
from rostra.config.handlers import SiteApplication
from rostra.config.wsgi_bridge import WsgiBridge

env.use_default_settings_module()
django.setup(set_prefix=False)

STREAMING_PREFIXES = ("/live/",)
# Per server process (`rostra serve --workers N` runs one per core). A process runs
# Python on one core at a time: 4 keep it busy while some requests wait on the database
# or a payment provider, and a slow one does not hold up the rest. Each thread keeps a
# database connection (on SQLite with its page cache): 8 held twice as many, idle.
WSGI_THREADS = 4


class RostraApplication:
    def __init__(self):
        self.streaming = ASGIHandler()
        # Pages through Django's handler, /api/ through its shorter chain (handlers).
        self.regular = WsgiBridge(SiteApplication(), threads=WSGI_THREADS)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"].startswith(STREAMING_PREFIXES):
            await self.streaming(scope, receive, send)
        else:
            await self.regular(scope, receive, send)


application = RostraApplication()
