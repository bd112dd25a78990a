"""The outlet's own decisions as labelled examples: what the filter learns from.

For now a decision is a comment's status: approved is legitimate ("ham"), spam is spam,
removed is abuse. Imports map other systems' states onto those statuses
(rostra/transfer/sources/; README, "The spam filter", says which count as what).
Comments still waiting, and deleted ones (nobody says whether their author or a
moderator deleted them, nor why), teach nothing and are left out.

The decision log (issue #15) will add decisions a status does not keep, such as "not
spam" on a comment the filter held; it plugs in here, in `training_examples`.
"""

from collections import defaultdict
from collections.abc import Iterator

from rostra.discussion.models import Comment, CommentStatus
from rostra.spamfilter.features import Signals
from rostra.spamfilter.selectors import REPEAT_WINDOW, own_hosts
from rostra.spamfilter.training import ABUSE, HAM, SPAM, Example

LABELS = {CommentStatus.APPROVED: HAM, CommentStatus.SPAM: SPAM, CommentStatus.REMOVED: ABUSE}
CHUNK = 2000


def labelled_count() -> int:
    """How many decisions there are to learn from (what `training_examples` yields)."""
    return Comment.objects.filter(status__in=LABELS, deleted_at__isnull=True).count()


def training_examples() -> Iterator[Example]:
    """Every decided comment, oldest first, with what was known of its author when it
    was posted (earlier comments and how they were judged, the same text elsewhere)."""
    hosts = own_hosts()
    history: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # earlier, approved, rejected
    last_seen: dict[int, tuple] = {}  # hash of a text -> (when, thread) it was last posted
    rows = Comment.objects.order_by("created_at", "pk").values_list(
        "author_key", "author_name", "author_website", "body_source", "status",
        "created_at", "thread_id", "deleted_at",
    )  # fmt: skip
    for key, name, website, body, status, created_at, thread_id, deleted_at in rows.iterator(
        chunk_size=CHUNK
    ):
        earlier, approved, rejected = history[key]
        seen = last_seen.get(hash(body))
        repeated = bool(seen and seen[1] != thread_id and created_at - seen[0] <= REPEAT_WINDOW)
        label = LABELS.get(status)
        if label is not None and deleted_at is None:
            yield Example(
                text=body,
                label=label,
                created_at=created_at,
                signals=Signals(
                    name=name,
                    website=website,
                    earlier=earlier,
                    approved=approved,
                    rejected=rejected,
                    repeated_elsewhere=repeated,
                    own_hosts=hosts,
                ),
            )
        history[key] = [
            earlier + 1,
            approved + (status == CommentStatus.APPROVED),
            rejected + (label in (SPAM, ABUSE)),
        ]
        last_seen[hash(body)] = (created_at, thread_id)
