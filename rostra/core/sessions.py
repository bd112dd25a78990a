"""Django's database sessions, read with a query compiled once per process.

Every signed-in reader's request reads their session first. Django's store builds the
lookup's queryset anew for each request, which costs several times what SQLite takes to
answer it; here the SQL is kept (`CompiledQuery`) and the expiry compared in Python, so
the answer is the one Django's store gives. Same table, same rows: sessions made before
the switch stay valid (those signed in under Django's or allauth's backend read as
signed in under Rostra's subclass of it: `auth_backends`), and writes go through
Django's store unchanged.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from rostra.core.auth_backends import FORMER_PATHS
from rostra.core.compiled_queries import CompiledQuery

_SESSION_BY_KEY = CompiledQuery(
    lambda key: Session.objects.filter(session_key=key).order_by()[:1], [str]
)


class SessionStore(DatabaseSessionStore):
    def load(self):
        data = super().load()
        backend = data.get(BACKEND_SESSION_KEY)
        if backend in FORMER_PATHS:  # signed in before Rostra's backends took over
            data[BACKEND_SESSION_KEY] = FORMER_PATHS[backend]
        return data

    def _get_session_from_db(self):
        key = self.session_key  # None for a key Django's key validation refuses
        found = _SESSION_BY_KEY.first(key) if key else None
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        return found
