"""Reader text: a small Markdown subset rendered to HTML that is safe to show.

markdown-it turns the source into HTML with raw HTML disabled; nh3 (Ammonia) then
keeps only the tags of the subset, only http(s)/mailto links, and marks every link
rel="nofollow ugc noopener". The sanitiser is the guarantee; the parser settings only
keep the output tidy.
"""

import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

from rostra.core.html_tree import parse_html

ALLOWED_TAGS = {"p", "br", "em", "strong", "a", "blockquote", "code", "pre", "ul", "ol", "li", "s"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    .enable(["linkify", "strikethrough"])
    .disable(["heading", "lheading", "image", "hr", "html_block", "html_inline"])
)


# Plain prose: letters, digits, spaces and punctuation that no Markdown rule
# (nor linkify, nor HTML) gives a meaning. A line starts with a letter or an opening
# quote or bracket (not a digit, "-" or space: list items, indented code) and does not
# end with a space (a hard break); "." and ":" are followed by a space or punctuation
# ("example.org", "https:" would become links), "/" never doubles ("//host").
_PLAIN_LINE = r"""(?:[^\W\d_]|["'(])(?:[^\W_]|[ ,;!?'"()\-]|[.:](?![^\s,;!?'"().])|/(?!/))*(?<! )"""
_PLAIN_PROSE = re.compile(rf"{_PLAIN_LINE}(?:\n+{_PLAIN_LINE})*")
_PARAGRAPH_BREAK = re.compile(r"\n\n+")


def is_plain_prose(source: str) -> bool:
    """Whether `source` (normalised) holds no Markdown, link or markup at all."""
    return _PLAIN_PROSE.fullmatch(source) is not None


def render_markdown(source: str) -> str:
    if is_plain_prose(source):
        return _plain_prose_html(source)
    return _sanitised_markdown(source)


def _plain_prose_html(source: str) -> str:
    """What markdown-it and nh3 make of plain prose (paragraphs, a <br> at each line
    end), without running them: most comments are plain prose, and parsing them as
    Markdown cost more CPU than the rest of a post's checks. Its characters (see
    _PLAIN_LINE) hold no "<" or "&", so the text needs no escaping to be inert."""
    paragraphs = _PARAGRAPH_BREAK.split(source)
    return "\n".join("<p>" + paragraph.replace("\n", "<br>\n") + "</p>" for paragraph in paragraphs)


def _sanitised_markdown(source: str) -> str:
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    ).strip()


def http_link(url: str) -> str:
    """`url` if a browser can only read it as an http(s) address, else "". The scheme
    must be written out at the very start: browsers drop leading spaces and control
    characters and tabs inside a scheme ("java\tscript:"), so parsing the way Python
    does is not enough to tell what a browser would run."""
    if not url or not url[:8].lower().startswith(("http://", "https://")):
        return ""
    try:
        return url if urlsplit(url).hostname else ""
    except ValueError:  # "http://[::1": not an address at all
        return ""


def normalise(source: str) -> str:
    """Trim, unify line ends and drop control characters a reader cannot see."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)
    return text.strip()


_PRESENTATIONAL = re.compile(r"<(/?)(b|i)(\s[^>]*)?>", re.IGNORECASE)


def clean_html(markup: str) -> str:
    """HTML from elsewhere (imports), reduced to the same safe subset as rendered text.
    <b> and <i> become <strong> and <em> first, so the emphasis survives."""
    markup = _PRESENTATIONAL.sub(
        lambda m: f"<{m.group(1)}{'strong' if m.group(2).lower() == 'b' else 'em'}>", markup
    )
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    ).strip()


def html_to_source(markup: str) -> str:
    """Readable Markdown-ish source for imported HTML, so the comment can be edited."""

    def walk(node) -> str:
        if isinstance(node, str):
            return node
        inner = "".join(walk(child) for child in node.children)
        tag = node.tag
        if tag == "br":
            return "\n"
        if tag == "p" or tag == "div":
            return f"\n\n{inner.strip()}\n\n"
        if tag in {"strong", "b"} and inner.strip():
            return f"**{inner}**"
        if tag in {"em", "i"} and inner.strip():
            return f"*{inner}*"
        if tag == "code":
            return f"`{inner}`"
        if tag == "a":
            href = node.attrs.get("href", "")
            return f"[{inner}]({href})" if href and href != inner else inner
        if tag == "li":
            return f"\n- {inner.strip()}"
        if tag == "blockquote":
            lines = inner.strip().splitlines()
            return "\n\n" + "\n".join(f"> {line}" for line in lines) + "\n\n"
        return inner

    text = walk(parse_html(markup))
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return normalise("\n\n".join(p for p in paragraphs if p))
