"""Sessions and signed-in users read with compiled queries (rostra.core.sessions,
rostra.core.auth_backends) answer as Django's database store and backends do: the same
rows, expired sessions and deactivated accounts refused, former sessions kept."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from rostra.core.auth_backends import (
    FORMER_PATHS,
    HOLDS_PERMISSIONS,
    AuthenticationBackend,
    ModelBackend,
)
from rostra.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_site_reads_sessions_with_the_compiled_store():
    """The session engine is Rostra's, on Django's own table."""
    assert settings.SESSION_ENGINE == "rostra.core.sessions"
    assert SessionStore.get_model_class() is Session


def test_a_session_django_wrote_loads_in_one_query(django_assert_num_queries):
    """A session saved by Django's store (as before the switch) loads with its data, in
    one query, the second time too (the SQL is kept, not built again)."""
    written = DjangoStore()
    written["colour"] = "teal"
    written.save()
    for _ in range(2):
        store = SessionStore(written.session_key)
        with django_assert_num_queries(1):
            assert store.load() == {"colour": "teal"}
        assert store.session_key == written.session_key


def test_an_expired_or_unknown_session_loads_empty_and_forgets_its_key():
    """As Django's store: an expired row or an unknown key gives no data and no key, so
    the next save makes a new session."""
    expired = DjangoStore()
    expired["colour"] = "teal"
    expired.save()
    Session.objects.filter(pk=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    for key in (expired.session_key, "unknown-session-key-0000", None, "short"):
        store = SessionStore(key)
        assert store.load() == {}
        assert store.session_key is None


def test_a_signed_in_reader_stays_signed_in_and_signing_out_ends_it():
    """Through the site: the session signs the reader in on every request; after
    signing out the same cookie signs nobody in."""
    user = get_user_model().objects.create_user("ann", "ann@example.org", "pw")
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/accounts/email/").status_code == 200
    Session.objects.filter(pk=cookie).delete()
    assert client.get("/accounts/email/").status_code == 302


def _session_signed_in_under(backend_path: str, user) -> Client:
    """A browser whose session says `user` signed in through `backend_path`, as a
    session written before Rostra's backends."""
    store = DjangoStore()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend_path,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    store.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return client


@pytest.mark.parametrize("former", sorted(FORMER_PATHS))
def test_a_reader_signed_in_under_a_former_backend_stays_signed_in(former):
    """Sessions signed in under Django's or allauth's own backend path (before Rostra's
    subclasses) still sign their reader in."""
    user = get_user_model().objects.create_user("ann", "ann@example.org", "pw")
    client = _session_signed_in_under(former, user)
    assert client.get("/accounts/email/").status_code == 200


def test_the_signed_in_user_loads_in_one_compiled_query(django_assert_num_queries):
    """The backends find the user with the kept SQL, one query, as Django's would: none
    for an unknown id, none for a deactivated account."""
    backend = AuthenticationBackend()
    user = get_user_model().objects.create_user("ann", "ann@example.org", "pw")
    with django_assert_num_queries(1):
        assert backend.get_user(str(user.pk)) == user
    assert ModelBackend().get_user(user.pk) == user
    assert backend.get_user(user.pk + 1000) is None
    assert backend.get_user("not a number") is None
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None
    assert list(FORMER_PATHS.values()) == settings.AUTHENTICATION_BACKENDS


def test_the_user_comes_with_whether_they_hold_any_permission():
    """Found by the backends, a user says whether they hold a permission, directly or
    through a group (a signed-in page asks it of every reader)."""
    backend = ModelBackend()
    reader = get_user_model().objects.create_user("ann", "ann@example.org", "pw")
    direct = get_user_model().objects.create_user("ben", "ben@example.org", "pw")
    grouped = get_user_model().objects.create_user("cy", "cy@example.org", "pw")
    access_admin = Permission.objects.get(codename="access_admin")
    direct.user_permissions.add(access_admin)
    editors = Group.objects.create(name="Test editors")
    editors.permissions.add(access_admin)
    grouped.groups.add(editors)
    found = {user.username: backend.get_user(user.pk) for user in (reader, direct, grouped)}
    assert {name: getattr(user, HOLDS_PERMISSIONS) for name, user in found.items()} == {
        "ann": False,
        "ben": True,
        "cy": True,
    }
