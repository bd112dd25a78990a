"""What moderators read: one comment with its reports, a comment's decision log, and a
commenter's history."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from rostra.discussion.models import (
    Ban,
    BanKind,
    Comment,
    CommentStatus,
    ModerationDecision,
    Report,
)


def inspected_comments() -> QuerySet:
    """Comments as the admin's inspect view shows one: its thread and article joined,
    and every report (open or answered), oldest first, in `every_report`."""
    return Comment.objects.select_related("thread__article").prefetch_related(
        Prefetch(
            "reports", queryset=Report.objects.order_by("created_at", "pk"), to_attr="every_report"
        )
    )


def comment_decisions(comment_id: int) -> QuerySet:
    """Every decision about one comment, oldest first."""
    return ModerationDecision.objects.filter(comment_id=comment_id).order_by("decided_at", "pk")


@dataclass
class CommenterHistory:
    """A commenter as the queue shows them: how their comments fared, and their bans."""

    author_key: str
    approved: int = 0
    pending: int = 0
    rejected: int = 0  # spam or removed
    shadowed: int = 0
    bans: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.approved + self.pending + self.rejected


def commenter_history(author_key: str) -> CommenterHistory:
    """Counts of the commenter's comments by outcome (one query) and the bans that
    named them, lifted and expired ones included (one query)."""
    rows = dict(
        Comment.objects.filter(author_key=author_key)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    history = CommenterHistory(
        author_key=author_key,
        approved=rows.get(CommentStatus.APPROVED, 0),
        pending=rows.get(CommentStatus.PENDING, 0),
        shadowed=rows.get(CommentStatus.SHADOWED, 0),
        rejected=sum(rows.get(s, 0) for s in (CommentStatus.SPAM, CommentStatus.REMOVED)),
        bans=list(bans_naming(author_key)),
    )
    return history


def bans_naming(author_key: str) -> QuerySet:
    """Bans of this commenter's identity, or of an e-mail address or address hash one of
    their comments was posted with, newest first."""
    theirs = Comment.objects.filter(author_key=author_key)
    return Ban.objects.filter(
        Q(kind__in=[BanKind.ACCOUNT, BanKind.GUEST], value=author_key)
        | Q(kind=BanKind.EMAIL, value__in=theirs.exclude(author_email="").values("author_email"))
        | Q(kind=BanKind.ADDRESS, value__in=theirs.exclude(ip_hash="").values("ip_hash"))
    ).order_by("-created_at")
