"""Asking a comment filter about a comment before it is saved.

Discussion does not know which filter an installation runs: apps above it (the learning
spam filter, rostra.spamfilter) register a function under the `rostra_comment_filter`
app hook (rostra.core.app_hooks). `comment_post`, the one write path of comments, asks
each before it saves; a filter may hold a comment or mark it spam, never publish it, and
records what it made of it in the same transaction as the comment.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from rostra.core import app_hooks
from rostra.discussion.models import Comment, CommentStatus

FILTER_HOOK = "rostra_comment_filter"
STRICTNESS = [CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.SPAM]


@dataclass(frozen=True)
class Submission:
    """A comment as posted, before it is saved."""

    thread_id: int
    body: str
    author_key: str
    name: str = ""
    website: str = ""
    is_staff: bool = False
    created_at: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    """A filter's answer: the status it asks for (PENDING: hold, SPAM; None: nothing)
    and what to store with the comment once it has an id, in its transaction."""

    status: str | None = None
    record: Callable[[Comment], None] | None = None
    note: str = ""  # for the decision log: what drove it (e.g. the score)


@dataclass(frozen=True)
class Verdicts:
    verdicts: list[Verdict] = field(default_factory=list)

    def status_after(self, status: str) -> str:
        """`status`, or a stricter one a filter asked for: never a more lenient one."""
        for verdict in self.verdicts:
            if verdict.status in STRICTNESS and STRICTNESS.index(verdict.status) > STRICTNESS.index(
                status
            ):
                status = verdict.status
        return status

    def note_for(self, status: str) -> str:
        """What the filters that asked for `status` said, for the decision log."""
        return "; ".join(v.note for v in self.verdicts if v.status == status and v.note)

    def record(self, comment: Comment) -> None:
        for verdict in self.verdicts:
            if verdict.record is not None:
                verdict.record(comment)


def filter_submission(submission: Submission) -> Verdicts:
    """What every registered filter makes of `submission`."""
    return Verdicts(
        [
            verdict
            for fn in app_hooks.registered(FILTER_HOOK)
            if (verdict := fn(submission)) is not None
        ]
    )
