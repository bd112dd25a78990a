"""The thread JSON copies this process served last (and the scoreless copies they are
filled from, api/scored_copies.py), kept in its memory in front of the shared cache: a
warm read then costs no cache round trip (the database cache decodes a whole thread's
copy from base64 on every read). Safe for the same reason as the shared cache: a copy is
used only when its version is the thread's version read by this very request, so a copy
another process replaced is simply not used here any more.
"""

import threading
from collections import OrderedDict

MAX_BYTES = 16 * 1024 * 1024  # a few busy threads' whole JSON; the least recently used go


class RecentCopies:
    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._copies: OrderedDict[str, tuple[int, object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # request threads of one process share it

    def get(self, key: str, version: int):
        with self._lock:
            found = self._copies.get(key)
            if found is None or found[0] != version:
                return None
            self._copies.move_to_end(key)
            return found[1]

    def put(self, key: str, version: int, body, size: int | None = None) -> None:
        """Keep `body` (bytes, or anything whose `size` in bytes is given)."""
        size = len(body) if size is None else size
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._copies.pop(key, None)
            if old is not None:
                self._size -= old[2]
            self._copies[key] = (version, body, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, _, dropped) = self._copies.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._size = 0


recent_copies = RecentCopies()
