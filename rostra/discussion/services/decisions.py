"""The decision log, written: every change of a comment's status by a moderator or by
Rostra itself (holds, refusals made visible, bans), and every editor's pick and pin,
leaves a `ModerationDecision`, in the same transaction as the change."""

from datetime import datetime

from rostra.discussion.identity import Viewer
from rostra.discussion.models import DecisionAction, ModerationDecision


def decision(
    *,
    comment_id: int,
    author_key: str,
    from_status: str,
    to_status: str,
    trigger: str,
    now: datetime,
    viewer: Viewer | None = None,
    reason: str = "",
    note: str = "",
    action: str = DecisionAction.STATUS,
) -> ModerationDecision:
    """One entry, unsaved: callers write theirs with one `bulk_create`. No `viewer`
    (or a reader's) means Rostra decided by itself."""
    moderator = viewer if viewer is not None and viewer.granted else None
    return ModerationDecision(
        comment_id=comment_id,
        author_key=author_key,
        moderator_id=moderator.user_id if moderator else None,
        moderator_name=moderator.display_name[:150] if moderator else "",
        decided_at=now,
        from_status=from_status,
        to_status=to_status,
        trigger=trigger,
        reason=reason,
        note=note,
        action=action,
    )
