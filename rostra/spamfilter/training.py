"""Fitting the filter on labelled examples: one linear model per class that has enough
of them, its quality measured on the newest examples it was not fitted on, and the
thresholds chosen there.

scikit-learn (and numpy, scipy) are imported inside `fit` only: 120 MB that the serving
processes and the worker never load (the worker trains in a child process).

How, step by step:

1. The examples are in time order. The newest `EVALUATION_SHARE` of them are held out;
   a model fitted on the older ones scores them. That predicts the future from the
   past, as the filter will have to.
2. On those held-out scores, per class: the hold threshold is the lowest that holds at
   most `max_false_hold` of the legitimate comments (never below 0.5), the spam-marking
   threshold the lowest that would mark at most `max_false_spam` of them (never below
   0.9 nor the hold threshold). Precision, recall, F1 and the confusion matrix are
   measured at those thresholds; the trade-off at other thresholds is kept too.
3. The model kept is fitted again on all the examples, with those thresholds.
"""

import math
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from rostra.spamfilter.features import Signals, hashed

HAM, SPAM, ABUSE = "ham", "spam", "abuse"
CLASSES = (SPAM, ABUSE)
EVALUATION_SHARE = 0.2
MIN_HOLD_THRESHOLD = 0.5
MIN_MARK_THRESHOLD = 0.9
TRADE_OFF_THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
REGULARISATION = 1e-5
MAX_PER_CLASS = 20_000


@dataclass(frozen=True)
class Example:
    text: str
    label: str  # HAM, SPAM or ABUSE
    created_at: datetime
    signals: Signals = field(default_factory=Signals)


@dataclass
class ClassModel:
    label: str
    intercept: float
    weights: dict[int, float]
    hold_threshold: float
    mark_threshold: float


@dataclass
class Trained:
    counts: dict[str, int]
    classes: dict[str, ClassModel]
    metrics: dict
    seconds: float = 0.0

    @property
    def is_learning(self) -> bool:
        return not self.classes


def _matrix(examples: list[Example]):
    """The examples' features as a sparse matrix, built row by row into flat arrays
    (a list of per-row dicts would take ten times the memory)."""
    import numpy
    from scipy.sparse import csr_matrix

    from rostra.spamfilter.features import BUCKETS

    data, indices, indptr = array("f"), array("i"), array("i", [0])
    for example in examples:
        row: dict[int, float] = {}
        for bucket, value, _reason in hashed(example.text, example.signals):
            row[bucket] = row.get(bucket, 0.0) + value
        indices.extend(row.keys())
        data.extend(row.values())
        indptr.append(len(indices))
    return csr_matrix(
        (numpy.frombuffer(data, dtype=numpy.float32),
         numpy.frombuffer(indices, dtype=numpy.int32),
         numpy.frombuffer(indptr, dtype=numpy.int32)),
        shape=(len(examples), BUCKETS),
    )  # fmt: skip


def newest(examples: list[Example], per_class: int) -> list[Example]:
    """At most the newest `per_class` examples of each class, in time order: bounds the
    memory and time of training on a long history, keeping what is most like what is
    posted now."""
    kept, seen = [], Counter()
    for example in reversed(examples):
        if seen[example.label] < per_class:
            seen[example.label] += 1
            kept.append(example)
    kept.reverse()
    return kept


def _fit(matrix, targets: list[int]):
    """Logistic regression by stochastic gradient descent: seconds for 100,000 comments
    where liblinear's exact solver took 15 times as long for the same quality."""
    from sklearn.linear_model import SGDClassifier

    model = SGDClassifier(
        loss="log_loss",
        alpha=REGULARISATION,
        class_weight="balanced",
        max_iter=50,
        tol=1e-4,
        random_state=0,  # the same decisions give the same model
    )
    model.fit(matrix, targets)
    return model


def _lowest_threshold(legitimate_scores: list[float], share: float, floor: float) -> float:
    """The lowest threshold (score >= threshold is held) above all but `share` of the
    legitimate scores, and at least `floor`."""
    ordered = sorted(legitimate_scores, reverse=True)
    allowed = math.floor(share * len(ordered))
    if allowed >= len(ordered):
        return floor
    # Just above the first legitimate score that must not be held.
    return round(min(0.999, max(floor, ordered[allowed] + 1e-4)), 4)


