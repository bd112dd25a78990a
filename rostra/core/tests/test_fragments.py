"""Small pieces of a reader's page kept per process (rostra.core.fragments)."""

import time

from django.utils import translation

from rostra.core import fragments
from rostra.core.fragments import Fragments


def test_a_piece_is_rendered_once_per_key_and_language():
    """The same key and language give the kept HTML; another key or language renders."""
    kept = Fragments(seconds=60)
    rendered = []

    def render(name):
        rendered.append((translation.get_language(), name))
        return f"<p>{name}</p>"

    for name in ("ann", "ann", "ben"):
        assert kept.html((name,), lambda name=name: render(name)) == f"<p>{name}</p>"
    with translation.override("de"):
        kept.html(("ann",), lambda: render("ann"))
    assert [name for _, name in rendered] == ["ann", "ben", "ann"]
    assert rendered[-1][0] == "de"


def test_a_piece_is_rendered_again_once_its_time_is_up(monkeypatch):
    """After `seconds` the piece is rendered afresh (a signed link in it ages no more)."""
    kept = Fragments(seconds=5)
    now = time.monotonic()
    monkeypatch.setattr(fragments.time, "monotonic", lambda: now)
    assert kept.html(("k",), lambda: "first") == "first"
    assert kept.html(("k",), lambda: "second") == "first"
    monkeypatch.setattr(fragments.time, "monotonic", lambda: now + 6)
    assert kept.html(("k",), lambda: "third") == "third"


def test_the_kept_pieces_are_bounded(monkeypatch):
    """The most recently used MAX_ENTRIES stay."""
    monkeypatch.setattr(fragments, "MAX_ENTRIES", 3)
    kept = Fragments(seconds=60)
    for n in range(5):
        kept.html((n,), lambda n=n: str(n))
    assert len(kept) == 3
    assert kept.html((0,), lambda: "again") == "again"
    assert kept.html((4,), lambda: "again") == "4"
