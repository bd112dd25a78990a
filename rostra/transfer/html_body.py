"""Article HTML from other systems → the blocks of an article body.

Paragraphs keep bold, italic, links and lists (Wagtail's rich-text format); headings,
block quotes and images become their own blocks, images by their original address
(`remote_image`). WordPress specifics: block-editor comments are ignored, classic posts
get their paragraphs from blank lines (what `wpautop` does on display), and media
shortcodes are unwrapped. Anything else is reduced to its text, never dropped.
"""

import html
import re
import uuid
from urllib.parse import urlsplit

from rostra.core.html_tree import BLOCK_TAGS, Node, parse_html, text_of

INLINE_MAP = {"strong": "b", "b": "b", "em": "i", "i": "i", "sup": "sup", "sub": "sub"}
SAFE_SCHEMES = {"http", "https", "mailto", ""}

MEDIA_SHORTCODES = re.compile(
    r"\[/?(?:caption|wp_caption|gallery|embed|audio|video|playlist)\b[^\]]*\]", re.IGNORECASE
)
CAPTION_SHORTCODE = re.compile(
    r"\[(?:wp_)?caption\b[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.IGNORECASE | re.DOTALL
)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _safe_href(href: str) -> str:
    href = (href or "").strip()
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return ""
    return href if href and scheme in SAFE_SCHEMES else ""


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


class _BodyBuilder:
    def __init__(self):
        self.blocks: list[dict] = []
        self.inline: list[str] = []  # the paragraph being built, as rich-text HTML

    # Paragraphs -------------------------------------------------------------------

    def flush(self):
        markup = "".join(self.inline).strip()
        markup = re.sub(r"^(<br/>\s*)+|(\s*<br/>)+$", "", markup).strip()
        self.inline = []
        if markup:
            self.blocks.append(_block("paragraph", f"<p>{markup}</p>"))

    def add_text(self, text: str, *, loose: bool):
        """Text outside any block: blank lines separate paragraphs, newlines break lines."""
        if not loose:
            self.inline.append(html.escape(text, quote=False))
            return
        parts = re.split(r"\n\s*\n", text)
        for index, part in enumerate(parts):
            if index:
                self.flush()
            lines = [html.escape(line, quote=False) for line in part.split("\n")]
            self.inline.append("<br/>".join(lines) if len(lines) > 1 else lines[0])

    def inline_markup(self, node) -> str:
        """Rich-text HTML of an inline subtree; images inside are lifted out as blocks."""
        if isinstance(node, str):
            return html.escape(node, quote=False)
        inner = "".join(self.inline_markup(child) for child in node.children)
        if node.tag == "br":
            return "<br/>"
        if node.tag == "img":
            self.pending_images.append(node)
            return ""
        if node.tag == "a":
            href = _safe_href(node.attrs.get("href", ""))
            if href and inner.strip():
                return f'<a href="{html.escape(href)}">{inner}</a>'
            return inner
        if node.tag in INLINE_MAP:
            tag = INLINE_MAP[node.tag]
            return f"<{tag}>{inner}</{tag}>" if inner.strip() else inner
        if node.tag in {"ul", "ol"}:
            items = [self.inline_markup(li) for li in node.children if not isinstance(li, str)]
            items = [item for item in items if item.strip()]
            return "".join(f"<li>{item}</li>" for item in items)
        return inner

    # Blocks -----------------------------------------------------------------------

    def add_paragraph_node(self, node):
        self.pending_images: list[Node] = []
        markup = self.inline_markup(node)
        self.inline.append(markup)
        if self.pending_images:
            self.flush()
            for image in self.pending_images:
                self.add_image(image)

    def add_image(self, image: Node, caption: str = "", link: str = ""):
        src = _safe_href(image.attrs.get("src", ""))
        if not src or src.startswith("mailto"):
            return
        self.flush()
        self.blocks.append(
            _block(
                "remote_image",
                {
                    "url": src,
                    "alt": _squash(image.attrs.get("alt", ""))[:300],
                    "caption": _squash(caption)[:300],
                    "link": link,
                },
            )
        )

    def add_node(self, node, *, loose: bool):
        if isinstance(node, str):
            self.add_text(node, loose=loose)
            return
        tag = node.tag
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.flush()
            text = _squash(text_of(node))[:200]
            if text:
                level = "h2" if tag in {"h1", "h2"} else "h3"
                self.blocks.append(_block("heading", {"text": text, "level": level}))
        elif tag == "p":
            self.flush()
            self.add_paragraph_node(node)
            self.flush()
        elif tag in {"ul", "ol"}:
            self.flush()
            self.pending_images = []
            items = self.inline_markup(node)
            if items:
                self.blocks.append(_block("paragraph", f"<{tag}>{items}</{tag}>"))
            for image in self.pending_images:
                self.add_image(image)
        elif tag == "blockquote":
            self.flush()
            cite = next(
                (c for c in node.children if isinstance(c, Node) and c.tag in {"cite", "footer"}),
                None,
            )
            if cite is not None:
                node.children.remove(cite)
            paragraphs = [_squash(text_of(c)) for c in node.children]
            text = "\n\n".join(p for p in paragraphs if p)
            if text:
                attribution = _squash(text_of(cite))[:200] if cite is not None else ""
                self.blocks.append(_block("quote", {"text": text, "attribution": attribution}))
        elif tag == "figure":
            self.flush()
            images = list(_find(node, "img"))
            caption_node = next(_find(node, "figcaption"), None)
            caption = text_of(caption_node) if caption_node is not None else ""
            if images:
                link = _safe_href(next(_find(node, "a"), Node("a")).attrs.get("href", ""))
                for image in images:
                    self.add_image(image, caption=caption, link=link)
            else:
                for child in node.children:
                    self.add_node(child, loose=False)
                self.flush()
        elif tag == "img":
            self.add_image(node)
        elif tag in {"iframe", "video", "audio", "embed", "object"}:
            self.flush()
            src = _safe_href(node.attrs.get("src", "") or node.attrs.get("data", ""))
            if not src:
                source = next(_find(node, "source"), None)
                src = _safe_href(source.attrs.get("src", "")) if source is not None else ""
            if src:
                label = html.escape(src)
                self.blocks.append(_block("paragraph", f'<p><a href="{label}">{label}</a></p>'))
        elif tag == "pre":
            self.flush()
            lines = [html.escape(line) for line in text_of(node).strip("\n").split("\n")]
            if any(lines):
                self.blocks.append(_block("paragraph", f"<p>{'<br/>'.join(lines)}</p>"))
        elif tag == "table":
            self.flush()
            for row in _find(node, "tr"):
                cells = [_squash(text_of(c)) for c in row.children if isinstance(c, Node)]
                line = " | ".join(c for c in cells if c)
                if line:
                    self.blocks.append(_block("paragraph", f"<p>{html.escape(line)}</p>"))
        elif tag == "hr":
            self.flush()
        elif tag in BLOCK_TAGS or any(
            isinstance(c, Node) and c.tag in BLOCK_TAGS for c in node.children
        ):
            self.flush()
            for child in node.children:
                self.add_node(child, loose=loose)
            self.flush()
        else:  # inline element at the top level: part of the running paragraph
            self.add_paragraph_node(node)


