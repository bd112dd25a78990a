"""Search in the site's language (#19 item 6): PostgreSQL stems words with the
text-search configuration of LANGUAGE_CODE, for the index and the query alike."""

import pytest
from django.db import connection
from django.test import Client, override_settings
from modelsearch.conf import get_app_config
from wagtail.search.backends import get_search_backend

from rostra.publishing.search_backend import text_search_config
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db

IndexEntry = get_app_config().get_model("IndexEntry")


def test_each_language_has_its_text_search_configuration():
    """en, de, es, ru get their stemmers (regional variants too); Arabic and any other
    language are searched word for word."""
    assert text_search_config("en") == "english"
    assert text_search_config("de") == "german"
    assert text_search_config("de-at") == "german"
    assert text_search_config("es") == "spanish"
    assert text_search_config("ru") == "russian"
    assert text_search_config("ar") == "simple"
    assert text_search_config("pt-br") == "simple"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no configurations")
@override_settings(LANGUAGE_CODE="de")
def test_the_search_backend_follows_the_language():
    """Wagtail's PostgreSQL backend is built with the configuration of the current
    LANGUAGE_CODE, for indexing and searching alike."""
    assert get_search_backend().config == "german"
    with override_settings(LANGUAGE_CODE="en"):
        assert get_search_backend().config == "english"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stemmers")
@override_settings(LANGUAGE_CODE="de")
def test_german_search_finds_other_forms_of_a_word(section):
    """On a German site, searching "Zeitung" finds an article that says "Zeitungen"."""
    make_article(section, "Der Lesesaal", text="Im Lesesaal liegen die Zeitungen der Region aus.")
    html = Client().get("/search/", {"q": "Zeitung"}).content.decode()
    assert "Der Lesesaal" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stemmers")
def test_english_search_stems_english_words(section):
    """On an English site, searching "newspaper" finds an article that says "newspapers",
    and the index holds English stems ("newspap")."""
    article = make_article(section, "The reading room", text="The region's newspapers lie out.")
    html = Client().get("/search/", {"q": "newspaper"}).content.decode()
    assert "The reading room" in html
    bodies = IndexEntry.objects.filter(object_id=str(article.pk)).values_list("body", flat=True)
    assert any("newspap" in body for body in bodies)
