"""The events the discussion publishes for other apps, through `rostra.core.events`.

Both are published inside the transaction of the change; subscribers' recorders run
there, their handlers after the commit (see `rostra.core.events` and docs/ARCHITECTURE.md).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class CommentPublished:
    """A comment became visible to every reader: posted approved (`comment_post`) or
    approved by a moderator (`comment_moderate`)."""

    comment_id: int
    thread_id: int


@dataclass(frozen=True)
class VoteChanged:
    """A vote moved a comment's counters (`comment_vote`); `score` is the new score."""

    comment_id: int
    thread_id: int
    score: int
