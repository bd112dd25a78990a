"""The site's language (LANGUAGE_CODE) and, when the operator allows it, each reader's
language from their browser (ROSTRA_READER_LANGUAGE, #19 item 2)."""

import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from rostra.config import env
from rostra.core.languages import language_from_accept_language
from rostra.publishing.testing import make_article

READER_LANGUAGE_MIDDLEWARE = "rostra.core.languages.ReaderLanguageMiddleware"


def _settings_error(**variables: str) -> str:
    """What importing the settings says with these variables (in a fresh process)."""
    result = subprocess.run(
        [sys.executable, "-c", "import rostra.config.settings"],
        env=env.child_environment(**variables),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    return result.stderr


def test_supported_languages_are_english_german_spanish_russian_and_arabic():
    """LANGUAGES lists the five languages; the site's own comes from LANGUAGE_CODE."""
    assert [code for code, _name in django_settings.LANGUAGES] == ["en", "de", "es", "ru", "ar"]
    assert django_settings.LANGUAGE_CODE == "en"
    assert str(django_settings.LOCALE_PATHS[0]).endswith("locale")


def test_an_unsupported_language_code_stops_the_start_naming_the_supported_ones(tmp_path):
    """LANGUAGE_CODE=fr is refused at start with a message listing what is supported."""
    error = _settings_error(LANGUAGE_CODE="fr", ROSTRA_DATA_DIR=str(tmp_path))
    assert "LANGUAGE_CODE must be one of en, de, es, ru, ar, not 'fr'" in error


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr-FR, ru;q=0.7", "ru"),
        ("ar", "ar"),
        ("fr, it", "en"),
        ("", "en"),
        ("*", "en"),
    ],
)
def test_the_reader_language_is_the_first_supported_one_the_browser_asks_for(header, expected):
    assert language_from_accept_language(header) == expected


@pytest.fixture
def reader_language(settings):
    """The settings ROSTRA_READER_LANGUAGE=true gives."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("django.middleware.common.CommonMiddleware"), READER_LANGUAGE_MIDDLEWARE
    )
    settings.MIDDLEWARE = middleware
    settings.READER_LANGUAGE = True
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_reader_language_is_off_by_default():
    """Without ROSTRA_READER_LANGUAGE every reader gets the site's language."""
    assert not django_settings.READER_LANGUAGE
    assert READER_LANGUAGE_MIDDLEWARE not in django_settings.MIDDLEWARE


@pytest.mark.django_db
def test_the_site_language_ignores_the_browser_by_default(section):
    """An Arabic browser gets the English site's page, `lang="en" dir="ltr"`."""
    article = make_article(section, "Harbour news")
    response = Client().get(article.url, headers={"Accept-Language": "ar"})
    assert '<html lang="en" dir="ltr">' in response.content.decode()


@pytest.mark.django_db
def test_an_arabic_site_is_right_to_left(section, settings):
    """LANGUAGE_CODE=ar renders `lang="ar" dir="rtl"` (from the language, before any catalog)."""
    settings.LANGUAGE_CODE = "ar"
    article = make_article(section, "Harbour news")
    with translation.override("ar"):
        response = Client().get(article.url)
    assert '<html lang="ar" dir="rtl">' in response.content.decode()


@pytest.mark.django_db
def test_one_readers_language_never_reaches_another(section, reader_language):
    """With reader languages on, a public page says `Vary: Accept-Language` and
    Content-Language, and its validator differs per language: a cache holding the German
    copy never answers an English reader with it (no 304 for the German ETag)."""
    article = make_article(section, "Harbour news")
    german = Client().get(article.url, headers={"Accept-Language": "de"})
    english = Client().get(article.url, headers={"Accept-Language": "en"})
    for response, language, direction in ((german, "de", "ltr"), (english, "en", "ltr")):
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]
        assert "accept-language" in response["Vary"].lower()
        assert response["Content-Language"] == language
        assert f'<html lang="{language}" dir="{direction}">' in response.content.decode()
    assert german["ETag"] != english["ETag"]
    revalidated = Client().get(
        article.url, headers={"Accept-Language": "en", "If-None-Match": german["ETag"]}
    )
    assert revalidated.status_code == 200
    assert '<html lang="en"' in revalidated.content.decode()
    same = Client().get(
        article.url, headers={"Accept-Language": "de", "If-None-Match": german["ETag"]}
    )
    assert same.status_code == 304


@pytest.mark.django_db
def test_a_language_cookie_does_not_choose_the_page(section, reader_language):
    """Public pages ignore cookies, so Django's language cookie must not choose their
    language either: a shared cache would hand that copy to everyone."""
    article = make_article(section, "Harbour news")
    client = Client(headers={"Accept-Language": "en"})
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get(article.url)
    assert '<html lang="en" dir="ltr">' in response.content.decode()
