"""`rostra filter evaluate FILE`: the current version measured on an outlet's own
labelled file, as if each row were a comment posted by a new author with the filter
set to hold."""

import csv
from pathlib import Path

from rostra.spamfilter import selectors
from rostra.spamfilter.features import Signals
from rostra.spamfilter.models import FilterAction, FilterMode

LABELS = {"spam": True, "1": True, "ham": False, "0": False}
MAX_FIELD = 1_000_000


class EvaluationError(Exception):
    """The file cannot be evaluated; the message says why."""


def read_labelled(path: str) -> list[tuple[str, bool]]:
    """(text, is_spam) for each row of a CSV with a header `text,label`."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            header = [name.strip().lower() for name in reader.fieldnames or []]
            if "text" not in header or "label" not in header:
                raise EvaluationError(
                    f"{path}: the first line must be the header `text,label` "
                    f"(found: {','.join(reader.fieldnames or []) or 'nothing'})."
                )
            reader.fieldnames = header
            rows = []
            for row in reader:
                label = (row.get("label") or "").strip().lower()
                if label not in LABELS:
                    raise EvaluationError(
                        f"{path}, line {reader.line_num}: label {label!r} is not spam, ham, 1 or 0."
                    )
                rows.append((row.get("text") or "", LABELS[label]))
    except OSError as error:
        raise EvaluationError(f"{path}: cannot be read ({error.strerror}).") from None
    except UnicodeDecodeError:
        raise EvaluationError(f"{path}: not UTF-8 text.") from None
    except csv.Error as error:
        raise EvaluationError(f"{path}: not a CSV file ({error}).") from None
    if not rows:
        raise EvaluationError(f"{path}: no rows under the header.")
    return rows


def _share(count: int, total: int) -> str:
    return f"{count / total:.2f}" if total else "n/a"


def evaluate_file(path: str) -> list[tuple[str, str]]:
    """The figures, in print order: counts, thresholds, spam precision/recall/F1 and
    the share of legitimate rows the hold threshold would hold."""
    rows = read_labelled(path)
    scorer = selectors.current_scorer()
    if scorer is None:
        raise EvaluationError(
            "The spam filter has no version ready to score yet (none trained, or still "
            "learning): `rostra filter train` trains one from the moderation decisions."
        )
    filter_settings = selectors.filter_settings()
    signals = Signals(own_hosts=selectors.own_hosts())
    spam_total = sum(is_spam for _, is_spam in rows)
    ham_total = len(rows) - spam_total
    caught = ham_held = 0
    for text, is_spam in rows:
        score = scorer.score(text, signals)
        held = (
            selectors.filter_action(score, scorer, filter_settings, FilterMode.HOLD)
            != FilterAction.NONE
        )
        caught += held and is_spam
        ham_held += held and not is_spam
    held = caught + ham_held
    precision = caught / held if held else None
    recall = caught / spam_total if spam_total else None
    f1 = f"{2 * precision * recall / (precision + recall):.2f}" if precision and recall else "n/a"
    hold, _ = selectors.thresholds(scorer, "spam", filter_settings)
    return [
        ("rows", str(len(rows))),
        ("spam rows", str(spam_total)),
        ("legitimate rows", str(ham_total)),
        ("model version", str(scorer.version)),
        ("hold threshold", f"{hold:.2f}"),
        ("held", str(held)),
        ("spam precision", _share(caught, held)),
        ("spam recall", _share(caught, spam_total)),
        ("spam f1", f1),
        ("legitimate held", _share(ham_held, ham_total)),
        ("held that are legitimate", f"1 in {held / ham_held:.0f}" if ham_held else "none"),
    ]
