"""Guard rails of #19 items 5 and 7: each shipped catalog is complete (every string the
sources have today, translated, none fuzzy) and its compiled .mo file is not stale."""

from pathlib import Path

from babel.messages.mofile import write_mo
from django.conf import settings

from rostra.core.catalogs import (
    DOMAINS,
    make_messages,
    read_catalog,
    stale_compiled,
    translated_languages,
)

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])


def _msgids(catalog) -> set:
    return {(message.context, message.id) for message in catalog if message.id}


def test_catalogs_are_complete(tmp_path):
    """For de, es, ru and ar: django.po and djangojs.po exist, have no untranslated and no
    fuzzy entry, and hold every msgid `makemessages` finds in the sources today."""
    problems = []
    catalogs = {}
    for language in translated_languages():
        for domain in DOMAINS:
            path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
            if not path.exists():
                problems.append(f"{path} is missing")
                continue
            catalog = catalogs[language, domain] = read_catalog(path)
            for message in catalog:
                if not message.id:
                    continue
                strings = message.string if message.pluralizable else [message.string]
                if not all(strings):
                    problems.append(f"{path}: untranslated {message.id!r}")
                if message.fuzzy:
                    problems.append(f"{path}: fuzzy {message.id!r}")
    assert not problems, "\n".join(problems[:50])

    make_messages(tmp_path, translated_languages())
    for (language, domain), catalog in catalogs.items():
        today = read_catalog(tmp_path / language / "LC_MESSAGES" / f"{domain}.po")
        missing = _msgids(today) - _msgids(catalog)
        assert not missing, f"{language}/{domain}.po lacks {sorted(missing)[:20]} (make messages)"


def test_compiled_catalogs_match_their_po_files():
    """Every .po in locale/ has a .mo beside it holding exactly its translated, not fuzzy
    entries (`make messages` compiles them)."""
    assert stale_compiled(LOCALE_DIR) == []


FIXTURE_PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Copied"
msgstr "Kopiert"

msgctxt "verb"
msgid "Share"
msgstr "Teilen"

msgid "%s new comment"
msgid_plural "%s new comments"
msgstr[0] "%s neuer Kommentar"
msgstr[1] "%s neue Kommentare"

#, fuzzy
msgid "Cancel"
msgstr "Abbrechen"
"""


def test_a_translation_edited_without_compiling_is_caught(tmp_path):
    """A .mo compiled from its .po matches; after the .po changes, or without a .mo,
    the check names it."""
    po_path = tmp_path / "de" / "LC_MESSAGES" / "djangojs.po"
    po_path.parent.mkdir(parents=True)
    po_path.write_text(FIXTURE_PO)
    assert stale_compiled(tmp_path) == [f"{po_path.with_suffix('.mo')} is missing"]
    with open(po_path.with_suffix(".mo"), "wb") as mo:
        write_mo(mo, read_catalog(po_path))
    assert stale_compiled(tmp_path) == []
    po_path.write_text(FIXTURE_PO.replace('"Kopiert"', '"Kopiert!"'))
    assert stale_compiled(tmp_path) == [f"{po_path.with_suffix('.mo')} does not match djangojs.po"]
