"""Training and scoring on comments the tests make (no database)."""

import random

from rostra.spamfilter.features import Signals
from rostra.spamfilter.scoring import Scorer
from rostra.spamfilter.testing import corpus
from rostra.spamfilter.training import ABUSE, HAM, SPAM, fit
from rostra.spamfilter.weights import pack


class _Stored:
    """A trained result shaped as the stored version the scorer reads."""

    def __init__(self, trained):
        self.pk, self.version = 1, 1
        self.classes = {
            label: {
                "intercept": c.intercept,
                "hold_threshold": c.hold_threshold,
                "mark_threshold": c.mark_threshold,
            }
            for label, c in trained.classes.items()
        }
        self.spam_weights = pack(trained.classes[SPAM].weights) if SPAM in trained.classes else None
        self.abuse_weights = (
            pack(trained.classes[ABUSE].weights) if ABUSE in trained.classes else None
        )


def _scorer(**sizes):
    trained = fit(corpus(**sizes))
    return trained, Scorer(_Stored(trained))


def test_it_learns_spam_and_abuse_in_several_languages_and_sees_through_disguises():
    """Trained on English, French, German and Spanish comments, it scores disguised
    spam (look-alike letters, digits for letters, spaced-out words) and new abuse high,
    and legitimate comments, even one quoting the article, low; it names the words."""
    trained, scorer = _scorer(ham=160, spam=90, abuse=70)
    assert set(trained.classes) == {SPAM, ABUSE}
    hold = trained.classes[SPAM].hold_threshold
    signals = Signals()
    disguised = [
        "Вuy сhеар v1agra p1lls, d o u b l e  y o u r  m o n e y",
        "B.E.S.T P.R.I.C.E c-a-s-i-n-o b0nus https://bonus-casino.example/x",
        "Ｏｒｄｅｒ ｎｏｗ: replica watches",
    ]
    for text in disguised:
        score = scorer.score(text, signals)
        assert score.spam >= hold, (text, score)
    assert "viagra" in [reason for reason, _ in scorer.score(disguised[0], signals).reasons]
    legitimate = [
        "“The council should explain the new budget before the election”, the article "
        "says. I agree, and the bus timetable matters too.",
        "La mairie devrait expliquer la fermeture de la route, comme le dit l'article.",
        "Der Stadtrat sollte den Busfahrplan erklären.",
    ]
    for text in legitimate:
        score = scorer.score(text, signals)
        assert score.spam < hold and score.abuse < trained.classes[ABUSE].hold_threshold, text
    abusive = scorer.score("You're all stupid idiots, go away", signals)
    assert abusive.abuse >= trained.classes[ABUSE].hold_threshold


def test_quality_is_measured_on_the_newest_examples_whatever_their_order():
    """The held-out part is the newest fifth of the examples by date, however they
    came in; the model kept is trained on all of them."""
    examples = corpus(ham=150, spam=100)
    shuffled = examples[:]
    random.Random(3).shuffle(shuffled)
    trained = fit(shuffled)
    newest = sorted(examples, key=lambda e: e.created_at)[-50:]
    assert trained.metrics["held_out"] == 50
    assert trained.metrics["held_out_from"] == newest[0].created_at.isoformat()
    expected = {label: sum(e.label == label for e in newest) for label in (HAM, SPAM)}
    assert trained.metrics["held_out_counts"] == {k: v for k, v in expected.items() if v}
    assert trained.counts == {HAM: 150, SPAM: 100, ABUSE: 0}
    figures = trained.metrics["classes"][SPAM]
    assert figures["recall"] >= 0.9 and figures["legitimate_held"] <= 0.05
    assert trained.metrics["confusion"][HAM][HAM] >= 1


def test_too_few_examples_of_a_class_keep_it_learning():
    """Under 50 spam examples there is no spam model (learning); abuse is learned only
    once it has 50 examples of its own."""
    learning = fit(corpus(ham=200, spam=49))
    assert learning.is_learning and learning.classes == {}
    spam_only = fit(corpus(ham=200, spam=60, abuse=49))
    assert set(spam_only.classes) == {SPAM}


def test_thresholds_hold_at_most_the_chosen_share_of_legitimate_comments():
    """The hold threshold is never below 0.5, and the spam-marking threshold never
    below 0.9 nor the hold threshold."""
    trained = fit(corpus(ham=150, spam=80))
    spam = trained.classes[SPAM]
    assert 0.5 <= spam.hold_threshold <= spam.mark_threshold
    assert spam.mark_threshold >= 0.9
