"""Django's and allauth's authentication backends, finding the signed-in user with a
query compiled once per process.

Every signed-in reader's request loads their user by id; Django's backend builds that
queryset anew each time, at several times the cost of SQLite's answer. The user comes
with whether they hold any permission (`HOLDS_PERMISSIONS`), for one query less. Sign-in,
passwords and permissions are the parents' own. Sessions signed in under the parents'
paths (before Rostra used these) are read as signed in under these
(`rostra.core.sessions`), so nobody is signed out by the switch.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from rostra.core.compiled_queries import CompiledQuery

# Whether the user holds any permission, directly or through a group, comes with them
# (`holds_permissions`): a signed-in reader's page asks it (is this an editor, who sees
# Wagtail's user bar?), and most readers hold none.
HOLDS_PERMISSIONS = "rostra_holds_permissions"


def holding_permissions() -> Q:
    """A user who holds a permission, directly or through a group."""
    return Q(Exists(Permission.objects.filter(user=OuterRef("pk")))) | Q(
        Exists(Permission.objects.filter(group__user=OuterRef("pk")))
    )


_USER_BY_ID = CompiledQuery(
    lambda pk: (
        get_user_model()
        ._default_manager.filter(pk=pk)
        .annotate(**{HOLDS_PERMISSIONS: ExpressionWrapper(holding_permissions(), BooleanField())})
        .order_by()[:1]
    ),
    [int],
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
