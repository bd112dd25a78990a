"""An editor sets up two-factor sign-in from the admin, then signs in with a code from
the authenticator app, and once with a recovery code."""

import re
import secrets
import subprocess

from playwright.sync_api import expect

from e2e.conftest import screenshot, sign_in_to_admin
from rostra.core.testing import ROSTRA, totp_code

SIGN_IN = re.compile(r"^sign in$", re.IGNORECASE)


def _create_editor(server) -> tuple[str, str]:
    """An account of its own: the first admin's sign-in stays one step for other journeys."""
    username, password = "two-factor-editor", secrets.token_urlsafe(12)
    subprocess.run(
        [*ROSTRA, "createsuperuser", "--noinput", "--username", username, "--email", ""],
        env={**server.env, "DJANGO_SUPERUSER_PASSWORD": password},
        check=True,
        capture_output=True,
        timeout=120,
    )
    return username, password


def _sign_out(page, server):
    page.goto(server.url + "/accounts/logout/")
    page.locator("main").get_by_role("button", name=re.compile("sign out", re.I)).click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_editor_sets_up_an_authenticator_app_and_signs_in_with_its_codes(rostra_server, page):
    base = rostra_server.url
    username, password = _create_editor(rostra_server)
    sign_in_to_admin(page, rostra_server, username, password)

    page.goto(base + "/admin/account/")
    page.get_by_role("tab", name="More actions").click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_role("link", name=re.compile("activate", re.IGNORECASE)).click()
    page.get_by_placeholder("Password").fill(password)  # allauth asks again before changes
    page.get_by_role("button", name=re.compile("confirm", re.IGNORECASE)).click()
    expect(page.get_by_role("img", name=re.compile(r"^[A-Z2-7]{32}$"))).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    screenshot(page, "two-factor-activate")
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(base + "/accounts/2fa/recovery-codes/")
    codes = page.get_by_label("Unused codes").input_value().split()
    assert len(codes) == 10
    _sign_out(page, rostra_server)

    sign_in_to_admin(page, rostra_server, username, password, arrive=False)
    expect(page).to_have_url(base + "/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name=SIGN_IN).click()
    expect(page).to_have_url(base + "/admin/")
    _sign_out(page, rostra_server)

    sign_in_to_admin(page, rostra_server, username, password, arrive=False)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name=SIGN_IN).click()
    expect(page).to_have_url(base + "/admin/")
