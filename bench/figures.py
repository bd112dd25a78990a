"""Issue #14's targets and how `make bench` reports a figure against one: pure functions,
tested in rostra/core/tests/test_bench_reads.py.

A target is either absolute (150 ms, 500 votes/s, 200 MB) or a multiple of the
"hello world" p50 measured on the same server in the same run, so that it holds on any
machine. A figure meets its target when it is on the right side of it, the limit
included.
"""

import math
from dataclasses import dataclass

PASS, MISS = "PASS", "MISS"


@dataclass(frozen=True)
class Target:
    """`op` is "<=" (at most) or ">="; `relative`: `limit` is a multiple of hello world."""

    op: str
    limit: float
    relative: bool = False

    def describe(self, unit: str) -> str:
        if self.relative:
            return f"{self.op} {self.limit:g}x hello"
        return f"{self.op} {self.limit:g} {unit}".rstrip()


@dataclass(frozen=True)
class Figure:
    """One measured figure; `target` None for figures shown without one (the baseline)."""

    label: str
    value: float
    unit: str
    target: Target | None = None


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest sample with at least `share` of all the
    samples at or below it (share 0.5: the median of an odd count, the lower middle of
    an even one; 0.95: the 19th of 20)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def ratio(figure: Figure, hello_ms: float) -> float | None:
    """The figure as a multiple of the hello-world p50, for latencies (ms) only."""
    if figure.unit != "ms" or hello_ms <= 0:
        return None
    return figure.value / hello_ms


def verdict(figure: Figure, hello_ms: float) -> str:
    """PASS or MISS against the figure's target; "" when it has none."""
    target = figure.target
    if target is None:
        return ""
    limit = target.limit * hello_ms if target.relative else target.limit
    if target.op == "<=":
        return PASS if figure.value <= limit else MISS
    if target.op == ">=":
        return PASS if figure.value >= limit else MISS
    raise ValueError(f"unknown comparison {target.op!r}")


def format_row(figure: Figure, hello_ms: float) -> str:
    """One line: label, value and unit, ratio to hello world, target, verdict."""
    times = ratio(figure, hello_ms)
    times_text = f"{times:.1f}x" if times is not None else "-"
    target_text = figure.target.describe(figure.unit) if figure.target else "(baseline)"
    value = f"{figure.value:,.1f} {figure.unit}".rstrip()
    line = f"{figure.label:<50} {value:>14} {times_text:>9}  {target_text:<16} "
    return (line + verdict(figure, hello_ms)).rstrip()


def header() -> str:
    return f"{'figure':<50} {'value':>14} {'x hello':>9}  {'target':<16} result"


def summary(figures: list[Figure], hello_ms: float) -> str:
    """The final table: every figure, then how many targets were met."""
    verdicts = [verdict(figure, hello_ms) for figure in figures]
    met, missed = verdicts.count(PASS), verdicts.count(MISS)
    rows = [header(), *(format_row(figure, hello_ms) for figure in figures)]
    return "\n".join([*rows, f"{met} of {met + missed} targets met, {missed} missed"])


def exit_status(figures: list[Figure], hello_ms: float, *, strict: bool) -> int:
    """0, as a report; with --strict, 1 when any target was missed."""
    missed = any(verdict(figure, hello_ms) == MISS for figure in figures)
    return 1 if strict and missed else 0
