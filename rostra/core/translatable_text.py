"""Find reader-visible text that does not go through a translation function.

Used by the test that keeps every template and module translatable, and by hand while
marking strings: `python -m rostra.core.translatable_text rostra/discussion`.

Templates: every piece of text between tags, and the attributes a reader sees or hears
(alt, title, placeholder, aria-label, content of a meta description), outside
`{% translate %}`/`{% blocktranslate %}`, is a finding. Plain-text templates (e-mails)
are all text. `<script>`/`<style>` bodies and `{% comment %}` are skipped.

Scripts (static .js files, vendored code aside): string literals with words in what is
put on the page or in a dialog (textContent, innerText, innerHTML, placeholder, title, the
aria-label/title/placeholder/alt attributes, alert/confirm/prompt) outside `gettext(`,
`ngettext(`, `pgettext(` or `interpolate(`.

Python: string literals (and f-strings) given to the places a reader or editor sees:
user-facing exceptions, Django messages, model and form labels and help texts, choices'
labels, Wagtail menu labels and headings, feed titles. Operator-facing text (logs, the
command line, provider webhooks) stays English and is not checked.

A line can opt out with a `translatable: no` comment (Python) or `{# translatable: no #}`
just before the text (templates), for names that never change (brand names, codes).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import DebugLexer, TokenType

HAS_WORD = re.compile(r"[^\W\d_]{2,}")
OPT_OUT = "translatable: no"
PLACEHOLDER = "\x00"

SEEN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
TRANSLATING_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
SKIPPED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}

# Where a literal is shown to a reader, editor or moderator.
USER_FACING_EXCEPTIONS = {
    "AlertLinkError",
    "CheckoutRefused",
    "DiscussionError",
    "DonationRejected",
    "DonorRefused",
    "FilterError",
    "ImportFileError",
    "InvalidAddress",
    "InvalidAmount",
    "PassageError",
    "PermissionDenied",
    "RecurringRejected",
    "SelfServiceRefused",
    "SubscriptionError",
    "ValidationError",
}
USER_FACING_CALLS = {"add_error", "HttpResponseBadRequest", "HttpResponseForbidden"}
MESSAGE_FUNCTIONS = {"success", "error", "info", "warning", "debug"}
USER_FACING_KEYWORDS = {
    "verbose_name",
    "verbose_name_plural",
    "help_text",
    "label",
    "empty_label",
    "heading",
    "menu_label",
    "message",
    "title",
    "description",
    "placeholder",
}
USER_FACING_ASSIGNMENTS = {
    "verbose_name",
    "verbose_name_plural",
    "menu_label",
    "title",
    "description",
    "page_title",
    "header_title",
}


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    text: str

    def __str__(self) -> str:
        shown = " ".join(self.text.replace(PLACEHOLDER, "…").split())
        return f"{self.path}:{self.line}: {shown!r}"


def _visible(text: str) -> bool:
    return bool(HAS_WORD.search(text.replace(PLACEHOLDER, " ")))


class _TemplateText(HTMLParser):
    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path, self.findings = path, []
        self._raw_depth = 0

    def _line(self) -> int:
        return self.getpos()[0]

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._raw_depth += 1
        for name, value in attrs:
            seen = name in SEEN_ATTRIBUTES or (tag == "meta" and name == "content")
            technical = tag == "meta" and _meta_is_technical(attrs)
            if value and seen and not technical and _visible(value):
                self.findings.append(Finding(self.path, self._line(), value.strip()))

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._raw_depth:
            self._raw_depth -= 1

    def handle_data(self, data):
        if not self._raw_depth and _visible(data):
            self.findings.append(Finding(self.path, self._line(), data.strip()))


def _meta_is_technical(attrs) -> bool:
    names = {value for name, value in attrs if name in {"name", "property"}}
    return not names & {"description", "og:description", "og:title", "twitter:description"}


def template_findings(path: Path) -> list[Finding]:
    """Untranslated text in one template."""
    source = path.read_text()
    # The template flattened to its text, each tag a placeholder keeping its newlines, so
    # the flattened text's line numbers are the template's.
    parts: list[str] = []
    skip_until = None
    opted_out = False
    for token in DebugLexer(source).tokenize():
        start, end = token.position
        newlines = "\n" * source.count("\n", start, end)
        first_word = token.contents.split(" ", 1)[0] if token.contents else ""
        is_block = token.token_type == TokenType.BLOCK
        if skip_until:
            skip_until = None if is_block and first_word == skip_until else skip_until
            parts.append(newlines)
        elif is_block and first_word in TRANSLATING_BLOCKS:
            skip_until = TRANSLATING_BLOCKS[first_word]
            parts.append(PLACEHOLDER + newlines)
        elif is_block and first_word in SKIPPED_BLOCKS:
            skip_until = SKIPPED_BLOCKS[first_word]
            parts.append(newlines)
        elif token.token_type == TokenType.COMMENT:
            opted_out = OPT_OUT in token.contents
            parts.append(newlines)
        elif token.token_type != TokenType.TEXT:
            parts.append(PLACEHOLDER + newlines)
        else:
            text = token.contents
            if opted_out:
                # The opt-out covers the text up to the next tag or line end.
                cut = min(
                    (i for i in (text.find("<"), text.find("\n")) if i >= 0), default=len(text)
                )
                text = PLACEHOLDER + text[cut:]
                opted_out = False
            parts.append(text)
    flat = "".join(parts)
    if path.suffix == ".txt":
        return [
            Finding(path, number, line.replace(PLACEHOLDER, "…").strip())
            for number, line in enumerate(flat.split("\n"), start=1)
            if _visible(line)
        ]
    parser = _TemplateText(path)
    parser.feed(flat)
    parser.close()
    return parser.findings


class _PythonText(ast.NodeVisitor):
    def __init__(self, path: Path, source: str):
        self.path = path
        self.lines = source.splitlines()
        self.findings: list[Finding] = []
        self._choices_class = False

    def _flag(self, node: ast.AST | None):
        if node is None:
            return
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value if isinstance(part, ast.Constant) else "{…}" for part in node.values
            )
        else:
            return
        if not _visible(text) or OPT_OUT in self.lines[node.lineno - 1]:
            return
        self.findings.append(Finding(self.path, node.lineno, text))

    def visit_ClassDef(self, node: ast.ClassDef):
        outer = self._choices_class
        self._choices_class = any(
            getattr(base, "attr", getattr(base, "id", "")) in {"TextChoices", "IntegerChoices"}
            for base in node.bases
        )
        self.generic_visit(node)
        self._choices_class = outer

    def visit_Assign(self, node: ast.Assign):
        names = {getattr(target, "id", None) for target in node.targets}
        if self._choices_class and isinstance(node.value, ast.Tuple) and len(node.value.elts) > 1:
            self._flag(node.value.elts[-1])
        elif names & USER_FACING_ASSIGNMENTS:
            self._flag(node.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call):
        function = node.func
        name = getattr(function, "attr", getattr(function, "id", ""))
        owner = getattr(getattr(function, "value", None), "id", "")
        if name in USER_FACING_EXCEPTIONS or name in USER_FACING_CALLS:
            for argument in node.args[: 2 if name == "add_error" else 1]:
                self._flag(argument)
        elif owner == "messages" and name in MESSAGE_FUNCTIONS and len(node.args) > 1:
            self._flag(node.args[1])
        for keyword in node.keywords:
            if keyword.arg in USER_FACING_KEYWORDS:
                self._flag(keyword.value)
        self.generic_visit(node)


def python_findings(path: Path) -> list[Finding]:
    """Untranslated user-facing literals in one module."""
    source = path.read_text()
    visitor = _PythonText(path, source)
    visitor.visit(ast.parse(source, filename=str(path)))
    return visitor.findings


# Where a script puts text on the page or in a dialog: a property set, an attribute a
# reader sees or hears, alert/confirm/prompt. The rest of the statement is checked.
JS_TEXT_SINK = re.compile(
    r"\.(?:textContent|innerText|innerHTML|placeholder|title)\s*=(?!=)"
    r"|\.setAttribute\(\s*[\"'](?:aria-label|aria-description|title|placeholder|alt)[\"']\s*,"
    r"|\b(?:alert|confirm|prompt)\("
)
# Calls whose string arguments are translated, or are names rather than text.
JS_NOT_SHOWN_CALL = re.compile(
    r"\b(?:gettext|ngettext|pgettext|npgettext|interpolate"
    r"|getAttribute|querySelector|querySelectorAll|closest|getElementById)\("
)
JS_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|`(?:\\.|[^`\\])*`')
JS_MARKUP = re.compile(r"<[^>]*>")


def _statement_end(source: str, start: int) -> int:
    """Where the statement from `start` ends: a `;`, or a closing bracket it did not open."""
    depth = 0
    for i in range(start, len(source)):
        char = source[i]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return i
        elif char == ";" and depth == 0:
            return i
    return len(source)


def _without_calls_not_shown(code: str) -> str:
    """`code` with every gettext(…)/interpolate(…) (or getAttribute(…)…) call blanked out."""
    while match := JS_NOT_SHOWN_CALL.search(code):
        end = _statement_end(code, match.end())
        code = code[: match.start()] + " " * (end + 1 - match.start()) + code[end + 1 :]
    return code


def javascript_findings(path: Path) -> list[Finding]:
    """String literals with words that a script shows without a translation function."""
    source = path.read_text()
    # Comments out, keeping lines (a comment may quote text).
    source = re.sub(r"(?m)^\s*//.*$", "", source)
    found = []
    for sink in JS_TEXT_SINK.finditer(source):
        end = _statement_end(source, sink.end())
        code = _without_calls_not_shown(source[sink.end() : end])
        for literal in JS_STRING.finditer(code):
            text = JS_MARKUP.sub(" ", literal.group()[1:-1])
            line = source.count("\n", 0, sink.end() + literal.start()) + 1
            if _visible(text) and OPT_OUT not in source.splitlines()[line - 1]:
                found.append(Finding(path, line, text.strip()))
    return found


def shipped_files(root: Path) -> list[Path]:
    """Templates, modules and scripts under `root` that ship (tests, migrations, vendored
    code aside)."""
    files = []
    for path in sorted([root] if root.is_file() else root.rglob("*")):
        parts = set(path.parts)
        if parts & {"tests", "migrations", "__pycache__", "vendor", "node_modules"}:
            continue
        if path.suffix == ".py" and Path(path.stem).suffix in {".html", ".txt"}:
            continue  # makemessages' passing copy of a template (a test may be running it)
        if "static" in parts:
            if path.suffix == ".js":
                files.append(path)
        elif path.suffix == ".py" or ("templates" in parts and path.suffix in {".html", ".txt"}):
            files.append(path)
    return files


def findings_under(root: Path) -> list[Finding]:
    found: list[Finding] = []
    for path in shipped_files(root):
        if path.suffix == ".py":
            found += python_findings(path)
        elif path.suffix == ".js":
            found += javascript_findings(path)
        else:
            found += template_findings(path)
    return found


def main(argv: list[str]) -> int:
    import django

    django.setup()
    found = [f for root in argv or ["rostra"] for f in findings_under(Path(root))]
    for finding in found:
        print(finding)
    print(f"{len(found)} untranslated text(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
