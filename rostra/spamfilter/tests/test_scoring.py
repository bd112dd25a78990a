"""A version scores a comment exactly as a plain loop over its features would."""

import math
import random
from array import array
from collections import defaultdict

from rostra.spamfilter.features import BUCKETS, Signals, hashed
from rostra.spamfilter.scoring import REASONS_KEPT, ClassScorer, Scorer

TEXTS = [
    "bench 8/3 post 12",
    "I think the council should have consulted residents before closing the harbour "
    "road on Sundays. Many of us work weekends and the detour adds twenty minutes.",
    "FREE m0ney!!! visit https://cheap.example.net/now and www.spam.example",
]


def _scorer(seed: int) -> Scorer:
    generator = random.Random(seed)
    scorer = Scorer.__new__(Scorer)  # a version as loaded, without a stored model
    scorer.model_id, scorer.version, scorer.classes = 1, 1, {}
    for label in ("spam", "abuse"):
        table = array("f", (generator.uniform(-2, 2) for _ in range(BUCKETS)))
        scorer.classes[label] = ClassScorer(generator.uniform(-1, 1), table, 0.5, 0.9)
    return scorer


def _by_loop(scorer: Scorer, text: str, signals: Signals):
    features = hashed(text, signals)
    zs = {
        label: c.intercept + sum(c.table[bucket] * value for bucket, value, _ in features)
        for label, c in scorer.classes.items()
    }
    strongest = max(zs, key=zs.get)
    by_reason = defaultdict(float)
    for bucket, value, reason in features:
        by_reason[reason] += scorer.classes[strongest].table[bucket] * value
    ranked = sorted(by_reason.items(), key=lambda item: item[1], reverse=True)
    reasons = [(r, round(w, 3)) for r, w in ranked[:REASONS_KEPT] if w > 0]
    return {label: 1.0 / (1.0 + math.exp(-z)) for label, z in zs.items()}, reasons


def test_scores_and_reasons_are_exactly_those_of_a_loop_over_the_features():
    """Same probabilities to the last bit and the same reasons, for short, ordinary and
    spammy comments: the faster sums change no verdict."""
    scorer = _scorer(14)
    signals = Signals(name="Poster", website="https://a.example", earlier=2, approved=1)
    for text in TEXTS:
        score = scorer.score(text, signals)
        probabilities, reasons = _by_loop(scorer, text, signals)
        assert (score.spam, score.abuse) == (probabilities["spam"], probabilities["abuse"])
        assert score.reasons == reasons
