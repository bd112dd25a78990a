"""What moderators' alerts read: who wants them, and what waits for a moderator."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Min, Q

from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.permissions import MODERATE, permissions_of
from rostra.discussion.selectors.queue import open_reports


def alert_recipients(frequency: str) -> list:
    """Active users with an e-mail address who may moderate and chose `frequency`."""
    app_label, codename = MODERATE.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    may_moderate = Q(is_superuser=True)
    if permission is not None:
        may_moderate |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    users = (
        get_user_model()
        .objects.filter(may_moderate, is_active=True, moderator_alerts__frequency=frequency)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    return [user for user in users if MODERATE in permissions_of(user)]


@dataclass(frozen=True)
class Waiting:
    """What the dashboard panel shows: comments held for a moderator, published ones
    readers have reported since the last decision, and when the oldest held was posted."""

    held: int
    reported: int
    oldest: datetime | None


def moderation_waiting() -> Waiting:
    """Held comments (not deleted by their author), reported published ones, and when the
    oldest held one was posted: one query."""
    held = Q(status=CommentStatus.PENDING)
    reported = Q(status=CommentStatus.APPROVED, pk__in=open_reports().values("comment_id"))
    row = Comment.objects.filter(held | reported, deleted_at__isnull=True).aggregate(
        held=Count("pk", filter=held),
        reported=Count("pk", filter=reported),
        oldest=Min("created_at", filter=held),
    )
    return Waiting(row["held"], row["reported"], row["oldest"])
