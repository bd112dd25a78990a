"""What every source parser shares: reading with progress, dates, and one author key."""

import hashlib
import io
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from rostra.transfer.records import ImportFileError


class ReadProgress:
    """How far into the file the parser has read, for progress bars."""

    def __init__(self, total: int = 0):
        self.total = total
        self.bytes_read = 0


class _CountingReader(io.RawIOBase):
    def __init__(self, raw, progress: ReadProgress):
        self._raw = raw
        self._progress = progress

    def readable(self):
        return True

    def readinto(self, buffer):
        n = self._raw.readinto(buffer)
        self._progress.bytes_read += n or 0
        return n

    def close(self):
        self._raw.close()
        super().close()


def open_counted(path: Path, progress: ReadProgress):
    """The file as a binary stream whose reads advance `progress`."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the returned reader
    except OSError as error:
        raise ImportFileError(f"Cannot read {path}: {error.strerror}.") from None
    progress.total = Path(path).stat().st_size
    return io.BufferedReader(_CountingReader(raw, progress), buffer_size=1 << 16)


def parse_iso(value: str) -> datetime | None:
    """ISO 8601 with any offset (or 'Z'); a naive value is taken as UTC."""
    value = (value or "").strip()
    if not value or value.startswith("0000") or value.startswith("0001-01-01"):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        # Go writes up to nanoseconds; Python reads up to microseconds.
        head, dot, rest = value.partition(".")
        if not dot:
            return None
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits) :]
        try:
            parsed = datetime.fromisoformat(f"{head}.{digits[:6]}{zone}".replace("Z", "+00:00"))
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_rfc822(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def author_key(source: str, *identity: str) -> str:
    """A stable author key for an imported person (comments by one key are one person)."""
    material = "\x1f".join([source, *(part.strip().lower() for part in identity)])
    return "i:" + hashlib.sha256(material.encode()).hexdigest()[:40]
