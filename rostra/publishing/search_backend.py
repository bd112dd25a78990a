"""Wagtail's database search, in the site's language.

PostgreSQL stems words with a text-search configuration ("german" finds "Zeitungen"
when asked for "Zeitung"). Without one it uses the server's default, English on most
installations. This backend picks the configuration from LANGUAGE_CODE each time Wagtail
builds it (for indexing and for searching alike, so both use the same one), unless the
backend's SEARCH_CONFIG sets one. SQLite's full-text search has no configurations and is
unchanged. The index keeps stemmed words: after changing the language, `rostra
update_index` indexes every page again.
"""

from django.conf import settings
from modelsearch.backends import database

# PostgreSQL ships no Arabic stemmer: Arabic, like every language not listed, is searched
# word for word ("simple").
TEXT_SEARCH_CONFIGS = {"en": "english", "de": "german", "es": "spanish", "ru": "russian"}


def text_search_config(language_code: str) -> str:
    """PostgreSQL's text-search configuration for a Django language code ("de-at" → german)."""
    language = language_code.lower().replace("_", "-").split("-")[0]
    return TEXT_SEARCH_CONFIGS.get(language, "simple")


# Named as Wagtail looks it up in a backend module.
def SearchBackend(params):
    params = {"SEARCH_CONFIG": text_search_config(settings.LANGUAGE_CODE), **params}
    return database.SearchBackend(params)
