"""glibc's malloc, tuned so that `rostra serve`'s processes give memory back.

Python takes its small objects from its own pools and everything else (a rendered page,
a thread's JSON, the pools themselves) from glibc's malloc. Left to its defaults, malloc
keeps what a busy moment freed: a server process would stay at its largest size.
Without glibc (another C library) these do nothing.
"""

import contextlib
import ctypes
import threading

ARENAS = 2
MMAP_THRESHOLD_BYTES = 256 * 1024
# Free memory inside the heap above which it is given back, and how often that is looked at.
TRIM_ABOVE_BYTES = 4 * 1024 * 1024
TRIM_CHECK_SECONDS = 1.0


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def tune() -> None:
    """For this process and the processes it forks; call it before threads start (it
    does not shrink arenas that exist).

    - At most ARENAS arenas: by default each thread that allocates at the same time as
      another may get one of its own (up to 8 per core), each keeping its own free
      memory, so a server's request threads would hold several times what they use.
    - Blocks of MMAP_THRESHOLD_BYTES or more are mapped on their own and returned when
      freed. By default the threshold rises to the largest block freed so far, after
      which such blocks stay in the heap and leave it full of holes."""
    libc = _libc()
    if libc is None:
        return
    m_trim_threshold, m_mmap_threshold, m_arena_max = -1, -3, -8
    libc.mallopt(m_arena_max, ARENAS)
    libc.mallopt(m_mmap_threshold, MMAP_THRESHOLD_BYTES)
    libc.mallopt(m_trim_threshold, 2 * MMAP_THRESHOLD_BYTES)


def trim() -> None:
    """Give the heap's free memory back to the system now (`rostra serve`, before it
    forks: its processes then do not start with a share of the parent's holes)."""
    libc = _libc()
    if libc is not None:
        with contextlib.suppress(OSError, AttributeError):
            libc.malloc_trim(0)


def start_trimming() -> threading.Event:
    """A thread that gives the heap's free memory back to the system (malloc_trim)
    once more than TRIM_ABOVE_BYTES of it is free: malloc only returns what is free
    at the heap's end by itself. Set the returned event to stop it."""
    stop = threading.Event()
    libc = _libc()
    if libc is None or not hasattr(libc, "mallinfo2"):  # glibc before 2.33
        return stop
    libc.mallinfo2.restype = _MallInfo2

    def trim_when_worth_it() -> None:
        while not stop.wait(TRIM_CHECK_SECONDS):
            if libc.mallinfo2().fordblks > TRIM_ABOVE_BYTES:
                with contextlib.suppress(OSError):
                    libc.malloc_trim(0)

    threading.Thread(target=trim_when_worth_it, name="rostra-malloc-trim", daemon=True).start()
    return stop
