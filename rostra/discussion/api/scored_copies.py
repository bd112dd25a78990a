"""A thread page's shared JSON with holes where the scores go: kept on the thread's
content version (`Thread.content_version`, which votes do not move), it is filled with
the scores read again after each vote instead of building 2,000 comments' JSON anew.

The copy is the encoded page with each comment's `"upvotes":…,"downvotes":…,"score":…`
cut out, in document order, with the comment ids in that order: filling it writes one
short piece per comment between the kept bytes. The cut is made at a marker that text
cannot hold: inside a JSON string every quote is escaped, so the key `"upvotes":"` with
its bare quotes is one of ours.
"""

from dataclasses import dataclass

from rostra.discussion.api.rendering import encode

SCORE_NAMES = ("upvotes", "downvotes", "score")
_HOLE = "\x00"  # the value the marker carries while the page is encoded
_MARKER = b'"upvotes":"\\u0000"'
_SCORES = b'"upvotes":%d,"downvotes":%d,"score":%d'


@dataclass(frozen=True)
class ScoredCopy:
    parts: tuple[bytes, ...]  # the page's bytes between the holes, one more than ids
    ids: tuple[int, ...]  # the comment of each hole, in document order
    scores: tuple[tuple[int, int, int], ...]  # the scores it was built with

    @property
    def size(self) -> int:
        return sum(map(len, self.parts)) + 16 * len(self.ids)

    def filled(self, scores: dict[int, tuple[int, int, int]]) -> bytes:
        """The page with `scores` (comment id: (up, down, score)); a comment not in
        `scores` keeps the ones it was built with."""
        out = [self.parts[0]]
        for comment_id, built, part in zip(self.ids, self.scores, self.parts[1:], strict=True):
            out.append(_SCORES % scores.get(comment_id, built))
            out.append(part)
        return b"".join(out)


def scored_copy(page: dict) -> ScoredCopy:
    """Encode `page` (the API's ThreadOut dict, which this empties of its scores)."""
    ids, scores = [], []
    stack = list(reversed(page["comments"]))
    while stack:  # document order: a comment's own keys, then its replies
        comment = stack.pop()
        ids.append(comment["id"])
        scores.append(tuple(comment[name] for name in SCORE_NAMES))
        comment["upvotes"] = _HOLE  # in its place, before `replies`
        del comment["downvotes"], comment["score"]
        stack.extend(reversed(comment["replies"]))
    parts = tuple(encode(page).split(_MARKER))
    if len(parts) != len(ids) + 1:
        raise AssertionError("the thread's JSON lost its score holes")
    return ScoredCopy(parts, tuple(ids), tuple(scores))
