"""Word lists: finding a listed term in what a reader wrote, however it is disguised.

Text and terms are both folded the same way before matching (rostra.core.folding, as
the spam filter does, then every look-alike read as its letter): compatibility forms
(fullwidth and mathematical letters, ligatures) to plain ones, accents and invisible
characters dropped, case folded, and look-alikes to one letter: l33t digits and
symbols (0→o, 3→e, 4/@→a, 5/$→s, 7→t, 1/l→i …) and Cyrillic and Greek letters that
look Latin (Cyrillic a, e, o, p, c, y, x, i …). A term matches whole words only
("ass" is not in "classic"); a phrase matches its words with any spaces or
punctuation between them.

A list is compiled to one regular expression once per process for each version of the
list (`word_matcher` is cached on the terms themselves), not once per comment.
"""

import re
from functools import lru_cache

from rostra.core import folding

# Every look-alike read as the letter it stands for, wherever it is: the shared tables,
# then what only a list may assume ("l", "1" and "I" are one letter to the eye, so are
# "9" and "g"; "€", "@" and "$" stand for letters), applied after them (palochka → "l" → "i").
_MORE_LOOK_ALIKES = {"l": "i", "9": "g", "€": "e", "@": "a", "$": "s"}
_LOOK_ALIKES = {
    code: _MORE_LOOK_ALIKES.get(letter, letter)
    for table in (folding.LOOK_ALIKES, folding.DIGITS_AS_LETTERS)
    for code, letter in table.items()
} | {ord(symbol): letter for symbol, letter in _MORE_LOOK_ALIKES.items()}
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """`text` reduced to what it looks like: see the module's docstring."""
    return folding.fold(text).translate(_LOOK_ALIKES)


def _words(term: str) -> list[str]:
    return [word for word in _SEPARATORS.split(fold(term)) if word]


def parse_terms(text: str) -> tuple[str, ...]:
    """The terms of a list as editors type it: one term or phrase a line; blank lines
    and lines starting with # are left out."""
    terms = (line.strip() for line in text.splitlines())
    return tuple(dict.fromkeys(term for term in terms if term and not term.startswith("#")))


class WordMatcher:
    """One compiled list: `find(text)` gives the first listed term found, or None."""

    def __init__(self, terms: tuple[str, ...]):
        self._terms: dict[str, str] = {}  # folded words joined by a space → term as listed
        for term in terms:
            words = _words(term)
            if words:
                self._terms.setdefault(" ".join(words), term)
        alternatives = sorted(self._terms, key=len, reverse=True)  # longest phrase first
        body = "|".join(r"[\W_]+".join(map(re.escape, key.split(" "))) for key in alternatives)
        # Whole words: no letter or digit right before or after (underscores separate).
        self._pattern = re.compile(rf"(?<![^\W_])(?:{body})(?![^\W_])") if body else None

    def find(self, text: str) -> str | None:
        if self._pattern is None or not text:
            return None
        match = self._pattern.search(fold(text))
        if match is None:
            return None
        return self._terms[" ".join(word for word in _SEPARATORS.split(match.group()) if word)]


@lru_cache(maxsize=16)
def word_matcher(terms: tuple[str, ...]) -> WordMatcher:
    return WordMatcher(terms)
