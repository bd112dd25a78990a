"""The JavaScript translation catalog (#19 item 1's JavaScript part): one per language at
an address that changes with its content, cacheable for a year, loaded by every page
before the scripts that use it, built without a database query."""

import json
import re

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from rostra.core import js_catalog
from rostra.publishing.testing import make_article

LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
CATALOG_SCRIPT = re.compile(r'<script src="(/jsi18n/(\w+)/(\w+)\.js)" defer></script>')


@pytest.fixture(autouse=True)
def fresh_catalogs():
    js_catalog._catalog.cache_clear()
    yield
    js_catalog._catalog.cache_clear()


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_answers_for_each_language_cacheable_for_a_year(language):
    """Each configured language has a catalog defining gettext/ngettext/interpolate, kept
    for a year at its versioned address, built without touching the database."""
    with CaptureQueriesContext(connection) as queries:
        url = js_catalog.catalog_url(language)
        response = Client().get(url)
    assert url.startswith(f"/jsi18n/{language}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    for function in ("django.gettext", "django.ngettext", "django.interpolate"):
        assert function in body
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "immutable" in cache_control
    assert f"max-age={js_catalog.ONE_YEAR}" in cache_control
    assert len(queries) == 0


@pytest.mark.django_db
def test_an_old_address_gets_the_current_catalog_kept_briefly():
    """A page cached before a release may name an earlier digest: it still gets the
    catalog, but not for a year."""
    response = Client().get("/jsi18n/de/0123456789abcdef.js")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert f"max-age={js_catalog.STALE_ADDRESS_SECONDS}" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_unknown_language_is_not_found():
    assert Client().get("/jsi18n/fr/0123456789abcdef.js").status_code == 404


@pytest.mark.django_db
def test_every_page_loads_its_languages_catalog_before_the_scripts(section, settings):
    """The article page (which runs the discussion scripts) names the catalog of the
    active language before any other script."""
    article = make_article(section, "Harbour news")
    for language in ("en", "ar"):
        settings.LANGUAGE_CODE = language
        with translation.override(language):
            html = Client().get(article.url).content.decode()
        scripts = re.findall(r'<script src="([^"]+)"', html)
        match = CATALOG_SCRIPT.search(html)
        assert match and match.group(2) == language
        assert scripts[0] == match.group(1)
        assert len(scripts) > 1


@pytest.mark.django_db
def test_the_catalog_carries_translations_and_plural_forms_and_a_new_address(tmp_path, settings):
    """A compiled djangojs catalog in LOCALE_PATHS reaches the browser, with its plural
    rule, under a new address."""
    before = js_catalog.catalog_url("ru")
    catalog = Catalog(locale="ru", domain="djangojs")
    catalog.add(
        ("%s new comment", "%s new comments"),
        ("%s новый комментарий", "%s новых комментария", "%s новых комментариев"),
    )
    directory = tmp_path / "ru" / "LC_MESSAGES"
    directory.mkdir(parents=True)
    with open(directory / "djangojs.mo", "wb") as mo:
        write_mo(mo, catalog)
    settings.LOCALE_PATHS = [tmp_path]
    translation.trans_real._translations = {}  # Django caches merged catalogs per process
    js_catalog._catalog.cache_clear()
    try:
        after = js_catalog.catalog_url("ru")
        body = Client().get(after).content.decode()
    finally:
        translation.trans_real._translations = {}
    assert after != before
    assert '"%s new comment": [' in body
    assert json.dumps("%s новых комментариев") in body  # the catalog is ASCII JSON
    assert "n%10==1" in body.replace(" ", "")
