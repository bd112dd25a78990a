"""Inline feedback: comments on a passage of the article.

`passage_anchor` checks what the browser sent (or finds the editor's question) against
the article as published, before `comment_post` saves the comment with its anchor.
`anchors_follow_article` moves every anchor of an article after a new revision is
published, recording each change; a comment whose passage is gone keeps its quote and
is marked orphaned, never lost.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from rostra.discussion.anchoring import (
    MAX_QUOTE,
    Selector,
    plain_text,
    question_spans,
    reanchor,
    selector_for,
)
from rostra.discussion.models import AnchorChange, AnchorStatus, CommentAnchor, Thread
from rostra.discussion.versions import thread_version_bump


class PassageError(Exception):
    pass


@dataclass(frozen=True)
class PassageRequest:
    """What the reader's browser says was selected, or which question is answered."""

    block_id: str = ""
    start: int | None = None
    end: int | None = None
    exact: str = ""
    question_id: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.question_id or self.exact)


@dataclass(frozen=True)
class ArticleText:
    blocks: list[tuple[str, str]]  # (block id, plain text), in order
    questions: dict[str, tuple[str, str, int, int]]  # id → (question, block id, start, end)


def article_text(article) -> ArticleText:
    blocks, questions = [], {}
    for block in article.body:
        markup = str(block.render())
        blocks.append((block.id, plain_text(markup)))
        for span in question_spans(markup):
            questions[span.question_id] = (span.question, block.id, span.start, span.end)
    return ArticleText(blocks, questions)


def passage_anchor(thread: Thread, passage: PassageRequest) -> dict:
    """Fields of the CommentAnchor for `passage`, checked against the article."""
    if thread.article is None:
        raise PassageError(gettext("Only comments on articles can quote a passage."))
    text = article_text(thread.article)
    if passage.question_id:
        found = text.questions.get(passage.question_id)
        if found is None:
            raise PassageError(gettext("This question is no longer in the article."))
        question, block_id, start, end = found
        selector = selector_for(block_id, dict(text.blocks)[block_id], start, end)
        return {**_fields(selector), "question_id": passage.question_id, "question": question}
    exact = " ".join(passage.exact.split())
    if not exact or len(exact) > MAX_QUOTE:
        raise PassageError(
            gettext("Please select a passage of at most %(limit)s characters to comment on.")
            % {"limit": f"{MAX_QUOTE:,}"}
        )
    claimed = Selector(
        block_id=passage.block_id[:64],
        start=max(0, passage.start or 0),
        end=max(0, passage.end or 0),
        exact=exact,
    )
    placement = reanchor(claimed, text.blocks)
    if placement is None or placement.method == "fuzzy":
        raise PassageError(
            gettext(
                "The passage you selected is not in the article any more (it may just have "
                "been edited). Please select it again."
            )
        )
    block_text = dict(text.blocks)[placement.block_id]
    return _fields(selector_for(placement.block_id, block_text, placement.start, placement.end))


def _fields(selector: Selector) -> dict:
    return {
        "block_id": selector.block_id,
        "start": selector.start,
        "end": selector.end,
        "exact": selector.exact,
        "prefix": selector.prefix,
        "suffix": selector.suffix,
    }


def anchors_follow_article(article, *, revision_id: int | None = None) -> Counter:
    """Re-anchor every passage comment of `article` to its current live content."""
    outcome: Counter = Counter()
    anchors = list(CommentAnchor.objects.filter(thread__article=article))
    if not anchors:
        return outcome
    text = article_text(article)
    with transaction.atomic():
        for anchor in anchors:
            outcome[_follow(anchor, text, revision_id)] += 1
        if set(outcome) - {"unchanged", "still orphaned"}:
            thread_version_bump(anchors[0].thread_id)
    return outcome


def _follow(anchor: CommentAnchor, text: ArticleText, revision_id) -> str:
    if anchor.question_id:
        found = text.questions.get(anchor.question_id)
        placement = None
        if found is not None:
            _, block_id, start, end = found
            placement = (block_id, start, end, "moved")
    else:
        selector = Selector(
            anchor.block_id, anchor.start, anchor.end, anchor.exact, anchor.prefix, anchor.suffix
        )
        found = reanchor(selector, text.blocks)
        placement = (found.block_id, found.start, found.end, found.method) if found else None

    old = (anchor.block_id, anchor.start, anchor.end)
    if placement is None:
        if anchor.status == AnchorStatus.ORPHANED:
            return "still orphaned"
        _record(anchor, revision_id, "orphaned", old, None)
        anchor.status = AnchorStatus.ORPHANED
        anchor.save(update_fields=["status", "updated_at"])
        return "orphaned"
    block_id, start, end, method = placement
    if (block_id, start, end) == old and anchor.status == AnchorStatus.ANCHORED:
        return "unchanged"
    if anchor.status == AnchorStatus.ORPHANED:
        method = "restored"
    _record(anchor, revision_id, method, old, (block_id, start, end))
    anchor.block_id, anchor.start, anchor.end = block_id, start, end
    anchor.status = AnchorStatus.ANCHORED
    anchor.save(update_fields=["block_id", "start", "end", "status", "updated_at"])
    return method


def _record(anchor, revision_id, method, old, new) -> None:
    AnchorChange.objects.create(
        anchor=anchor,
        revision_id=revision_id,
        method=method,
        old_block_id=old[0],
        old_start=old[1],
        old_end=old[2],
        new_block_id=new[0] if new else "",
        new_start=new[1] if new else None,
        new_end=new[2] if new else None,
    )
