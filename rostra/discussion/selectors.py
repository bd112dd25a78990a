"""Read side of the discussion: who may read a thread, and a page of it, as a tree,
with the viewer's votes.

Access has one rule, applied by every entry point through the `*_for_reader` functions
and `readable_thread_q`: an article's thread is readable while its article is live and
public (`publishing.selectors.readable_q`); otherwise it is invisible and closed to
readers, whatever the address. Staff keep it in the admin, which does not use these.

`thread_page` costs the same handful of queries for 5 comments or 5,000: one count,
one page of top-level comments, one query for all their replies (ordered by path),
one for the viewer's votes on everything shown.
"""

import re
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    AnchorStatus,
    Comment,
    CommentAnchor,
    CommentStatus,
    DiscussionSettings,
    SortOrder,
    Thread,
    Vote,
)
from rostra.discussion.services import Policy
from rostra.publishing.selectors import readable_articles, readable_q

MAX_PAGE = 100_000  # pages of top-level comments; a larger number is not a real page

SORT_KEYS = {
    SortOrder.NEWEST: ("-created_at", "-id"),
    SortOrder.OLDEST: ("created_at", "id"),
    SortOrder.MOST_VOTED: ("-score", "-created_at", "-id"),
}


# Beyond any real thread, and small enough that page * page size fits a database integer.
MAX_PAGE = 1_000_000


def site_policy() -> Policy:
    """The first site's discussion settings as the services apply them (the defaults
    when none are saved), for work done outside a request, such as imports."""
    site_settings = DiscussionSettings.objects.first()
    return Policy.from_settings(site_settings) if site_settings else Policy()


def parse_sort(value: str | None, default: str) -> str:
    return value if value in SortOrder.values else default


# Who may read a thread ----------------------------------------------------------------

ARTICLE_KEY_PREFIX = "article:"
MAX_ID = 2**63 - 1  # the largest primary key a database holds
_ARTICLE_KEY = re.compile(r"article:([0-9]+)", re.ASCII)
_UNSTORABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")  # controls, lone surrogates


class ThreadKeyError(ValueError):
    """A thread key that cannot be one; the message says what a key looks like."""


def parse_thread_key(value: str) -> tuple[str, int | None]:
    """The key as stored (`article:7` for `article:007`) and its article id, or None for
    an embed thread's key. Ids beyond what a database holds are kept: they name nothing.
    """
    if value.startswith(ARTICLE_KEY_PREFIX):
        match = _ARTICLE_KEY.fullmatch(value)
        if match is None:
            raise ThreadKeyError(
                "An article's thread is `article:` followed by the article's number."
            )
        article_id = int(match.group(1))
        return f"{ARTICLE_KEY_PREFIX}{article_id}", article_id
    if not value:
        raise ThreadKeyError("A thread key cannot be empty.")
    if _UNSTORABLE.search(value):
        raise ThreadKeyError("A thread key is text without control characters.")
    return value, None


def readable_thread_q(prefix: str = "") -> Q:
    """Threads readers may see, as a condition on a thread (`prefix` leads to it, e.g.
    "thread__" from a comment): the thread of a live and public article, or an embed
    thread. Embed threads (no article; imported for another site's pages, e.g. from
    Disqus) have no page here whose state could hide them and stay readable; a thread
    whose article was deleted keeps its `article:` key and is not."""
    of_readable_article = readable_q(f"{prefix}article__")
    embed = Q(**{f"{prefix}article__isnull": True}) & ~Q(
        **{f"{prefix}key__startswith": ARTICLE_KEY_PREFIX}
    )
    return of_readable_article | embed


def readable_threads() -> QuerySet:
    return Thread.objects.filter(readable_thread_q())


def thread_for_reader(key: str) -> Thread | None:
    """The readable thread stored under `key` (a parsed key), in one query."""
    return readable_threads().filter(key=key).first()


def article_for_reader(article_id: int):
    """The live, public article `article_id` with its thread (read it with `thread_of`),
    in one query; None when readers may not see it."""
    if not 0 < article_id <= MAX_ID:
        return None
    return readable_articles().select_related("thread").filter(pk=article_id).first()


def thread_of(article) -> Thread | None:
    """The thread of an article from `article_for_reader`; None before the first comment."""
    try:
        return article.thread
    except Thread.DoesNotExist:
        return None


def comment_for_reader(comment_id: int, viewer: Viewer | None) -> Comment | None:
    """A comment of a readable thread that `viewer` may see (as `comment_is_visible`:
    approved ones, pending ones to their author, all to staff), with its thread and
    article, in one query."""
    if not 0 < comment_id <= MAX_ID:
        return None
    comments = Comment.objects.filter(readable_thread_q("thread__"), pk=comment_id)
    if viewer is None or not viewer.is_staff:
        comments = comments.filter(visible_to(viewer))
    return comments.select_related("thread__article").first()


