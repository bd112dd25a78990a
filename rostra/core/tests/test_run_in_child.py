"""`run_in_child`, how `rostra serve` migrates without keeping what migrating loads."""

import io
import sys

from rostra.core.server_processes import run_in_child

LOADED_ONLY_BY_THE_CHILD = "rostra.core.tests.loaded_by_run_in_child"


def test_what_the_work_loads_stays_in_the_child_and_its_output_arrives(capfd):
    """The work runs in another process: a module it imports is not loaded here
    afterwards (so the migrations' modules never reach the memory `serve` shares), its
    printed output is not lost, and success is status 0."""
    sys.modules.pop(LOADED_ONLY_BY_THE_CHILD, None)

    def work():
        sys.modules[LOADED_ONLY_BY_THE_CHILD] = sys  # seen here only if run in this process
        # Standard output to a file or a pipe is block-buffered, as under `serve`.
        sys.stdout = io.TextIOWrapper(io.BufferedWriter(io.FileIO(1, "w", closefd=False)))
        print("migrated", end="")  # written only if the child flushes before it ends

    assert run_in_child("rostra test", work) == 0
    assert LOADED_ONLY_BY_THE_CHILD not in sys.modules
    assert capfd.readouterr().out == "migrated"


def test_work_that_raises_ends_the_child_with_status_1():
    """A failed migration is reported by status 1 (serve then stops with an error)."""

    def work():
        raise RuntimeError("no such table")

    assert run_in_child("rostra test", work) == 1
