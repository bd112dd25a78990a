"""Named places in page templates that other apps fill without editing them.

Publishing's templates declare slots (`{% slot "article.above_headline" %}`); the
funding, discussion and notification apps register renderers for them in their
`wagtail_hooks.py`. A slot nobody fills renders as an empty element that takes no
space, so readers never see placeholder text.
"""

from collections.abc import Callable

from django.template import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

SLOTS = {
    "base.head": "inside <head>: stylesheets, meta tags",
    "base.body_end": "end of <body>: scripts",
    "home.top": "above the home page's lead story (funding goal bar)",
    "article.above_headline": "above the article headline (funding goal bar)",
    "article.meta": "in the article's byline line (comment count, “Skip to comments”)",
    "article.before_body": "between the article header and body (support block)",
    "article.after_body": "after the article body (support block)",
    "article.discussion": "below the article (reader discussion)",
    "discussion.header": "in the comment section, under its heading (“Notify of”)",
}

SlotRenderer = Callable[[Context], str | None]


def hook_name(slot: str) -> str:
    if slot not in SLOTS:
        raise KeyError(f"unknown slot {slot!r}; known: {', '.join(sorted(SLOTS))}")
    return f"rostra_slot:{slot}"


def register(slot: str, *, order: int = 0) -> Callable[[SlotRenderer], SlotRenderer]:
    """Decorator: render `fn(context)` into `slot`, lower `order` first."""
    name = hook_name(slot)

    def decorator(fn: SlotRenderer) -> SlotRenderer:
        hooks.register(name, fn, order=order)
        return fn

    return decorator


def render(slot: str, context: Context, *, wrap: bool = True) -> SafeString:
    parts = [part for fn in hooks.get_hooks(hook_name(slot)) if (part := fn(context))]
    inner = format_html_join("", "{}", ((mark_safe(part),) for part in parts))  # noqa: S308
    if not wrap:
        return inner
    return format_html('<div class="slot" data-slot="{}">{}</div>', slot, inner)
