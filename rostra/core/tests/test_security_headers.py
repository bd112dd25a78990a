"""Second lines of defence: a Content-Security-Policy and a Permissions-Policy on every
page, public pages without any inline script or style for the policy to forbid, and a
Wagtail admin that makes no calls to other servers.

Chromium itself checks the policy on every page of every journey (e2e/conftest.py).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from wagtail.documents import get_document_model

from rostra.discussion.demo import ARTICLE_SLUG
from rostra.notifications.services import manage_token
from rostra.publishing.models import ArticlePage

pytestmark = pytest.mark.django_db

# Executable inline code: a <script> without src that is not a data block (JSON, JSON-LD),
# <style> elements, style="" attributes, on…="" handlers and javascript: addresses.
INLINE_CODE = {
    "inline script": re.compile(
        r"<script(?![^>]*\ssrc=)(?![^>]*\stype=\"application/(?:ld\+)?json\")[^>]*>", re.I
    ),
    "style element": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "event handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: address": re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}


def _directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _inline_code(html: str) -> list[str]:
    return [
        f"{kind}: {match.group(0)[:120]}"
        for kind, pattern in INLINE_CODE.items()
        for match in pattern.finditer(html)
    ]


def test_public_pages_allow_only_the_sites_own_scripts_and_styles(client, home):
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"], "as X-Frame-Options: SAMEORIGIN"
    assert policy["form-action"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]


def test_card_checkout_may_continue_on_stripe(client, home, settings):
    """The card form posts here and is redirected to Stripe's checkout page, which
    form-action must allow (Chromium checks redirects of a form submission)."""
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["form-action"] == ["'self'", "https://checkout.stripe.com"]
    settings.STRIPE_API_BASE = "http://127.0.0.1:4010/"
    policy = _directives(client.get("/")["Content-Security-Policy"])
    assert policy["form-action"] == ["'self'", "http://127.0.0.1:4010"]


def test_https_sites_upgrade_embedded_http_addresses(client, home, settings):
    settings.USES_HTTPS = True
    assert "upgrade-insecure-requests" in client.get("/")["Content-Security-Policy"]


def test_every_page_refuses_powerful_browser_features(client, home):
    features = dict(
        item.strip().split("=") for item in client.get("/")["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert "clipboard-write" not in features, "the copy buttons of addresses use it"


def test_the_admin_has_its_own_policy_for_wagtails_inline_code(client, home):
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(editor)
    response = client.get("/admin/")
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["connect-src"] == ["'self'"], "no calls to other servers from the admin"
    assert policy["object-src"] == ["'none'"]
    assert response["Permissions-Policy"]


def test_documents_keep_wagtails_stricter_policy(client, home, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    document = get_document_model().objects.create(
        title="Minutes", file=ContentFile(b"minutes", name="minutes.txt")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_public_pages_carry_no_inline_script_or_style(client, home):
    """Every kind of public page of the demo newsroom, with comments, goal bar, support
    blocks and QR codes, as a reader and as a signed-in reader."""
    call_command("demo", verbosity=0)
    article = ArticlePage.objects.get(slug=ARTICLE_SLUG)
    section = article.get_parent()
    pages = [
        "/",
        section.url,
        article.url,
        article.url + "?sort=votes",
        "/support/",
        "/support/thanks/",
        "/search/?q=barrier",
        "/no/such/page/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == (404 if path == "/no/such/page/" else 200), path
        assert _inline_code(response.content.decode()) == [], path

    reader = get_user_model().objects.create_user("ana", "ana@example.org", "pw")
    client.force_login(reader)
    client.post(reverse("notifications:subscribe", args=[article.pk]), {"kind": "thread"})
    manage = reverse("notifications:manage", args=[manage_token("ana@example.org")])
    assert "Unsubscribe</button>" in client.get(manage).content.decode()
    for path in (article.url, manage, "/accounts/email/", "/accounts/2fa/"):
        assert _inline_code(client.get(path).content.decode()) == [], path


def test_server_error_page_has_no_inline_style(rf):
    from django.views.defaults import server_error

    assert _inline_code(server_error(rf.get("/")).content.decode()) == []


def test_goal_bar_is_drawn_without_style_attributes(client, home):
    """The filled share and the ticks are SVG geometry, which the policy does not govern."""
    from rostra.funding.demo import demo_funding_load

    demo_funding_load()
    html = client.get("/support/").content.decode()
    bar = html[html.index('class="goal-bar"') :][:3000]
    assert re.search(r'<rect class="goal-bar__fill"[^>]* width="3\.80%"', bar)
    assert re.search(r'<text class="goal-bar__tick"[^>]* x="50\.00%"[^>]*>\$2,500</text>', bar)


def test_wagtail_admin_calls_no_other_server(client, home):
    """No release check, no "what's new" banner, no Gravatar images of staff."""
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert 'data-controller="w-upgrade' not in html
    assert "whats_new_in_wagtail_version" not in html
    assert "gravatar.com" not in html