def public_comments() -> QuerySet:
    """Comments everyone may read, newest first, each with the `headline` of what it is
    about: the article's current headline (the thread's own title is the one it had
    when the first comment came), else the embed thread's title or key."""
    return (
        Comment.objects.filter(
            readable_thread_q("thread__"),
            status=CommentStatus.APPROVED,
            deleted_at__isnull=True,
        )
        .annotate(
            headline=Coalesce(
                "thread__article__title", NullIf("thread__title", Value("")), "thread__key"
            )
        )
        .order_by("-created_at")
    )


# A page of a thread ---------------------------------------------------------------------


def visible_to(viewer: Viewer | None) -> Q:
    """Approved comments, plus pending ones for their author and for staff."""
    condition = Q(status=CommentStatus.APPROVED)
    if viewer is not None and viewer.is_staff:
        condition |= Q(status=CommentStatus.PENDING)
    elif viewer is not None:
        condition |= Q(status=CommentStatus.PENDING, author_key=viewer.key)
    return condition


@dataclass
class CommentNode:
    comment: Comment
    children: list["CommentNode"] = field(default_factory=list)
    vote: int = 0
    anchor: CommentAnchor | None = None  # the passage a top-level comment is about

    @property
    def is_tombstone(self) -> bool:
        return self.comment.is_deleted


@dataclass
class ThreadPage:
    thread: Thread | None
    sort: str
    nodes: list[CommentNode]
    total_comments: int
    total_roots: int
    shown_roots: int
    page: int
    page_size: int

    @property
    def has_more(self) -> bool:
        return self.shown_roots < self.total_roots

    @property
    def next_page(self) -> int:
        return self.page + 1


def visible_count(thread: Thread | None, viewer: Viewer | None = None) -> int:
    """“N Comments”: comments readers can see, not deleted."""
    if thread is None:
        return 0
    return (
        Comment.objects.filter(thread=thread, deleted_at__isnull=True)
        .filter(visible_to(viewer))
        .count()
    )


def _roots(thread: Thread, viewer: Viewer | None) -> QuerySet:
    live_reply = Comment.objects.filter(
        root_id=OuterRef("pk"), depth__gt=0, deleted_at__isnull=True
    ).filter(visible_to(viewer))
    return (
        Comment.objects.filter(thread=thread, depth=0)
        .filter(visible_to(viewer))
        .filter(Q(deleted_at__isnull=True) | Exists(live_reply))
    )


def thread_page(
    *,
    thread: Thread | None,
    viewer: Viewer | None,
    sort: str,
    page: int = 1,
    page_size: int = 30,
    through_page: bool = False,
    show_all: bool = False,
) -> ThreadPage:
    """Top-level comments of `page` (or of pages 1..page with `through_page`, or all)."""
    if thread is None:
        return ThreadPage(None, sort, [], 0, 0, 0, 1, page_size)
    page = max(1, page)
    roots_qs = _roots(thread, viewer).order_by(*SORT_KEYS[sort])
    total_roots = roots_qs.count()
    if show_all:
        start, stop = 0, None
        page = max(1, -(-total_roots // page_size))
    elif through_page:
        start, stop = 0, page * page_size
    else:
        start, stop = (page - 1) * page_size, page * page_size
    roots = list(roots_qs.select_related("reply_to", "anchor")[start:stop])
    root_ids = [root.pk for root in roots]
    replies = list(
        Comment.objects.filter(thread=thread, root_id__in=root_ids, depth__gt=0)
        .filter(visible_to(viewer))
        .select_related("reply_to")
        .order_by("path")
    )
    votes = {}
    if viewer is not None and (roots or replies):
        shown_ids = root_ids + [reply.pk for reply in replies]
        votes = dict(
            Vote.objects.filter(comment_id__in=shown_ids, voter_key=viewer.key).values_list(
                "comment_id", "value"
            )
        )
    nodes = {c.pk: CommentNode(c, vote=votes.get(c.pk, 0), anchor=_anchor(c)) for c in roots}
    for reply in replies:
        node = CommentNode(reply, vote=votes.get(reply.pk, 0))
        parent = nodes.get(reply.parent_id)
        if parent is None:
            continue  # its parent is hidden from this viewer (pending, spam, removed)
        nodes[reply.pk] = node
        parent.children.append(node)
    tree = [_prune(nodes[pk]) for pk in root_ids]
    return ThreadPage(
        thread=thread,
        sort=sort,
        nodes=[node for node in tree if node is not None],
        total_comments=visible_count(thread, viewer),
        total_roots=total_roots,
        shown_roots=start + len(roots),
        page=page,
        page_size=page_size,
    )


def _anchor(comment: Comment) -> CommentAnchor | None:
    try:
        return comment.anchor  # joined by select_related: no query
    except CommentAnchor.DoesNotExist:
        return None


def _prune(node: CommentNode) -> CommentNode | None:
    """Drop deleted comments that have nothing left under them."""
    node.children = [child for child in map(_prune, node.children) if child is not None]
    if node.is_tombstone and not node.children:
        return None
    return node


def root_page_number(*, comment: Comment, viewer: Viewer | None, sort: str, page_size: int) -> int:
    """Which page of top-level comments, in `sort` order, holds `comment`'s root."""
    root = comment if comment.depth == 0 else Comment.objects.get(pk=comment.root_id)
    before = _roots(comment.thread, viewer)
    if sort == SortOrder.OLDEST:
        before = before.filter(
            Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk)
        )
    elif sort == SortOrder.MOST_VOTED:
        before = before.filter(
            Q(score__gt=root.score)
            | Q(score=root.score, created_at__gt=root.created_at)
            | Q(score=root.score, created_at=root.created_at, id__gt=root.pk)
        )
    else:
        before = before.filter(
            Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, id__gt=root.pk)
        )
    return before.count() // page_size + 1


