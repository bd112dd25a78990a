"""What moderators' alerts read: who wants them, and what waits for a moderator."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Min, Q

from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.permissions import MODERATE, permissions_of


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
    """What the dashboard panel shows: comments held for a moderator, the oldest."""

    held: int
    oldest: datetime | None


def moderation_waiting() -> Waiting:
    """Held comments (not deleted by their author), and when the oldest was posted."""
    row = Comment.objects.filter(status=CommentStatus.PENDING, deleted_at__isnull=True).aggregate(
        held=Count("pk"),
        oldest=Min("created_at"),
    )
    return Waiting(row["held"], row["oldest"])
