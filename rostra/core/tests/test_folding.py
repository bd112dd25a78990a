"""The one text folding (rostra.core.folding) that word lists and the spam filter share:
the cases each of them tested before, and what each then does with look-alikes."""

import pytest

from rostra.core.folding import fold
from rostra.discussion.wordlists import fold as list_form
from rostra.spamfilter.folding import undisguise, words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Go KILL YOURSELF", "go kill yourself"),
        ("kíll yóurself", "kill yourself"),  # accents
        ("ｋｉｌｌ ｙｏｕｒｓｅｌｆ", "kill yourself"),  # full-width
        ("𝐁𝐔𝐘 𝐍𝐎𝐖", "buy now"),  # mathematical bold
        ("ﬁnanzielle Gründe", "finanzielle grunde"),  # a ligature
        ("Ça coûte\u00ad trop", "ca coute trop"),  # a soft hyphen
        ("kill\u200b you\u200c\u200d\u2060r\ufeffself", "kill yourself"),  # zero-width
        ("sc\u200eam \u202ehere", "scam here"),  # direction marks: every format character
        ("Straße", "strasse"),
        ("Привет, Καλημέρα", "привет, καλημερα"),  # other scripts stay themselves
        ("c4sino 2024", "c4sino 2024"),  # look-alikes are for each reader to read
    ],
)
def test_fold_makes_compatibility_forms_plain_and_drops_accents_invisibles_and_case(text, folded):
    assert fold(text) == folded


def test_word_lists_read_every_look_alike_as_its_letter():
    """In a list's matching form, l33t digits and symbols and Cyrillic and Greek
    look-alikes are letters wherever they are."""
    assert list_form("\u0405\u0441am") == list_form("scam")  # Cyrillic S and c
    assert list_form("k1ll y0urself") == list_form("kill yourself")
    assert list_form("$cum") == list_form("scum")
    assert list_form("ӏ") == list_form("l") == list_form("1")  # palochka, l and 1


def test_the_filter_reads_look_alikes_only_in_words_that_mix_scripts_or_digits():
    """The filter joins spaced-out letters and cuts runs, and unmasks a word only when
    it mixes scripts or letters and digits."""
    assert words(undisguise("Ｆ R Е Е  m0ney")) == ["free", "money"]
    assert words(undisguise("саsіnо 2024 Привет")) == ["casino", "2024", "привет"]
    assert words(undisguise("f.r.e.e Freeeee")) == ["free", "free"]
