"""Text folded to what it looks like: the one folding that word lists
(rostra.discussion.wordlists) and the spam filter (rostra.spamfilter.folding) share.

`fold` turns compatibility forms (full-width and mathematical letters, ligatures) into
plain ones, drops accents and invisible characters (zero-width spaces and joiners, the
soft hyphen, direction marks: every "format" character) and folds case. What a
look-alike stands for is left to each reader, who knows how sure it can be:
`LOOK_ALIKES` (Cyrillic and Greek letters that look Latin) and `DIGITS_AS_LETTERS`
(l33t digits) are the tables both use. Word lists apply them to every character (a
listed term is looked for anywhere); the filter only inside a word that mixes scripts,
or letters and digits, so that Russian stays Russian and numbers stay numbers.

The spam filter's stored models were trained on text folded this way: a change here
changes what they read (rostra.spamfilter.features.FEATURES_VERSION; its tests pin
the features of a corpus in several languages).
"""

import unicodedata

# Lower case: folding comes first. The Cyrillic palochka is read as "l", which word lists
# read as "i" in turn.
LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d",
        "ӏ": "l", "һ": "h", "ԛ": "q", "ԝ": "w",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
        # Latin letters that look like another one
        "ɡ": "g",
    }
)  # fmt: skip
DIGITS_AS_LETTERS = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"}
)


def fold(text: str) -> str:
    """`text` with compatibility forms made plain, accents and invisible (format)
    characters dropped and case folded; look-alikes are left as they are."""
    if text.isascii():
        return text.lower()  # most text: nothing to decompose, and lower is casefold here
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    ).casefold()
