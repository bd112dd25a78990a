"""The WSGI application for servers other than `rostra serve` (which runs asgi.py):
pages through Django's handler, the API through its own shorter chain
(rostra.config.handlers)."""

import django

from rostra.config import env
from rostra.config.handlers import SiteApplication

env.use_default_settings_module()
django.setup(set_prefix=False)

application = SiteApplication()
