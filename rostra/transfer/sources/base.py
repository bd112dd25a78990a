"""What every source parser shares: reading with progress and within limits, dates,
and one author key."""

import hashlib
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import ijson
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from rostra.transfer.records import ImportFileError

# Limits no real export comes near, which keep a hostile file from taking the server's
# memory: the bytes of one record (an article, a comment; an Isso JSON thread with its
# comments) or of anything between records, and how deeply JSON or XML may nest.
MAX_RECORD_BYTES = 32 * 1024**2
MAX_NESTING = 64
MAX_KEY_CHARS = 1000  # a JSON object's key: exports use field names
# Reads run ahead of the parser by up to a buffer or two; the limit allows for that.
READ_AHEAD_BYTES = 1 << 18


class ReadProgress:
    """How far into the file the parser has read (for progress bars), and where the
    record being read began (for the size limit)."""

    def __init__(self, total: int = 0):
        self.total = total
        self.bytes_read = 0
        self.record_start = 0

    def start_record(self) -> None:
        self.record_start = self.bytes_read

    def advance(self, n: int) -> None:
        self.bytes_read += n
        if self.bytes_read - self.record_start > MAX_RECORD_BYTES + READ_AHEAD_BYTES:
            raise ImportFileError(
                _(
                    "A single record, or something between records, runs on for more than "
                    "%(megabytes)s MB from about byte %(byte)s; exports never hold one so large."
                )
                % {"megabytes": MAX_RECORD_BYTES // 1024**2, "byte": f"{self.record_start:,}"}
            )

    def where(self) -> str:
        # Translators: where in the file a fault is, inside parentheses of an error.
        return _("within the first %(bytes)s bytes") % {"bytes": f"{self.bytes_read:,}"}


class _CountingReader(io.RawIOBase):
    def __init__(self, raw, progress: ReadProgress):
        self._raw = raw
        self._progress = progress

    def readable(self):
        return True

    def readinto(self, buffer):
        n = self._raw.readinto(buffer)
        self._progress.advance(n or 0)
        return n

    def close(self):
        self._raw.close()
        super().close()


def open_counted(path: Path, progress: ReadProgress):
    """The file as a binary stream whose reads advance `progress`."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the returned reader
    except OSError as error:
        raise ImportFileError(
            _("Cannot read %(path)s: %(error)s.") % {"path": path, "error": error.strerror}
        ) from None
    progress.total = Path(path).stat().st_size
    return io.BufferedReader(_CountingReader(raw, progress), buffer_size=1 << 16)


_A_NUMBER = pgettext_lazy("kind of JSON value", "a number")
_KINDS = {
    "start_map": pgettext_lazy("kind of JSON value", "an object"),
    "start_array": pgettext_lazy("kind of JSON value", "a list"),
    "string": pgettext_lazy("kind of JSON value", "text"),
    "null": pgettext_lazy("kind of JSON value", "null"),
    "number": _A_NUMBER,
    "integer": _A_NUMBER,
    "double": _A_NUMBER,
    "boolean": pgettext_lazy("kind of JSON value", "true or false"),
}


def json_events(file, progress: ReadProgress, *, record_depth: int, shape: dict[str, str]):
    """ijson's (prefix, event, value) events of `file`, checked while streaming: nesting
    at most MAX_NESTING deep and object keys at most MAX_KEY_CHARS long; every event at
    or above `record_depth` starts the size count of a record afresh; the value at each
    prefix of `shape` must be of the event kind named ("start_map", "start_array").
    Any JSON error becomes an ImportFileError.

    Prefixes are built here rather than by ijson.parse, which joins the whole path anew
    for every event: deep nesting made that quadratic (200,000 brackets took 21 GB)."""
    path: list[str] = []
    prefix = ""
    items: dict[str, int] = {}
    try:
        for event, value in ijson.basic_parse(file):
            if len(path) <= record_depth:
                progress.start_record()
            if event == "map_key":
                if len(value) > MAX_KEY_CHARS:
                    raise ImportFileError(
                        _(
                            "An object key is longer than %(limit)s characters (%(where)s); "
                            "exports never have one."
                        )
                        % {"limit": f"{MAX_KEY_CHARS:,}", "where": progress.where()}
                    )
                yield ".".join(path[:-1]), event, value
                path[-1] = value
                prefix = ".".join(path)
                continue
            if event in ("end_map", "end_array"):
                path.pop()
                prefix = ".".join(path)
                yield prefix, event, value
                continue
            if prefix in shape:
                items[prefix] = items.get(prefix, 0) + 1
                if event != shape[prefix]:
                    raise ImportFileError(
                        # Translators: e.g. "Entry 3 of the file's list should be an
                        # object, not text (within the first 1,024 bytes)."
                        _("%(what)s should be %(wanted)s, not %(found)s (%(where)s).")
                        % {
                            "what": _describe(prefix, items[prefix]),
                            "wanted": _KINDS[shape[prefix]],
                            "found": _KINDS[event],
                            "where": progress.where(),
                        }
                    )
            yield prefix, event, value
            if event in ("start_map", "start_array"):
                if len(path) >= MAX_NESTING:
                    raise ImportFileError(
                        _(
                            "The JSON nests deeper than %(limit)s levels "
                            "(%(where)s); exports never do."
                        )
                        % {"limit": MAX_NESTING, "where": progress.where()}
                    )
                path.append("item" if event == "start_array" else "")
                prefix = ".".join(path)
    except ijson.JSONError as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ImportFileError(
            _("The file is not valid JSON (%(where)s): %(error)s.")
            % {"where": progress.where(), "error": message}
        ) from None


def _describe(prefix: str, n: int) -> str:
    if not prefix:
        return _("The file's top level")
    if prefix == "item":
        return _("Entry %(number)s of the file's list") % {"number": f"{n:,}"}
    if prefix.endswith(".item"):
        return _("Entry %(number)s of “%(name)s”") % {
            "number": f"{n:,}",
            "name": prefix.removesuffix(".item"),
        }
    return f"“{prefix}”"


@contextmanager
def reading(what: str, **placeholders) -> Iterator[None]:
    """Errors from a record of the wrong shape (a list where an object belongs, text
    where a number does), said as the import's error with the record's position.
    `what` is marked with gettext_noop and translated only when a record fails (not
    once per record): "Line %(number)s" with number=…"""
    try:
        yield
    except (ValueError, TypeError, AttributeError, KeyError) as error:
        raise ImportFileError(
            _("%(what)s is not usable: %(error)s.")
            % {"what": _(what) % placeholders, "error": error}
        ) from None


def json_lines(file, progress: ReadProgress) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSON-lines file; each line is
    one record for the size limit."""
    for number, raw in enumerate(file, start=1):
        progress.start_record()
        line = raw.strip()
        if not line:
            continue
        try:
            data = json.loads(line)
        except RecursionError:
            raise ImportFileError(
                _("Line %(number)s nests deeper than exports ever do.") % {"number": number}
            ) from None
        except ValueError as error:
            raise ImportFileError(
                _("Line %(number)s is not valid JSON: %(error)s.")
                % {"number": number, "error": error}
            ) from None
        if not isinstance(data, dict):
            raise ImportFileError(_("Line %(number)s is not a JSON object.") % {"number": number})
        yield number, data


def json_object(data: dict, name: str) -> dict:
    """`data[name]` when it is an object or missing ({}); else ValueError."""
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"“{name}” should be an object, not {type(value).__name__}")
    return value


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
