"""Where a comment on a passage of an article points, and how that survives edits.

An anchor is a W3C Web Annotation style selector over one body block: the block's
stable id, a TextQuoteSelector (the exact passage with up to 32 characters before and
after) and a TextPositionSelector (start/end in the block's plain text). The plain
text is the block's rendered text with every run of whitespace made one space, which
is also what the browser computes from the DOM (see inline.js), so both agree on
offsets.

When the article changes, `reanchor` looks for the passage in this order: unchanged in
place; the exact quote elsewhere in the same block; elsewhere in the article; an
approximate match (up to half the quote's length in edits) scored on quote, context
and distance; otherwise the anchor is orphaned (the caller keeps the comment and its
original quote).
"""

from dataclasses import dataclass

from rostra.core.html_tree import Node, parse_html

CONTEXT = 32
MAX_QUOTE = 1000


@dataclass(frozen=True)
class Selector:
    block_id: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Placement:
    block_id: str
    start: int
    end: int
    method: str  # "unchanged", "moved", "other-block", "fuzzy"


def plain_text(markup: str) -> str:
    """The canonical text of a block's HTML: its text nodes, whitespace runs as one space."""
    parts: list[str] = []

    def walk(node):
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            elif isinstance(child, Node):
                walk(child)

    walk(parse_html(markup))
    return " ".join("".join(parts).split())


def _collapsed_offsets(raw: str) -> list[int]:
    """For each index of `raw` (and its end), the index in `" ".join(raw.split())`."""
    offsets, length, after_space = [], 0, True
    for char in raw:
        offsets.append(length)
        if char.isspace():
            if not after_space:
                length += 1
            after_space = True
        else:
            length += 1
            after_space = False
    offsets.append(length)
    final = len(" ".join(raw.split()))
    return [min(offset, final) for offset in offsets]


@dataclass(frozen=True)
class QuestionSpan:
    question_id: str
    question: str
    start: int
    end: int


def question_spans(markup: str) -> list[QuestionSpan]:
    """Editors' questions in a block's HTML (`<span data-question-id data-question>`),
    with the plain-text offsets of the passage each one marks."""
    raw: list[str] = []
    found: list[tuple[str, str, int, int]] = []

    def walk(node):
        for child in node.children:
            if isinstance(child, str):
                raw.append(child)
            elif isinstance(child, Node):
                question_id = child.attrs.get("data-question-id")
                begin = sum(map(len, raw))
                walk(child)
                if question_id:
                    question = child.attrs.get("data-question", "")
                    found.append((question_id, question, begin, sum(map(len, raw))))

    walk(parse_html(markup))
    offsets = _collapsed_offsets("".join(raw))
    spans = []
    for question_id, question, begin, end in found:
        start, stop = offsets[begin], offsets[end]
        text = " ".join("".join(raw).split())
        # A passage never starts or ends on the space that joins it to its neighbours.
        while start < stop and text[start] == " ":
            start += 1
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        spans.append(QuestionSpan(question_id, question, start, stop))
    return spans


