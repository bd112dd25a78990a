"""Small pieces of a signed-in reader's page, rendered once per process for what they
show.

The masthead's account links, the composer's “Commenting as …” and the Notify-of row's
own links are each a template render (Django's engine, `{% url %}`, translations) for
every signed-in page, costing more together than the rest of the reader's section.
Their HTML depends on a few values only (a name, a feed's version) and the language:
kept under exactly those values, two readers share one only where it is the same HTML.
A reader's form token is never kept (the caller fills it in after). Each `Fragments`
keeps the most recently used MAX_ENTRIES for `seconds` at most (signed links in them
age no more than that).
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.translation import get_language

MAX_ENTRIES = 1024
_every: list["Fragments"] = []


class Fragments:
    def __init__(self, seconds: float):
        self._seconds = seconds
        self._kept: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()  # request threads of one process share it
        _every.append(self)

    def html(self, key: tuple, render: Callable[[], str]) -> str:
        """The HTML `render()` gives for `key` (every value it depends on) in the
        current language, rendered again once it is `seconds` old."""
        key = (get_language(), get_script_prefix(), *key)
        now = time.monotonic()
        with self._lock:
            found = self._kept.get(key)
            if found is not None and found[0] > now:
                self._kept.move_to_end(key)
                return found[1]
        html = render()
        with self._lock:
            self._kept[key] = (now + self._seconds, html)
            self._kept.move_to_end(key)
            while len(self._kept) > MAX_ENTRIES:
                self._kept.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


@receiver(setting_changed)
def _forget_fragments_made_under_other_settings(**kwargs) -> None:
    """Templates and URLs follow the settings, which change only in tests."""
    for fragments in _every:
        fragments.clear()
