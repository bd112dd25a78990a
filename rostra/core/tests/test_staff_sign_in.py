"""Staff sign in through allauth's login, with its rate limits and a second factor.

Wagtail's own login views would check a password with neither, so they only lead to
allauth's sign-in page; posting to them signs nobody in.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache

from rostra.core.testing import totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "a long editorial passphrase"


@pytest.fixture(autouse=True)
def fresh_limits():
    """Rate limits live in the cache, which outlives a test's database transaction."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(home):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def _sign_in(client, login, password, *, address="198.51.100.1", next_url="/admin/"):
    return client.post(
        f"/accounts/login/?next={next_url}",
        {"login": login, "password": password},
        REMOTE_ADDR=address,
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_wagtail_admin_login_leads_to_the_sign_in_page(client, home):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/admin/login/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_sign_in_page_does_not_send_the_browser_to_another_site(client, home):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.parametrize("path", ["/admin/login/", "/_util/login/"])
def test_posting_a_password_to_wagtails_login_views_signs_nobody_in(client, editor, path):
    """No way round the rate limits and the second factor through Wagtail's forms."""
    response = client.post(path, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not _signed_in(client)


def test_wagtails_own_password_reset_is_off(client, home):
    """allauth's reset, which is rate-limited, is the only one."""
    assert client.get("/admin/password_reset/").status_code == 404


def test_editor_signs_in_with_user_name_and_reaches_the_admin(client, editor):
    response = _sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert _signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_forty_wrong_passwords_lock_the_account_and_the_right_one_is_refused(client, editor):
    """After five failures the account is locked; the password is not even checked."""
    for n in range(40):
        _sign_in(client, "editor", f"guess {n}", address=f"198.51.100.{n + 1}")
    checked = []

    def password_checked(**kwargs):
        checked.append(kwargs["credentials"])

    user_login_failed.connect(password_checked)
    try:
        response = _sign_in(client, "editor", PASSWORD, address="203.0.113.50")
        _sign_in(client, "editor", "one more guess", address="203.0.113.51")
    finally:
        user_login_failed.disconnect(password_checked)
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not _signed_in(client)
    assert checked == [], "a locked account's password is not checked"


@pytest.mark.parametrize(
    ("addresses", "same_client"),
    [
        (["203.0.113.9"] * 11, "203.0.113.9"),
        ([f"2001:db8:9:9::{n:x}" for n in range(1, 12)], "2001:db8:9:9:abcd::1"),
    ],
    ids=["ipv4", "ipv6-64"],
)
def test_failures_from_one_address_lock_it_for_every_account(
    client, editor, addresses, same_client
):
    """Ten failed sign-ins a minute per address (an IPv6 /64), whatever the accounts."""
    for n, address in enumerate(addresses):
        _sign_in(client, f"someone{n}", "wrong", address=address)
    refused = _sign_in(client, "editor", PASSWORD, address=same_client)
    assert "Too many failed login attempts" in refused.content.decode()
    assert not _signed_in(client)
    assert _sign_in(client, "editor", PASSWORD, address="192.0.2.77").status_code == 302
    assert _signed_in(client)


def test_rate_limits_keep_no_address_in_the_cache(client, editor):
    for n in range(3):
        _sign_in(client, "editor", f"guess {n}", address="203.0.113.200")
        _sign_in(client, "editor", f"guess {n}", address="2001:db8:42:1::5")
    keys = " ".join(str(key) for key in cache._cache)
    assert "allauth" in keys, "the limits are counted in Django's cache"
    assert "203.0.113.200" not in keys and "2001:db8:42" not in keys


# Two-factor sign-in ----------------------------------------------------------------


def _secret_on(html: str) -> str:
    field = re.search(r"<input[^>]*authenticator_secret[^>]*>", html).group(0)
    return re.search(r'value="([A-Z2-7]+)"', field).group(1)


def _activate_totp(client) -> str:
    """Set up an authenticator app as staff do: confirm the password, scan, type a code."""
    ask = client.get("/accounts/2fa/totp/activate/")
    assert ask["Location"].startswith("/accounts/reauthenticate/")
    confirmed = client.post(ask["Location"], {"password": PASSWORD})
    assert confirmed["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = _secret_on(page.content.decode())
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    return secret


def _recovery_codes(client) -> list[str]:
    html = client.get("/accounts/2fa/recovery-codes/").content.decode()
    return re.findall(r"\b\d{8}\b", html.split("Unused codes", 1)[-1])


def test_staff_set_up_an_authenticator_and_the_admin_sign_in_asks_for_its_code(client, editor):
    _sign_in(client, "editor", PASSWORD)
    secret = _activate_totp(client)
    client.post("/accounts/logout/")

    start = client.get("/admin/login/")
    response = _sign_in(client, "editor", PASSWORD, next_url="/admin/")
    assert start["Location"].startswith("/accounts/login/")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not _signed_in(client), "the password alone does not open the admin"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert "Incorrect code." in wrong.content.decode()
    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_authenticator_secrets_are_stored_encrypted_and_still_verify(client, editor, settings):
    """Neither the authenticator app's key nor the recovery codes' seed is in the
    database in clear; after a SECRET_KEY rotation that keeps the old key as a fallback,
    the app's codes still sign in."""
    from allauth.mfa.models import Authenticator

    _sign_in(client, "editor", PASSWORD)
    secret = _activate_totp(client)
    stored = {a.type: a.data for a in Authenticator.objects.filter(user=editor)}
    assert stored["totp"]["secret"].startswith("fernet:") and secret not in str(stored)
    assert stored["recovery_codes"]["seed"].startswith("fernet:")
    client.post("/accounts/logout/")

    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    _sign_in(client, "editor", PASSWORD, next_url="/admin/")
    done = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert done.status_code == 302 and done["Location"] == "/admin/"


def test_secrets_stored_before_encryption_are_sealed_by_the_migration(editor):
    """The migration seals clear-text keys, seeds and migrated codes, leaves sealed ones
    alone, and its reverse gives the clear text back."""
    import importlib

    from allauth.mfa.models import Authenticator
    from django.apps import apps

    from rostra.core.secret_box import unseal

    migration = importlib.import_module("rostra.core.migrations.0005_seal_two_factor_secrets")
    totp = Authenticator.objects.create(user=editor, type="totp", data={"secret": "JBSWY3DP"})
    codes = Authenticator.objects.create(
        user=editor, type="recovery_codes", data={"seed": "ab12", "migrated_codes": ["1234"]}
    )
    migration.seal_secrets(apps, None)
    migration.seal_secrets(apps, None)  # twice: still sealed once
    totp.refresh_from_db()
    codes.refresh_from_db()
    assert unseal(totp.data["secret"]) == "JBSWY3DP" and "JBSWY3DP" not in str(totp.data)
    assert unseal(codes.data["seed"]) == "ab12"
    assert unseal(codes.data["migrated_codes"][0]) == "1234"
    migration.unseal_secrets(apps, None)
    totp.refresh_from_db()
    assert totp.data == {"secret": "JBSWY3DP"}


def test_a_recovery_code_signs_in_once(client, editor):
    _sign_in(client, "editor", PASSWORD)
    _activate_totp(client)
    codes = _recovery_codes(client)
    assert len(codes) == 10
    client.post("/accounts/logout/")

    _sign_in(client, "editor", PASSWORD)
    used = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert used["Location"] == "/admin/" and _signed_in(client)
    client.post("/accounts/logout/")

    _sign_in(client, "editor", PASSWORD)
    again = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert "Incorrect code." in again.content.decode()
    assert not _signed_in(client)


def test_guessing_codes_is_rate_limited_too(client, editor):
    """Ten wrong codes lock the second step; then even the right code is refused."""
    _sign_in(client, "editor", PASSWORD)
    secret = _activate_totp(client)
    client.post("/accounts/logout/")
    _sign_in(client, "editor", PASSWORD)
    for n in range(10):
        client.post("/accounts/2fa/authenticate/", {"code": f"{n:06d}"})
    locked = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert "Too many failed login attempts. Try again later." in locked.content.decode()
    assert not _signed_in(client)


def test_admin_account_page_links_to_two_factor_settings(client, editor):
    _sign_in(client, "editor", PASSWORD)
    assert 'href="/accounts/2fa/"' in client.get("/admin/account/").content.decode()


# Requiring a second factor ----------------------------------------------------------


@pytest.fixture
def second_factor_required(settings):
    settings.STAFF_REQUIRE_2FA = True


@pytest.mark.usefixtures("second_factor_required")
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, editor):
    _sign_in(client, "editor", PASSWORD)
    for path in ("/admin/", "/admin/pages/", "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert "Two-factor sign-in is required for staff" in page.content.decode()
    _activate_totp(client)
    assert client.get("/admin/").status_code == 200


@pytest.mark.usefixtures("second_factor_required")
def test_editors_without_staff_flag_are_held_back_from_the_admin_too(client, home):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user("reporter", "r@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="Editors"))
    _sign_in(client, "reporter", PASSWORD)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.usefixtures("second_factor_required")
def test_readers_are_not_asked_for_a_second_factor(client, home):
    get_user_model().objects.create_user("ana", "ana@example.org", PASSWORD)
    response = _sign_in(client, "ana@example.org", PASSWORD, next_url="/")
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