def selector_for(block_id: str, text: str, start: int, end: int) -> Selector:
    return Selector(
        block_id=block_id,
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _context_score(selector: Selector, text: str, start: int, end: int) -> int:
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return _common_suffix(before, selector.prefix) + _common_prefix(after, selector.suffix)


def _occurrences(text: str, exact: str) -> list[int]:
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def _best_exact(selector: Selector, text: str) -> tuple[int, int] | None:
    """The occurrence whose surroundings match best; nearest the old place on a tie."""
    starts = _occurrences(text, selector.exact)
    if not starts:
        return None
    best = max(
        starts,
        key=lambda s: (
            _context_score(selector, text, s, s + len(selector.exact)),
            -abs(s - selector.start),
        ),
    )
    return best, best + len(selector.exact)


def approximate_matches(pattern: str, text: str, max_errors: int) -> list[tuple[int, int, int]]:
    """(errors, start, end) for each end position in `text` where a substring is within
    `max_errors` edits of `pattern` (Sellers' algorithm, one text column at a time)."""
    m = len(pattern)
    if m == 0 or not text:
        return []
    prev, prev_origin = list(range(m + 1)), [0] * (m + 1)
    results: list[tuple[int, int, int]] = []
    for j, char in enumerate(text, start=1):
        cur, cur_origin = [0] * (m + 1), [j] * (m + 1)
        for i in range(1, m + 1):
            substitute = prev[i - 1] + (pattern[i - 1] != char)
            skip_text = prev[i] + 1
            skip_pattern = cur[i - 1] + 1
            if substitute <= skip_text and substitute <= skip_pattern:
                cur[i], cur_origin[i] = substitute, prev_origin[i - 1]
            elif skip_text <= skip_pattern:
                cur[i], cur_origin[i] = skip_text, prev_origin[i]
            else:
                cur[i], cur_origin[i] = skip_pattern, cur_origin[i - 1]
        if cur[m] <= max_errors:
            results.append((cur[m], cur_origin[m], j))
        prev, prev_origin = cur, cur_origin
    return results


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        prev = cur
    return prev[-1]


START_WINDOW = 24


def _best_fuzzy(selector: Selector, text: str, *, same_block: bool) -> tuple[int, int, int] | None:
    """Best approximate occurrence: the search finds where matches end; the start is
    then chosen among nearby positions by edits and by how well the context matches
    (the search alone may cut an edited passage short)."""
    exact = selector.exact
    max_errors = len(exact) // 2
    matches = approximate_matches(exact, text, max_errors)
    if not matches:
        return None

    def rough(match):
        errors, start, end = match
        distance = abs(start - selector.start) if same_block else 0
        return (errors * 4 - _context_score(selector, text, start, end), distance)

    _, first_start, end = min(matches, key=rough)
    window = range(max(0, first_start - START_WINDOW), min(end, first_start + START_WINDOW) + 1)
    scored = []
    for start in window:
        errors = _levenshtein(exact, text[start:end])
        if errors <= max_errors:
            scored.append((errors * 4 - _context_score(selector, text, start, end), errors, start))
    if not scored:
        return None
    _, errors, start = min(scored)
    return errors, start, end


def reanchor(selector: Selector, blocks: list[tuple[str, str]]) -> Placement | None:
    """Find the passage in the new article (`blocks`: (id, plain text) in order)."""
    texts = dict(blocks)
    own = texts.get(selector.block_id)
    if not selector.exact:
        return None
    if own is not None:
        if own[selector.start : selector.end] == selector.exact:
            return Placement(selector.block_id, selector.start, selector.end, "unchanged")
        found = _best_exact(selector, own)
        if found:
            return Placement(selector.block_id, *found, "moved")
    candidates = []
    for block_id, text in blocks:
        if block_id == selector.block_id:
            continue
        found = _best_exact(selector, text)
        if found:
            candidates.append(
                (_context_score(selector, text, *found), block_id, found[0], found[1])
            )
    if candidates:
        _, block_id, start, end = max(candidates, key=lambda c: c[0])
        return Placement(block_id, start, end, "other-block")
    if own is not None:
        found = _best_fuzzy(selector, own, same_block=True)
        if found:
            return Placement(selector.block_id, found[1], found[2], "fuzzy")
    fuzzy = []
    for block_id, text in blocks:
        if block_id == selector.block_id:
            continue
        found = _best_fuzzy(selector, text, same_block=False)
        if found:
            fuzzy.append((found[0] * 4 - _context_score(selector, text, found[1], found[2]),
                          block_id, found[1], found[2]))  # fmt: skip
    if fuzzy:
        _, block_id, start, end = min(fuzzy, key=lambda c: c[0])
        return Placement(block_id, start, end, "fuzzy")
    return None
