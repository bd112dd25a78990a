"""The thread JSON copies this process served last, kept in its memory in front of the
shared cache: a warm read then costs no cache round trip (the database cache decodes a
whole thread's copy from base64 on every read). Safe for the same reason as the shared
cache: a copy is used only when its version is the thread's version read by this very
request, so a copy another process replaced is simply not used here any more.
"""

import threading
from collections import OrderedDict

MAX_BYTES = 16 * 1024 * 1024  # a few busy threads' whole JSON; the least recently used go


class RecentCopies:
    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._copies: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # request threads of one process share it

    def get(self, key: str, version: int) -> bytes | None:
        with self._lock:
            found = self._copies.get(key)
            if found is None or found[0] != version:
                return None
            self._copies.move_to_end(key)
            return found[1]

    def put(self, key: str, version: int, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._copies.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._copies[key] = (version, body)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, dropped) = self._copies.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._size = 0


recent_copies = RecentCopies()
