"""Checks on text from outside (forms, the API, query strings, imported files) before it
reaches a database or an encoder.

PostgreSQL refuses the NUL character and SQLite cuts text at it; no driver can encode a
lone surrogate (half of a UTF-16 pair, which JSON can carry as "\\ud800" although UTF-8
cannot). Checking first turns what would be a server error into a message for the reader.
"""

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    return _LONE_SURROGATE.search(text) is not None


def is_printable_line(text: str) -> bool:
    """True for one line of text that can be stored and shown: no control characters
    (NUL, tab, line breaks, DEL and the C1 range) and no lone surrogates."""
    return _CONTROL.search(text) is None and not has_lone_surrogate(text)


def printable_only(text: str) -> str:
    """`text` without the characters `is_printable_line` refuses."""
    return _LONE_SURROGATE.sub("", _CONTROL.sub("", text))
