"""Where an import keeps the records it has checked until it writes them.

The check reads the whole file before anything is written; keeping what it prepared
(parsed, converted, hashed) lets the writing pass skip reading and converting the file a
second time. The spool is an unnamed temporary file: memory stays bounded whatever the
size of the file, and the operating system removes it when the process ends, even a
killed one.
"""

import pickle
import tempfile
from collections.abc import Iterator


class Spool:
    """Objects appended one by one, read back in the same order (any number of times)."""

    def __init__(self):
        self._file = tempfile.TemporaryFile(prefix="rostra-import-")  # noqa: SIM115 - closed in close()
        self.count = 0

    def add(self, item) -> None:
        pickle.dump(item, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator:
        self._file.flush()
        self._file.seek(0)
        for _ in range(self.count):
            # Only what this process wrote above is read back: never another's data.
            yield pickle.load(self._file)  # noqa: S301

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "Spool":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
