from django.core.wsgi import get_wsgi_application

from rostra.config import env

env.use_default_settings_module()
application = get_wsgi_application()
