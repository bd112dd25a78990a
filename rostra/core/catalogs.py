"""The translation catalogs in locale/ (README, "Languages"): collecting the strings to
translate, and compiling the translations Rostra reads.

`make messages` runs `python -m rostra.core.catalogs`: for every language of
settings.LANGUAGES but English, `makemessages` over rostra/ (tests and vendored code
aside) updates locale/LANG/LC_MESSAGES/django.po (templates and Python) and
djangojs.po (scripts), then `compilemessages` writes the .mo files beside them. The .mo
files are committed, so a fresh clone serves translated pages without GNU gettext; a
test checks they match their .po files.
"""

import gettext
import os
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

PACKAGE_DIR = Path(__file__).resolve().parents[1]
DOMAINS = ("django", "djangojs")
# Directories (and files) of rostra/ whose strings no reader sees.
IGNORED = ["tests", "migrations", "vendor", "node_modules", "testing.py", "testing_*.py"]


def translated_languages() -> list[str]:
    """Every configured language but the one the code is written in."""
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def make_messages(locale_dir: Path, languages: list[str] | None = None) -> None:
    """Collect rostra/'s strings into `locale_dir`/LANG/LC_MESSAGES/{django,djangojs}.po,
    keeping the translations already there."""

    locale_dir.mkdir(parents=True, exist_ok=True)
    here = Path.cwd()
    os.chdir(PACKAGE_DIR)  # makemessages reads the tree below the working directory
    try:
        with override_settings(LOCALE_PATHS=[locale_dir]):
            for domain in DOMAINS:
                call_command(
                    "makemessages",
                    locale=languages or translated_languages(),
                    domain=domain,
                    ignore_patterns=IGNORED,
                    no_obsolete=True,
                    verbosity=0,
                )
    finally:
        os.chdir(here)


def compile_messages(locale_dir: Path) -> None:
    with override_settings(LOCALE_PATHS=[locale_dir]):
        call_command("compilemessages", locale=translated_languages(), verbosity=0)


def read_catalog(path: Path):
    with open(path, "rb") as po:
        return read_po(po)


def _expected_compiled(po_path: Path) -> dict:
    """What a .mo compiled from `po_path` holds: its translated, not fuzzy entries, keyed
    as Python's gettext keys them."""
    expected = {}
    for message in read_catalog(po_path):
        if not message.id or message.fuzzy:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        key = f"{message.context}\x04{ids[0]}" if message.context else ids[0]
        if message.pluralizable and all(message.string):
            expected.update({(key, i): string for i, string in enumerate(message.string)})
        elif not message.pluralizable and message.string:
            expected[key] = message.string
    return expected


def stale_compiled(locale_dir: Path) -> list[str]:
    """The .mo files under `locale_dir` that are missing or differ from their .po."""
    stale = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists():
            stale.append(f"{mo_path} is missing")
            continue
        with open(mo_path, "rb") as mo:
            compiled = {k: v for k, v in gettext.GNUTranslations(mo)._catalog.items() if k}
        if compiled != _expected_compiled(po_path):
            stale.append(f"{mo_path} does not match {po_path.name}")
    return stale


def main() -> None:
    import django

    from rostra.config import env

    env.use_default_settings_module()
    django.setup()
    locale_dir = Path(settings.LOCALE_PATHS[0])
    make_messages(locale_dir)
    compile_messages(locale_dir)
    for path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        print(path.relative_to(locale_dir.parent))


if __name__ == "__main__":
    main()
