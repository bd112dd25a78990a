"""Text as the filter reads it: the same word however it is disguised.

Spammers write "F R E E  m0ney" with full-width letters, Cyrillic look-alikes, a zero,
spaced-out letters, so that word lists and naive classifiers miss it. Folding undoes the
common disguises before any n-gram is taken, in every language:

- compatibility forms (full-width, mathematical bold, ligatures) become plain letters,
  accents and case are dropped, invisible characters (zero-width, soft hyphen) removed:
  the folding word lists use too (rostra.core.folding);
- a word that mixes scripts (Latin with Cyrillic or Greek look-alikes) is spelled in
  Latin; a word in one script (Russian, Greek) is left as it is;
- a word that mixes letters and digits is read with the digits as letters
  ("v1agra" → "viagra"); numbers alone stay numbers;
- letters spaced out ("f r e e", "f.r.e.e") are joined, and a letter repeated more than
  twice is cut to two ("freeeee" → "free", "soooo" → "soo").
"""

import re
import unicodedata

from rostra.core.folding import DIGITS_AS_LETTERS, LOOK_ALIKES, fold

WORD = re.compile(r"\w+")
# Three or more single letters or digits, one separator between each, the same all
# along: "f r e e", "f.r.e.e" ("f.r.e.e c-a-s-h" is two words).
SPACED_OUT = re.compile(r"(?<!\w)\w([ .\-_*·])\w(?:\1\w)+(?!\w)")
REPEATED = re.compile(r"(\w)\1{2,}")
LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)


def undisguise(text: str) -> str:
    """`text` folded (rostra.core.folding.fold: case, accents, compatibility forms and
    invisible characters), then spaced-out letters joined and runs of one letter cut
    to two."""
    text = SPACED_OUT.sub(lambda m: re.sub(r"[ .\-_*·]", "", m.group()), fold(text))
    return REPEATED.sub(r"\1\1", text)


def _script(ch: str) -> str:
    if ch.isdigit():
        return "digit"
    if "a" <= ch <= "z":
        return "latin"
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0].lower()  # "cyrillic", "greek", "cjk", ...


def unmask(word: str) -> str:
    """A folded word in Latin letters when it mixes scripts or letters and digits;
    else the word itself."""
    if word.isdigit() or (word.isascii() and word.isalpha()):
        return word  # most words: nothing to unmask
    scripts = {_script(ch) for ch in word if ch != "_"}
    if len(scripts) < 2:
        return word
    if scripts & {"cyrillic", "greek"} and "latin" in scripts | {"digit"}:
        word = word.translate(LOOK_ALIKES)
    if "digit" in scripts:
        word = word.translate(DIGITS_AS_LETTERS)
    return word


def words(folded: str) -> list[str]:
    """The words of a text `undisguise`d, each unmasked."""
    return [unmask(word) for word in WORD.findall(folded)]


def links(text: str) -> list[str]:
    """The web addresses written in `text` (raw, before folding)."""
    return LINK.findall(text)
