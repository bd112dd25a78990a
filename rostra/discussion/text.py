"""Reader text: a small Markdown subset rendered to HTML that is safe to show.

markdown-it turns the source into HTML with raw HTML disabled; nh3 (Ammonia) then
keeps only the tags of the subset, only http(s)/mailto links, and marks every link
rel="nofollow ugc noopener". The sanitiser is the guarantee; the parser settings only
keep the output tidy.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "code", "pre", "ul", "ol", "li", "s"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    .enable(["linkify", "strikethrough"])
    .disable(["heading", "lheading", "image", "hr", "html_block", "html_inline"])
)


def render_markdown(source: str) -> str:
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    ).strip()


def normalise(source: str) -> str:
    """Trim, unify line ends and drop control characters a reader cannot see."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)
    return text.strip()
