"""Scoring a comment with a trained version: a sparse dot product over the weights of
its hashed features, in pure Python (well under a millisecond for a usual comment)."""

import math
import operator
from collections import defaultdict
from dataclasses import dataclass

from rostra.spamfilter.features import Signals, hashed
from rostra.spamfilter.weights import unpack

REASONS_KEPT = 5


@dataclass(frozen=True)
class Score:
    spam: float
    abuse: float | None
    reasons: list[tuple[str, float]]  # strongest first


@dataclass(frozen=True)
class ClassScorer:
    intercept: float
    table: object  # array("f") of BUCKETS weights
    hold_threshold: float
    mark_threshold: float


def _probability(z: float) -> float:
    if z < -35:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


class Scorer:
    """One model version, ready to score. Built once per version and process."""

    def __init__(self, model):
        self.model_id = model.pk
        self.version = model.version
        self.classes: dict[str, ClassScorer] = {}
        for label, blob in (("spam", model.spam_weights), ("abuse", model.abuse_weights)):
            if label in model.classes and blob:
                info = model.classes[label]
                self.classes[label] = ClassScorer(
                    info["intercept"],
                    unpack(bytes(blob)),
                    info["hold_threshold"],
                    info["mark_threshold"],
                )

    def score(self, text: str, signals: Signals) -> Score:
        features = hashed(text, signals)
        buckets = [bucket for bucket, _, _ in features]
        values = [value for _, value, _ in features]
        probabilities: dict[str, float] = {}
        strongest, strongest_z, strongest_terms = None, -math.inf, []
        for label, scorer in self.classes.items():
            # Each feature's weight times its value, added in the features' order: the
            # same sums as a loop over the features, with the loop run in C (a post's
            # few hundred features cost a millisecond per class the other way).
            terms = list(map(operator.mul, map(scorer.table.__getitem__, buckets), values))
            z = scorer.intercept + sum(terms)
            probabilities[label] = _probability(z)
            if z > strongest_z:
                strongest, strongest_z, strongest_terms = label, z, terms
        return Score(
            spam=probabilities.get("spam", 0.0),
            abuse=probabilities.get("abuse"),
            reasons=self._reasons(features, strongest_terms) if strongest else [],
        )

    @staticmethod
    def _reasons(features, terms: list[float]) -> list[tuple[str, float]]:
        """The words and signals that pushed the score up most (`terms`: each feature's
        weight times its value in the strongest class)."""
        weight_by_reason: dict[str, float] = defaultdict(float)
        for (_, _, reason), term in zip(features, terms, strict=True):
            weight_by_reason[reason] += term
        ranked = sorted(weight_by_reason.items(), key=lambda item: item[1], reverse=True)
        return [
            (reason, round(weight, 3)) for reason, weight in ranked[:REASONS_KEPT] if weight > 0
        ]
