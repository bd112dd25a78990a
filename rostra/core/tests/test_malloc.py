"""The malloc tuning `rostra serve`'s processes run with (rostra.core.malloc)."""

import subprocess
import sys
import textwrap

# In a process of its own: the tuning and the trimming thread are for the whole process.
PROGRAM = textwrap.dedent(
    """
    import re, time
    from pathlib import Path
    from rostra.core import malloc

    def rss_mb():
        status = Path("/proc/self/status").read_text()
        return int(re.search(r"VmRSS:\\s+(\\d+)", status).group(1)) / 1024

    malloc.tune()
    if not TRIM_NOW:
        malloc.start_trimming()
    before = rss_mb()
    # 40 MB in blocks below the mapping threshold, then one kept block above them: the
    # freed 40 MB are in the middle of the heap, which malloc never gives back by itself.
    blocks = [bytearray(4000) for _ in range(10_000)]
    kept = bytearray(4000)
    del blocks
    if TRIM_NOW:
        malloc.trim()
    deadline = time.monotonic() + (0 if TRIM_NOW else 10)
    while rss_mb() > before + 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    print(round(rss_mb() - before))
    """
)


def test_memory_freed_inside_the_heap_goes_back_to_the_system_within_seconds():
    """After 40 MB freed below a block still in use, the process is back within 20 MB of
    where it started in well under 10 s (the trimming thread looks every second)."""
    assert _grown_mb(trim_now=False) <= 20


def test_trim_gives_memory_freed_inside_the_heap_back_at_once():
    """`serve` trims before it forks: right after `malloc.trim()` the 40 MB freed below a
    block still in use are back with the system, without the trimming thread."""
    assert _grown_mb(trim_now=True) <= 20


def _grown_mb(*, trim_now: bool) -> int:
    grown = subprocess.run(
        [sys.executable, "-c", f"TRIM_NOW = {trim_now}\n{PROGRAM}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(grown.stdout)