def comment_counts(keys: list[str]) -> dict[str, int]:
    """Visible comment counts for many threads in one query (for lists and embeds);
    0 for threads readers may not see."""
    rows = (
        Comment.objects.filter(
            readable_thread_q("thread__"),
            thread__key__in=keys,
            status=CommentStatus.APPROVED,
            deleted_at__isnull=True,
        )
        .values("thread__key")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(keys, 0)
    counts.update({row["thread__key"]: row["n"] for row in rows})
    return counts


def comment_totals_by_status() -> dict[str, int]:
    """{status: comments} over the whole site, deleted ones included (for /metrics)."""
    rows = Comment.objects.order_by().values_list("status").annotate(n=Count("id"))
    return dict(rows)


def vote_totals() -> dict[str, int]:
    """{"up": n, "down": n}: the votes stored over the whole site (for /metrics)."""
    rows = dict(Vote.objects.order_by().values_list("value").annotate(n=Count("id")))
    return {"up": rows.get(1, 0), "down": rows.get(-1, 0)}


# Inline feedback ---------------------------------------------------------------------------


def _visible_anchors(thread: Thread, viewer: Viewer | None) -> QuerySet:
    comments = Comment.objects.filter(thread=thread, deleted_at__isnull=True)
    return CommentAnchor.objects.filter(comment__in=comments.filter(visible_to(viewer)))


def inline_overview(thread: Thread | None, viewer: Viewer | None) -> tuple[list[dict], int]:
    """In one query: the passages readers commented on, with counts, for highlighting;
    and how many passage comments there are (orphans included), for the tab."""
    if thread is None:
        return [], 0
    groups: dict[tuple, dict] = {}
    total = 0
    rows = _visible_anchors(thread, viewer).values_list(
        "block_id", "start", "end", "question_id", "exact", "status"
    )
    for block_id, start, end, question_id, exact, status in rows:
        total += 1
        if status != AnchorStatus.ANCHORED:
            continue
        key = (question_id,) if question_id else (block_id, start, end)
        group = groups.setdefault(
            key,
            {"block": block_id, "start": start, "end": end, "question": question_id,
             "exact": exact, "count": 0},
        )  # fmt: skip
        group["count"] += 1
    return list(groups.values()), total


def inline_passages(thread: Thread | None, viewer: Viewer | None) -> list[dict]:
    return inline_overview(thread, viewer)[0]


def inline_count(thread: Thread | None, viewer: Viewer | None) -> int:
    return inline_overview(thread, viewer)[1]


def inline_comments(
    thread: Thread | None,
    viewer: Viewer | None,
    *,
    block_id: str = "",
    start: int | None = None,
    end: int | None = None,
    question_id: str = "",
) -> list[Comment]:
    """Passage comments with their anchors: all of them (the discussion's “Inline
    feedback” tab, orphans included) or those of one passage or question."""
    if thread is None:
        return []
    anchors = _visible_anchors(thread, viewer)
    if question_id:
        anchors = anchors.filter(question_id=question_id)
    elif block_id:
        anchors = anchors.filter(
            block_id=block_id, start=start, end=end, question_id="",
            status=AnchorStatus.ANCHORED,
        )  # fmt: skip
    return [
        anchor.comment
        # Following the one-to-one also fills `comment.anchor`: no query per comment.
        for anchor in anchors.select_related("comment").order_by("status", "comment__created_at")
    ]
