"""Publishing in the outlet's language (#19): dates through the language's own formats,
feeds that say their language, and public-page validators that change with it."""

from datetime import datetime
from xml.etree import ElementTree

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db

DECEMBER_THIRD = datetime(2026, 12, 3, 10, 30, tzinfo=timezone.get_fixed_timezone(0))


@override_settings(LANGUAGE_CODE="de")
def test_article_and_card_dates_use_the_languages_formats(section):
    """In German the article's date reads "3. Dezember 2026" (day, full stop, German
    month), on the article and on the section's cards: no fixed English pattern."""
    article = make_article(section, "Haushalt beschlossen", published_at=DECEMBER_THIRD)
    for url in (article.url, section.url):
        page = Client().get(url).content.decode()
        assert "3. Dezember 2026" in page, url


def test_article_date_in_english_reads_as_english(section):
    """With the default language the date is English as a newsroom writes it, day
    first and the month spelled out (rostra.config.formats.en, not Django's US style)."""
    article = make_article(section, "Budget passed", published_at=DECEMBER_THIRD)
    assert "3 December 2026" in Client().get(article.url).content.decode()


@override_settings(LANGUAGE_CODE="de")
def test_feeds_declare_the_sites_language(section):
    """The RSS channel carries <language>de</language> and the Atom feed xml:lang="de"."""
    make_article(section, "Haushalt beschlossen")
    rss = ElementTree.fromstring(Client().get("/feeds/rss/").content)
    assert rss.findtext("channel/language") == "de"
    atom = ElementTree.fromstring(Client().get("/feeds/atom/").content)
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"


def test_a_public_pages_validator_changes_with_the_language(section):
    """A copy of a page kept in English is not current once the site speaks German: the
    same If-None-Match gets the page again (200), not a 304."""
    article = make_article(section, "Budget passed")
    for url in ("/", section.url, article.url, "/tags/none/"):
        english = Client().get(url)
        if english.status_code != 200:
            continue
        assert Client().get(url, headers={"If-None-Match": english["ETag"]}).status_code == 304
        with override_settings(LANGUAGE_CODE="de"):
            german = Client().get(url, headers={"If-None-Match": english["ETag"]})
        assert german.status_code == 200, url
        assert german["ETag"] != english["ETag"], url