def _rates(scores: list[float], labels: list[str], label: str, threshold: float) -> dict:
    held = [lab for score, lab in zip(scores, labels, strict=True) if score >= threshold]
    caught = sum(lab == label for lab in held)
    positives = sum(lab == label for lab in labels)
    legitimate = sum(lab == HAM for lab in labels)
    legitimate_held = sum(lab == HAM for lab in held)
    precision = caught / len(held) if held else None
    recall = caught / positives if positives else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision and recall and precision + recall
        else (0.0 if precision is not None and recall is not None else None)
    )
    return {
        "threshold": threshold,
        "held": len(held),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "legitimate_held": legitimate_held / legitimate if legitimate else None,
        "legitimate_held_count": legitimate_held,
    }


def _predicted(scores: dict[str, list[float]], thresholds: dict[str, float], index: int) -> str:
    best, best_score = HAM, 0.0
    for label, threshold in thresholds.items():
        score = scores[label][index]
        if score >= threshold and score > best_score:
            best, best_score = label, score
    return best


def fit(
    examples: list[Example],
    *,
    min_examples: int = 50,
    max_false_hold: float = 0.01,
    max_false_spam: float = 0.001,
) -> Trained:
    """Fit a model per class with at least `min_examples` examples (and as many
    legitimate ones); none at all: learning."""
    started = time.perf_counter()
    examples = newest(sorted(examples, key=lambda example: example.created_at), MAX_PER_CLASS)
    counts = Counter(example.label for example in examples)
    counts = {label: counts.get(label, 0) for label in (HAM, SPAM, ABUSE)}
    labels = [example.label for example in examples]
    learnable = [
        label for label in CLASSES if counts[label] >= min_examples and counts[HAM] >= min_examples
    ]
    metrics: dict = {"min_examples": min_examples, "classes": {}, "trade_off": {}}
    if not learnable:
        return Trained(counts=counts, classes={}, metrics=metrics)

    matrix = _matrix(examples)
    cut = len(examples) - max(1, int(len(examples) * EVALUATION_SHARE))
    older, newer = matrix[:cut], matrix[cut:]
    held_labels = labels[cut:]
    metrics.update(
        held_out=len(held_labels),
        held_out_from=examples[cut].created_at.isoformat(),
        trained_on=cut,
        held_out_counts=dict(Counter(held_labels)),
    )

    held_scores: dict[str, list[float]] = {}
    thresholds: dict[str, tuple[float, float]] = {}
    for label in learnable:
        targets = [int(lab == label) for lab in labels]
        if len(set(targets[:cut])) < 2:
            continue  # every example of the class is among the newest: cannot tell yet
        scores = list(_fit(older, targets[:cut]).predict_proba(newer)[:, 1])
        held_scores[label] = scores
        legitimate = [s for s, lab in zip(scores, held_labels, strict=True) if lab == HAM]
        hold = _lowest_threshold(legitimate, max_false_hold, MIN_HOLD_THRESHOLD)
        mark = _lowest_threshold(legitimate, max_false_spam, max(hold, MIN_MARK_THRESHOLD))
        thresholds[label] = (hold, mark)
        metrics["classes"][label] = _rates(scores, held_labels, label, hold)
        metrics["trade_off"][label] = [
            _rates(scores, held_labels, label, threshold)
            for threshold in sorted({*TRADE_OFF_THRESHOLDS, hold})
        ]
    if held_scores:
        hold_at = {label: thresholds[label][0] for label in held_scores}
        confusion: dict[str, Counter] = {lab: Counter() for lab in (HAM, *held_scores)}
        for index, actual in enumerate(held_labels):
            if actual in confusion:
                confusion[actual][_predicted(held_scores, hold_at, index)] += 1
        metrics["confusion"] = {actual: dict(row) for actual, row in confusion.items()}

    classes = {}
    for label in thresholds:
        targets = [int(lab == label) for lab in labels]
        model = _fit(matrix, targets)
        coefficients = model.coef_[0]
        weights = {int(b): float(coefficients[b]) for b in coefficients.nonzero()[0]}
        hold, mark = thresholds[label]
        classes[label] = ClassModel(label, float(model.intercept_[0]), weights, hold, mark)
    return Trained(
        counts=counts, classes=classes, metrics=metrics, seconds=time.perf_counter() - started
    )
