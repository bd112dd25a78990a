"""Django's and allauth's authentication backends, finding the signed-in user with a
query compiled once per process.

Every signed-in reader's request loads their user by id; Django's backend builds that
queryset anew each time, at several times the cost of SQLite's answer. Sign-in,
passwords and permissions are the parents' own. Sessions signed in under the parents'
paths (before Rostra used these) are read as signed in under these
(`rostra.core.sessions`), so nobody is signed out by the switch.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from rostra.core.compiled_queries import CompiledQuery

_USER_BY_ID = CompiledQuery(
    lambda pk: get_user_model()._default_manager.filter(pk=pk).order_by()[:1], [int]
)


class _CompiledUserLookup:
    def get_user(self, user_id):
        try:
            user = _USER_BY_ID.first(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_CompiledUserLookup, DjangoModelBackend):
    pass


class AuthenticationBackend(_CompiledUserLookup, AllauthBackend):
    pass


# The paths sessions stored before, and the backend each now stands for.
FORMER_PATHS = {
    "django.contrib.auth.backends.ModelBackend": "rostra.core.auth_backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "rostra.core.auth_backends.AuthenticationBackend"
    ),
}
