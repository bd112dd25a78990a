"""A forgiving HTML tree for reading other systems' markup (imports).

The standard library's tokenizer, plus the few browser rules that matter for content:
void elements, a block closing an open paragraph, unclosed tags closed by an ancestor's
end tag, and script/style content dropped.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "h1", "h2",
    "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "figure", "pre", "table", "hr",
    "iframe", "video", "audio", "embed", "object", "dl", "address", "center",
}  # fmt: skip
VOID_TAGS = {"br", "img", "hr", "input", "meta", "link", "source", "embed", "wbr", "col", "area"}
DROPPED_TAGS = {"script", "style", "noscript", "template", "head", "title", "form", "button"}


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)  # Node | str


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_TAGS:
            self.dropping += 1
            return
        if self.dropping:
            return
        node = Node(tag, {k: v or "" for k, v in attrs})
        # A block opening inside a <p> closes it, as browsers do.
        if tag in BLOCK_TAGS and self.stack[-1].tag == "p":
            self.stack.pop()
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and not self.dropping and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in DROPPED_TAGS:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not self.dropping:
            self.stack[-1].children.append(data)


def parse_html(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def text_of(node) -> str:
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    return "".join(text_of(child) for child in node.children)


def elements_named(node: Node, tag: str):
    """Every element `tag` under `node` (itself included), in document order."""
    if node.tag == tag:
        yield node
    for child in node.children:
        if isinstance(child, Node):
            yield from elements_named(child, tag)
