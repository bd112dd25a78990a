"""A signed-in reader's comment section: the section every signed-in reader shares, with
this reader's own parts laid over it.

Rendering the section's templates for each signed-in reader cost most of their article
page (the sort tabs' addresses, the composer, the cards' overlay). What differs between
two signed-in readers of one page of a thread is small and marked in the templates
(`{% reader_part %}`): the form tokens and the composer's clock, “Commenting as …”, in
the Notify-of row their feed links and the answer to their last request (the
notifications app marks and renders those: `register_part`), and the cards (their
votes pressed, Edit and Delete on their own comments still in the edit window). The
parts are filled in on the server, so the page is right without JavaScript. The first
render of a page of a thread (per article address, language, sort, page and whether
readers may write) is kept in this process as the section's frame, with those parts
taken out and nothing of the reader left in it (checked before it is kept), while the
thread's version, the site's discussion settings and the cards' labels hold. The next
signed-in reader gets the frame with their parts filled in: the cards are the shared
cards (`card_cache`) with their state laid over, as for a full render.

Only a plain page of the thread (no “View all”, no linked comment, no inline view, no
no-JavaScript reply or edit form, no refused form to show again) comes from a frame,
and only for a reader who sees what everyone sees: not staff, not a moderator, not the
author of a comment awaiting moderation in the thread, not one with a Notify-of answer
waiting. Everyone else gets the section rendered for them. Markup is the same either
way (tests/test_page_frames.py compares).
"""

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeData, mark_safe

from rostra.core.stored_pages import STORED_SECONDS
from rostra.discussion import card_cache
from rostra.discussion.cards import CardScheme

# Not characters a template writes; distinct from rostra.core.page_frames' markers, as a
# section is one of a page's regions.
START, NAME_END, END = "\x0e", "\x1f", "\x0f"
PART = re.compile(f"{START}([^{NAME_END}]*){NAME_END}(.*?){END}", re.DOTALL)
# Any other parameter in the address (a linked comment, "View all", the inline view, a
# no-JavaScript form) gets the section rendered for the reader.
FRAME_PARAMETERS = frozenset({"sort", "cpage"})
MAX_FRAMES = 32
# A frame holds its page's cards: tens of kilobytes for a first page, more for a page
# that shows the pages before it too ("Load more" without JavaScript).
MAX_BYTES = 4 * 1024 * 1024


@dataclass
class SectionFrame:
    """A page of a thread's section as every signed-in reader shares it: `parts` are the
    HTML between the reader's parts, whose names stand at the odd indexes."""

    thread_version: int
    policy: object  # the settings it was rendered under (compared by identity)
    site_settings: object
    until: float  # time.time(): the cards' “… ago” labels of older comments, STORED_SECONDS
    parts: list[str]
    shared: card_cache.SharedCards
    scheme: CardScheme

    @property
    def size(self) -> int:
        return sum(map(len, self.parts)) + sum(map(len, self.shared.built.pieces))

    def current(self, thread, policy, site_settings) -> bool:
        return (
            self.thread_version == thread.version
            and self.policy is policy
            and self.site_settings is site_settings
            and time.time() < self.until
        )


class _Frames:
    """The frames this process keeps: the most recently used, MAX_FRAMES and MAX_BYTES
    at most."""

    def __init__(self):
        self._frames: OrderedDict[tuple, tuple[SectionFrame, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()  # request threads of one process share it

    def get(self, key: tuple) -> SectionFrame | None:
        with self._lock:
            found = self._frames.get(key)
            if found is None:
                return None
            self._frames.move_to_end(key)
            return found[0]

    def put(self, key: tuple, frame: SectionFrame) -> None:
        size = frame.size
        if size > MAX_BYTES:
            return
        with self._lock:
            _, former = self._frames.pop(key, (None, 0))
            self._frames[key] = (frame, size)
            self._size += size - former
            while len(self._frames) > MAX_FRAMES or self._size > MAX_BYTES:
                _, (_, dropped) = self._frames.popitem(last=False)
                self._size -= dropped

    def clear(self) -> None:
        with self._lock:
            self._frames.clear()
            self._size = 0

    def frames(self) -> list[SectionFrame]:
        with self._lock:
            return [frame for frame, _ in self._frames.values()]

    def __len__(self) -> int:
        return len(self._frames)


section_frames = _Frames()


@dataclass(frozen=True)
class ReaderView:
    """What a reader's parts are rendered from: their request, the section's article,
    thread and Viewer, the site's policy, and the frame with its cards' scheme as of
    now."""

    request: object
    article: object
    thread: object
    viewer: object
    policy: object
    frame: SectionFrame
    scheme: CardScheme


_renderers: dict[str, Callable[[ReaderView], str | None]] = {}
_kept_only_empty: set[str] = set()


def register_part(name: str, *, kept_only_empty: bool = False):
    """`fn(reader_view)` renders part `name` for a reader, or returns None when that
    reader must get the section rendered for them. `kept_only_empty`: a part empty for
    every reader but one with something pending (an answer to show once): a frame
    whose first render showed it is not kept."""

    def add(fn):
        _renderers[name] = fn
        if kept_only_empty:
            _kept_only_empty.add(name)
        return fn

    return add


def reader_part(name: str, html: str, *, marking: bool) -> str:
    """`html`, marked as the reader's part `name` while a frame is being rendered."""
    if not marking:
        return html
    marked = f"{START}{name}{NAME_END}{html}{END}"
    return mark_safe(marked) if isinstance(html, SafeData) else marked  # noqa: S308 (safe in, safe out)


def unmarked(html: str) -> str:
    """The section as its reader gets it: the parts' content without the marks."""
    return PART.sub(lambda found: found[2], html)


def frame_parts(html: str) -> list[str]:
    """The section's HTML between its parts, and the parts' names at the odd indexes."""
    parts, last = [], 0
    for found in PART.finditer(html):
        parts += (html[last : found.start()], found[1])
        last = found.end()
    parts.append(html[last:])
    return parts


def holds_nothing_of(html: str, parts: list[str], private: list[str]) -> bool:
    """Every part known, none pending (`kept_only_empty`), no stray mark, and none of
    the reader's `private` texts (names, e-mail address, tokens) in what every reader
    will share."""
    for found in PART.finditer(html):
        if found[1] not in _renderers or (found[1] in _kept_only_empty and found[2]):
            return False
    shared = "".join(parts[0::2])
    if START in shared or NAME_END in shared or END in shared:
        return False
    return not any(text in shared for text in private if text)


def fresh_until(shared: card_cache.SharedCards) -> float:
    return min(shared.fresh_until, time.time() + STORED_SECONDS)


def filled(frame: SectionFrame, reader: ReaderView) -> str | None:
    """The frame with each part rendered for the reader; None when a part declines."""
    out = []
    for index, part in enumerate(frame.parts):
        if index % 2 == 0:
            out.append(part)
            continue
        html = _renderers[part](reader)
        if html is None:
            return None
        out.append(html)
    return "".join(out)
