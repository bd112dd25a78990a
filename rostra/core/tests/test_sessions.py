"""Sessions read with the compiled query (rostra.core.sessions) answer as Django's
database store does: the same rows, expired ones refused."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

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
