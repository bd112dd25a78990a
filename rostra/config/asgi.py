import django
from django.core.handlers.asgi import ASGIHandler

from rostra.config import env

env.use_default_settings_module()
django.setup(set_prefix=False)
application = ASGIHandler()
