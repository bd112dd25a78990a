"""What the moderation queue shows: the comments that need attention (held, or
published with open reports), and for a page of them, in a fixed number of queries
whatever its length, each one's open reports, the automatic decision that held it (with
the suspect term or the filter's note), the spam filter's scores and the commenter's
history."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from rostra.core import app_hooks
from rostra.discussion.models import (
    Ban,
    BanKind,
    Comment,
    CommentStatus,
    ModerationDecision,
    ModerationTrigger,
    Report,
)
from rostra.discussion.selectors.moderation import CommenterHistory

# Apps above discussion (the spam filter) explain comments to moderators: a function
# registered under this app hook takes comment ids and returns {id: one line of text}.
QUEUE_NOTES_HOOK = "rostra_queue_notes"


def open_reports() -> QuerySet:
    return Report.objects.filter(resolved_by__isnull=True)


def all_reports() -> QuerySet:
    """Every report, oldest first (for archives)."""
    return Report.objects.order_by("pk")


def needs_attention_q() -> Q:
    """Held comments, and published ones readers have reported since the last decision."""
    return Q(deleted_at__isnull=True) & (
        Q(status=CommentStatus.PENDING)
        | Q(status=CommentStatus.APPROVED, pk__in=open_reports().values("comment_id"))
    )


def queue_comments() -> QuerySet:
    """Comments with what each row shows joined: thread and article, the parent, the
    reports still open and the decisions (each a query per page, not per row)."""
    return Comment.objects.select_related("thread__article", "parent").prefetch_related(
        Prefetch("reports", queryset=open_reports(), to_attr="open_reports"),
        Prefetch(
            "decisions",
            queryset=ModerationDecision.objects.order_by("decided_at", "pk"),
            to_attr="log",
        ),
    )


@dataclass
class QueueFacts:
    """What a queue row says beyond the comment's own fields."""

    held_by: ModerationDecision | None = None  # the last automatic decision, if any
    notes: list[str] = field(default_factory=list)  # e.g. the spam filter's scores
    history: CommenterHistory | None = None
    report_reasons: list[tuple[str, int]] = field(default_factory=list)


def queue_facts(comments: list[Comment]) -> dict[int, QueueFacts]:
    """The facts of each comment of a page from `queue_comments`: the commenters'
    counts and their bans (two queries) and each notes hook's (the spam filter: one),
    whatever the page's length."""
    ids = [c.pk for c in comments]
    notes = [found(ids) for found in app_hooks.registered(QUEUE_NOTES_HOOK)]
    histories = commenter_histories({c.author_key for c in comments}, comments)
    facts = {}
    for comment in comments:
        automatic = [d for d in comment.log if d.trigger != ModerationTrigger.MODERATOR]
        reasons = defaultdict(int)
        for report in comment.open_reports:
            reasons[str(report.get_reason_display())] += 1
        facts[comment.pk] = QueueFacts(
            held_by=automatic[-1] if automatic else None,
            notes=[by_id[comment.pk] for by_id in notes if comment.pk in by_id],
            history=histories.get(comment.author_key),
            report_reasons=sorted(reasons.items(), key=lambda item: -item[1]),
        )
    return facts


def commenter_histories(author_keys: set[str], comments: list[Comment]) -> dict:
    """`CommenterHistory` of many commenters in two queries: their comments counted by
    status, and the bans naming their identities or the e-mail addresses and address
    hashes of `comments`."""
    histories = {key: CommenterHistory(author_key=key) for key in author_keys}
    rows = (
        Comment.objects.filter(author_key__in=author_keys)
        .order_by()
        .values_list("author_key", "status")
        .annotate(n=Count("id"))
    )
    for key, status, n in rows:
        history = histories[key]
        if status == CommentStatus.APPROVED:
            history.approved += n
        elif status == CommentStatus.PENDING:
            history.pending += n
        elif status == CommentStatus.SHADOWED:
            history.shadowed += n
        else:
            history.rejected += n
    by_value = defaultdict(set)
    for comment in comments:
        by_value[(BanKind.GUEST, comment.author_key)].add(comment.author_key)
        by_value[(BanKind.ACCOUNT, comment.author_key)].add(comment.author_key)
        if comment.author_email:
            by_value[(BanKind.EMAIL, comment.author_email.lower())].add(comment.author_key)
        if comment.ip_hash:
            by_value[(BanKind.ADDRESS, comment.ip_hash)].add(comment.author_key)
    values = {value for _, value in by_value}
    for ban in Ban.objects.filter(value__in=values).order_by("-created_at"):
        for key in by_value.get((ban.kind, ban.value), ()):
            histories[key].bans.append(ban)
    return histories