def _find(node: Node, tag: str):
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                yield child
            yield from _find(child, tag)


def _unwrap_shortcodes(markup: str) -> str:
    def caption(match):
        inner = match.group(1)
        image_markup = re.search(r"<a\b[^>]*>\s*<img\b[^>]*>\s*</a>|<img\b[^>]*>", inner)
        if image_markup is None:
            return inner
        text = _squash(re.sub(r"<[^>]+>", " ", inner))
        return (
            f"<figure>{image_markup.group(0)}<figcaption>{html.escape(text)}</figcaption></figure>"
        )

    markup = CAPTION_SHORTCODE.sub(caption, markup)
    return MEDIA_SHORTCODES.sub("", markup)


def html_to_blocks(markup: str) -> list[dict]:
    """StreamField blocks (`{"type", "value", "id"}`) for an article's HTML."""
    if not markup or not markup.strip():
        return []
    tree = parse_html(_unwrap_shortcodes(markup.replace("\r\n", "\n")))
    builder = _BodyBuilder()
    for node in tree.children:
        builder.add_node(node, loose=True)
    builder.flush()
    return builder.blocks


def comment_html(markup: str) -> str:
    """A WordPress comment as stored (plain text with optional tags) → paragraphs."""
    markup = markup.replace("\r\n", "\n").strip()
    if re.search(r"<(p|div|ul|ol|blockquote|pre)\b", markup, re.IGNORECASE):
        return markup
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", markup) if p.strip()]
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs)
