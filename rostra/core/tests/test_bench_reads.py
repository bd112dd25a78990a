"""`make bench`'s discussion harness (bench/discussion.py, issue #14): its statistics and
PASS/MISS report, and one run against a tiny site so that it keeps working. No timing
is asserted: the figures are a report, not a test."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BENCH = Path(__file__).resolve().parents[3] / "bench"
TARGETS_OF_ISSUE_14 = 14  # rows with a verdict: the issue's figures and the votes' exactness


def _bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


figures = _bench_module("figures")
Figure, Target = figures.Figure, figures.Target


def test_percentiles_are_nearest_rank():
    """p50 of 1..10 is 5 (the lower middle), of 1..11 is 6; p95 of 1..20 is 19 and of
    1..10 is 10; one sample is every percentile of itself; none is an error."""
    assert figures.percentile([float(n) for n in range(10, 0, -1)], 0.5) == 5
    assert figures.percentile([float(n) for n in range(1, 12)], 0.5) == 6
    assert figures.percentile([float(n) for n in range(1, 21)], 0.95) == 19
    assert figures.percentile([float(n) for n in range(1, 11)], 0.95) == 10
    assert figures.percentile([7.0], 0.95) == 7
    with pytest.raises(ValueError):
        figures.percentile([], 0.5)


def test_targets_pass_on_their_limit_and_relative_ones_scale_with_hello_world():
    """A limit met exactly passes; "<= 3x hello" with hello at 2 ms allows 6 ms; ">="
    targets (rates) miss below their limit; a figure without target has no verdict."""
    relative = Target("<=", 3, relative=True)
    assert figures.verdict(Figure("t", 6.0, "ms", relative), hello_ms=2.0) == "PASS"
    assert figures.verdict(Figure("t", 6.1, "ms", relative), hello_ms=2.0) == "MISS"
    assert figures.verdict(Figure("t", 7.0, "ms", relative), hello_ms=3.0) == "PASS"
    rate = Target(">=", 500)
    assert figures.verdict(Figure("v", 500.0, "votes/s", rate), hello_ms=2.0) == "PASS"
    assert figures.verdict(Figure("v", 499.9, "votes/s", rate), hello_ms=2.0) == "MISS"
    assert figures.verdict(Figure("h", 2.0, "ms"), hello_ms=2.0) == ""


def test_a_row_shows_value_ratio_target_and_verdict():
    """Latencies show their multiple of hello world, whatever their target; rates do not."""
    latency = Figure("whole thread", 7.5, "ms", Target("<=", 3, relative=True))
    assert figures.format_row(latency, hello_ms=2.5).split() == (
        ["whole", "thread", "7.5", "ms", "3.0x", "<=", "3x", "hello", "PASS"]
    )
    absolute = Figure("view all", 1234.5, "ms", Target("<=", 150))
    assert figures.format_row(absolute, hello_ms=2.0).split()[2:] == (
        ["1,234.5", "ms", "617.2x", "<=", "150", "ms", "MISS"]
    )
    votes = Figure("votes", 95.0, "votes/s", Target(">=", 500))
    assert figures.format_row(votes, hello_ms=2.0).split()[1:] == (
        ["95.0", "votes/s", "-", ">=", "500", "votes/s", "MISS"]
    )
    baseline = figures.format_row(Figure("hello", 2.0, "ms"), hello_ms=2.0)
    assert baseline.split()[1:] == ["2.0", "ms", "1.0x", "(baseline)"]


def test_the_summary_counts_targets_and_only_strict_runs_fail_on_a_miss():
    """The table lists every figure and counts met and missed targets (the baseline is
    not one); the exit status is 0 for a report, 1 with --strict when one is missed."""
    hello = Figure("hello", 2.0, "ms")
    met = Figure("memory", 150.0, "MB", Target("<=", 200))
    missed = Figure("posting", 7.0, "posts/s", Target(">=", 400))
    table = figures.summary([hello, met, missed], hello_ms=2.0).splitlines()
    assert len(table) == 5
    assert table[-1] == "1 of 2 targets met, 1 missed"
    assert figures.exit_status([hello, met, missed], 2.0, strict=False) == 0
    assert figures.exit_status([hello, met, missed], 2.0, strict=True) == 1
    assert figures.exit_status([hello, met], 2.0, strict=True) == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the bench runs its own SQLite site")
def test_the_harness_measures_every_target_on_a_tiny_site():
    """`bench/discussion.py` with small numbers starts `rostra serve` on a site with a
    50-comment thread, prints a row with PASS or MISS for each of #14's targets after the
    hello-world baseline, then the summary; it exits 0 (a report) whatever it found."""
    small = ["--comments", "50", "--requests", "4", "--votes", "16", "--posts", "16"]
    run = subprocess.run(
        [sys.executable, str(BENCH / "discussion.py"), *small, "--seconds", "3"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report, _, table = run.stdout.partition("\nSummary\n")
    rows = [line for line in report.splitlines() if line.endswith(("PASS", "MISS"))]
    assert len(rows) == TARGETS_OF_ISSUE_14, report
    assert "hello world (/livez), p50" in report
    assert "votes: comments whose total is not exact" in report
    exact = next(row for row in rows if row.startswith("votes: comments"))
    assert exact.split()[-1] == "PASS", "every accepted vote is counted once"
    assert re.fullmatch(r"\d+ of 14 targets met, \d+ missed", table.splitlines()[-1]), table
