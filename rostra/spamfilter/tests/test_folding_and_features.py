import json
import zlib

from rostra.spamfilter.features import (
    FEATURES_VERSION,
    MASK,
    SIGNAL_VALUE,
    Signals,
    hashed,
    signal_features,
    text_features,
)
from rostra.spamfilter.folding import undisguise, words


def _words(text):
    return words(undisguise(text))


def test_disguised_words_fold_to_the_plain_word():
    """Full-width and Cyrillic look-alike letters, digits for letters, spaced-out and
    dotted letters, repeated letters and accents all fold to the same plain words."""
    assert _words("Ｆ R Е Е  m0ney") == ["free", "money"]
    assert _words("v1agra ch3ap") == ["viagra", "cheap"]
    assert _words("f.r.e.e c-a-s-i-n-o") == ["free", "casino"]
    assert _words("Freeeee CASINO") == ["free", "casino"]
    assert _words("Ça coûte\u00ad trop") == ["ca", "coute", "trop"]
    assert _words("саsіnо") == ["casino"]  # Cyrillic letters among Latin s, n


def test_words_in_one_script_and_numbers_are_left_as_they_are():
    """A Russian or Greek word is not turned into Latin, and numbers stay numbers."""
    assert _words("Привет, как дела? 2024") == ["привет", "как", "дела", "2024"]
    assert _words("Καλημέρα") == ["καλημερα"]


def test_features_hash_stably_into_the_buckets():
    """The same text gives the same buckets in every process (CRC-32, not Python's
    salted hash), each within 2**18."""
    first = hashed("Cheap pills at https://spam.example", Signals())
    assert first == hashed("Cheap pills at https://spam.example", Signals())
    assert all(0 <= bucket <= MASK for bucket, _, _ in first)
    squares = sum(value**2 for _, value, _ in first if value != SIGNAL_VALUE)
    assert abs(squares - 1.0) < 1e-6  # text features scaled to unit length


def test_text_features_know_the_word_they_came_from():
    """Character n-grams name their word as the reason a moderator sees; links are
    signals, not words."""
    found = text_features("Cheap c.a.s.i.n.o https://bonus.example/x")
    assert found["c:cas"] == "casino"
    assert found["w:cheap"] == "cheap"
    assert not any("bonus" in name for name in found)


def test_signals_count_links_to_other_sites_and_the_authors_history():
    """Links to the site itself are not counted; a first comment, earlier rejections,
    the same text elsewhere and a shouting share of capitals are signals."""
    own = frozenset({"news.example"})
    found = signal_features(
        "SEE https://news.example/a AND https://www.spam.example/x NOW PLEASE",
        Signals(own_hosts=own, earlier=3, approved=1, rejected=2, repeated_elsewhere=True),
    )
    assert "links:1" in found and "domain:spam.example" in found
    assert "domain:news.example" not in found
    assert "rejected:3" in found and "repeated" in found
    assert any(name.startswith("capitals:") for name in found)
    assert "first-comment" in signal_features("Hello", Signals())


def test_reasons_for_moderators_count_with_plurals():
    """The reasons a moderator reads say "1 link" and "2 earlier comments rejected",
    not "1 link(s)"."""
    one = signal_features("Read https://spam.example/x", Signals(earlier=2, approved=1, rejected=2))
    assert one["links:1"] == "1 link"
    assert "1 earlier comment approved" in one.values()
    assert "2 earlier comments rejected" in one.values()
    assert signal_features("Hi", Signals())["links:0"] == "0 links"
    assert "2 characters" in signal_features("Hi", Signals()).values()


# Texts in several languages, disguised and plain; the digest of their text features as
# the filter's own folding read them before it became the one shared with word lists
# (rostra.core.folding), at FEATURES_VERSION 1.
CORPUS = [
    "Ｆ R Е Е  m0ney at https://bonus.example/x NOW",
    "v1agra ch3ap, c-a-s-i-n-o and f.r.e.e spins!!!",
    "Freeeee CASINO soooo good",
    "Ça coûte\u00ad trop cher, n'est-ce pas ? L'été à Montréal.",
    "саsіnо bonus, ѕсаm and рау nоw",
    "Привет, как дела? 2024 год, выборы в Думу.",
    "Καλημέρα, τι κάνεις; Η Βουλή ψήφισε.",
    "Der Bürgermeister läßt die Straße sperren: ﬁnanzielle Gründe.",
    "The council voted 7-2 on the harbour road; covid19 rules, mp3 files, b2b.",
    "k\u200bi\u200cl\u200dl y\u2060ou\ufeffrself",
    "𝐁𝐔𝐘 𝐍𝐎𝐖 cheap pills",
    "日本語のコメントです。東京都",
    "مرحبا بكم في الموقع، هذا تعليق",
    "You're bums and should be delt accordingly…",
]
FEATURES_DIGEST = 2109987715


def test_stored_models_read_the_same_features_with_the_shared_folding():
    """Folding is shared with word lists now; the features of the corpus are the ones
    models of this FEATURES_VERSION were trained on, so stored models score the same."""
    found = [sorted(text_features(text).items()) for text in CORPUS]
    assert FEATURES_VERSION == 1
    assert zlib.crc32(json.dumps(found, ensure_ascii=False).encode()) == FEATURES_DIGEST
