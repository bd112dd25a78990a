"""A page of a thread, as a tree, with the viewer's votes.

`thread_page` costs the same handful of queries for 5 comments or 5,000: one count,
one page of top-level comments, one query for all their replies (ordered by path),
one for the viewer's votes on everything shown (see tests/test_read_query_budgets.py).
"""

from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, CommentAnchor, SortOrder, Thread, Vote
from rostra.discussion.selectors.access import visible_to

# Beyond any real thread, and small enough that page * page size fits a database integer.
MAX_PAGE = 1_000_000

SORT_KEYS = {
    SortOrder.NEWEST: ("-created_at", "-id"),
    SortOrder.OLDEST: ("created_at", "id"),
    SortOrder.MOST_VOTED: ("-score", "-created_at", "-id"),
    SortOrder.PICKS: ("-created_at", "-id"),
}


def parse_sort(value: str | None, default: str) -> str:
    return value if value in SortOrder.values else default


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


def picked_threads(roots: QuerySet, viewer: Viewer | None) -> QuerySet:
    """The top-level comments that are editor's picks, or hold a reply that is."""
    picked_reply = Comment.objects.filter(
        root_id=OuterRef("pk"), depth__gt=0, picked_at__isnull=False, deleted_at__isnull=True
    ).filter(visible_to(viewer))
    return roots.filter(Q(picked_at__isnull=False) | Exists(picked_reply))


def ordered_roots(thread: Thread, roots: QuerySet, viewer: Viewer | None, sort: str):
    """`roots` in `sort` order (only the picks' threads for PICKS), the thread's pinned
    comment first in every one."""
    if sort == SortOrder.PICKS:
        roots = picked_threads(roots, viewer)
    keys = SORT_KEYS[sort]
    if thread.pinned_comment_id is not None:
        pinned_first = Case(
            When(pk=thread.pinned_comment_id, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        keys = (pinned_first, *keys)
    return roots.order_by(*keys)


@dataclass(frozen=True)
class RootsWindow:
    """The top-level comments a reader may see, in order (`roots`), how many, and the
    slice of them a page shows (`stop` None: to the end); `page` the last page shown."""

    roots: QuerySet
    total: int
    start: int
    stop: int | None
    page: int


def roots_window(
    thread: Thread,
    viewer: Viewer | None,
    *,
    sort: str,
    page: int,
    page_size: int,
    through_page: bool = False,
    show_all: bool = False,
) -> RootsWindow:
    """Counts the top-level comments (one query); the page's, or pages 1..page with
    `through_page`, or all of them."""
    page = max(1, page)
    roots = ordered_roots(thread, _roots(thread, viewer), viewer, sort)
    total = roots.count()
    if show_all:
        start, stop = 0, None
        page = max(1, -(-total // page_size))
    elif through_page:
        start, stop = 0, page * page_size
    else:
        start, stop = (page - 1) * page_size, page * page_size
    return RootsWindow(roots, total, start, stop, page)


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
    window = roots_window(
        thread, viewer, sort=sort, page=page, page_size=page_size,
        through_page=through_page, show_all=show_all,
    )  # fmt: skip
    page, total_roots, start = window.page, window.total, window.start
    roots = list(window.roots.select_related("reply_to", "anchor")[start : window.stop])
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
    thread = comment.thread
    if root.pk == thread.pinned_comment_id:
        return 1
    before = _roots(thread, viewer)
    if sort == SortOrder.PICKS:
        before = picked_threads(before, viewer)
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
    pinned = before.model.objects.none()
    if thread.pinned_comment_id is not None:  # shown first, so before it in every order
        pinned = _roots(thread, viewer).filter(pk=thread.pinned_comment_id)
    return (before | pinned).distinct().count() // page_size + 1
