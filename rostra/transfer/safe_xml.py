"""Streaming, hardened XML reading for export files.

defusedxml's iterparse refuses entity declarations (billion laughs, quadratic blow-up)
and external entities or DTDs fetched from elsewhere (XXE); expat never fetches anything
itself. Elements are handed out one finished record at a time and then cleared, so
memory stays bounded however large the file is.
"""

import io
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.utils.translation import gettext as _

from rostra.transfer.records import ImportFileError
from rostra.transfer.sources.base import MAX_NESTING, ReadProgress

# Some exporters (and hand edits) leave a few stray characters before `<?xml`; expat
# rejects them outright. Up to this many are skipped, and only when they precede a '<'.
TOLERATED_LEADING_JUNK = 8


class _SkipLeadingJunk(io.RawIOBase):
    """A binary file view that starts at the first '<' of the first few bytes."""

    def __init__(self, raw):
        self._raw = raw
        head = raw.read(64)
        start = head.find(b"<")
        if 0 < start <= TOLERATED_LEADING_JUNK + 3:  # + a UTF-8 byte-order mark
            head = head[start:]
        self._pending = head

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._pending:
            n = min(len(buffer), len(self._pending))
            buffer[:n] = self._pending[:n]
            self._pending = self._pending[n:]
            return n
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def local_name(tag: str) -> tuple[str, str]:
    """`{uri}name` → (uri, name)."""
    if tag.startswith("{"):
        uri, _, name = tag[1:].partition("}")
        return uri, name
    return "", tag


def iter_elements(
    file, record_tags: set[str], progress: ReadProgress
) -> Iterator[tuple[str, Element]]:
    """Yield (local name, element) for each finished element whose local name is in
    `record_tags` and that is not nested in another such element. The element is
    cleared after the consumer's turn; elements outside records are cleared as soon as
    they end. Nesting beyond MAX_NESTING is refused, and each record (or stretch
    between records) is held to the size limit of `progress`."""
    stream = _SkipLeadingJunk(file)
    reader = io.BufferedReader(stream, buffer_size=1 << 16)
    depth_in_record = 0
    open_elements: list[Element] = []
    try:
        for event, element in iterparse(reader, events=("start", "end")):
            if depth_in_record == 0:
                progress.start_record()
            name = local_name(element.tag)[1]
            if event == "start":
                open_elements.append(element)
                if len(open_elements) > MAX_NESTING:
                    raise ImportFileError(
                        _(
                            "The XML nests deeper than %(limit)s elements "
                            "(%(where)s); exports never do."
                        )
                        % {"limit": MAX_NESTING, "where": progress.where()}
                    )
                if name in record_tags:
                    depth_in_record += 1
                continue
            open_elements.pop()
            if name in record_tags:
                depth_in_record -= 1
                if depth_in_record == 0:
                    yield name, element
                    _forget(element, open_elements)
            elif depth_in_record == 0:
                # Nothing reads it, and its still-open parent would keep it to the end.
                _forget(element, open_elements)
    except ParseError as error:
        line, column = error.position
        raise ImportFileError(
            _("The file is not well-formed XML at line %(line)s, column %(column)s: %(reason)s.")
            % {"line": line, "column": column + 1, "reason": _expat_reason(error)}
        ) from None
    except DefusedXmlException as error:
        raise ImportFileError(
            _(
                "The file declares XML entities or external references, which exports never "
                "need and which can be used to attack the server; nothing was imported "
                "(%(error)s)."
            )
            % {"error": error}
        ) from None
    except LookupError as error:  # an encoding Python does not know
        raise ImportFileError(
            _("The file declares an encoding that cannot be read: %(error)s.") % {"error": error}
        ) from None
    except UnicodeError as error:
        raise ImportFileError(
            _("The file does not match the encoding it declares (%(where)s): %(error)s.")
            % {"where": progress.where(), "error": error}
        ) from None


def _forget(element: Element, open_elements: list[Element]) -> None:
    element.clear()
    # A finished element stays referenced by its parent; drop it there.
    if open_elements:
        open_elements[-1].remove(element)


def _expat_reason(error: ParseError) -> str:
    return str(error).split(":", 1)[0]


def text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def children_by_name(element: Element) -> dict[str, list[Element]]:
    """Direct children grouped by (namespace alias, local name)."""
    grouped: dict[str, list[Element]] = {}
    for child in element:
        grouped.setdefault(local_name(child.tag)[1], []).append(child)
    return grouped
