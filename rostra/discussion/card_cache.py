"""The comment section's cards: the part every reader shares, cached, and one reader's
overlay on it.

What every reader sees of a page of a thread (the cards of its comments, the totals,
the passages commented on) is built once per thread version and kept in Django's cache
(the shared one, so every `rostra serve` process and the worker agree), under a key of
(thread, sort, page size, page or "all", language, whether readers may reply here). The
entry carries the `Thread.version` it was built from and is used only while that is still
the thread's version (and for an hour at most: “2 months ago” labels): a write never
waits for the cache, and the next reader after it builds the entry again. Labels of
comments younger than four weeks are worked out for each answer (`cards.relabelled`).
Keeping the version in the entry rather than in its key lets the next build replace it
instead of leaving one stale copy per vote in a database cache.

Scores are in the shared HTML: a vote moves the version (and live.js updates the score on
an open page as the vote happens).

What is one reader's own is laid over the shared cards for that answer only, never
stored: their votes (pressed buttons), Edit and Delete on their comments still in the
edit window, the highlighted comment, the no-JavaScript edit and reply forms, and a form
token. A reader who sees more than everyone (staff, or the author of a comment awaiting
moderation in this thread) gets their cards built for them, without the cache.
"""

import math
import pickle
import zlib
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.safestring import SafeString

from rostra.core.client_gone import ClientGone
from rostra.core.compiled_queries import CompiledQuery
from rostra.discussion import cards, selectors
from rostra.discussion.cards import ACTIONS, BODY, LI, VOTE, BuiltCards, CardFacts, CardScheme
from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    AUTHOR_ONLY,
    SHOWN_TO_AUTHOR_AS,
    Comment,
    CommentStatus,
    Thread,
    Vote,
)
from rostra.discussion.policy import Policy
from rostra.discussion.services import comment_can_change

# The format's number is in the key: entries of another release's format go unread.
CACHE_PREFIX = "rostra.discussion.cards.1"
ALL = "all"
HOUR = timedelta(hours=1)
# The reader's votes on a page's comments are read this many comments per query (well
# under any database's limit of parameters; “View all” of a long thread takes a few).
VOTES_PER_QUERY = 500


@dataclass
class SharedCards:
    """A page of a thread as every reader sees it, and what the section shows around it."""

    version: int
    fresh_until: float  # a timestamp
    built: BuiltCards
    total_comments: int
    total_roots: int
    shown_roots: int
    page: int
    passages: list[dict] = field(default_factory=list)
    inline_count: int = 0


_EMPTY = SharedCards(0, 0.0, BuiltCards([], [], [0], []), 0, 0, 0, 1)


@dataclass
class Reader:
    """One reader's state on the page, laid over the shared cards."""

    viewer: Viewer | None
    policy: Policy
    token: str = ""  # a real form token, for a reader whose page carries one
    highlight: int | None = None
    editing: int | None = None
    edit_text: str = ""
    edit_error: str = ""
    reply_to: int | None = None
    reply_form: str = ""

    @property
    def sees_more_than_everyone(self) -> bool:
        return self.viewer is not None and self.viewer.moderates


@dataclass
class SectionCards:
    """A page of a thread's cards for one reader: `html`, and the page's figures as the
    section template and its slots read them (as they read a ThreadPage)."""

    thread: Thread | None
    shared: SharedCards
    html: SafeString
    more_from: int | None = None  # the next top-level comment not shown, if any
    for_reader_only: bool = False  # built for a reader who sees more than everyone

    total_comments = property(lambda self: self.shared.total_comments)
    total_roots = property(lambda self: self.shared.total_roots)
    shown_roots = property(lambda self: self.shared.shown_roots)
    page = property(lambda self: self.shared.page)
    has_more = property(lambda self: self.shared.shown_roots < self.shared.total_roots)
    next_page = property(lambda self: self.shared.page + 1)


def cache_key(thread: Thread, *, sort: str, page_size: int, page, scheme: CardScheme) -> str:
    replies = "replies" if scheme.replies_open else "closed"
    return (
        f"{CACHE_PREFIX}:{thread.pk}:{sort}:{page_size}:{page}:{scheme.language}:{replies}"
        f":fold{scheme.fold_length}"
    )


def _build(thread, viewer, *, sort, page, page_size, show_all, scheme) -> SharedCards:
    thread_page = selectors.thread_page(
        thread=thread,
        viewer=viewer,
        sort=sort,
        page=page,
        page_size=page_size,
        through_page=True,
        show_all=show_all,
    )
    scheme.pinned_id = thread.pinned_comment_id
    scheme.badges = selectors.comment_badges(thread, _user_ids(thread_page.nodes))
    built = cards.cards_of_trees(scheme, thread_page.nodes)
    # Young cards' labels are worked out for each answer, until the first of them is old
    # enough for months; older ones (“2 months ago”) may run an hour late at most.
    grown_up = [created for _, created in built.young]
    fresh_until = min(
        (scheme.now + HOUR).timestamp(),
        min(grown_up, default=math.inf) + cards.EXACT_LABEL_AGE.total_seconds(),
    )
    passages, inline_count = selectors.inline_overview(thread, viewer)
    return SharedCards(
        version=thread.version,
        fresh_until=fresh_until,
        built=built,
        total_comments=thread_page.total_comments,
        total_roots=thread_page.total_roots,
        shown_roots=thread_page.shown_roots,
        page=thread_page.page,
        passages=passages,
        inline_count=inline_count,
    )


def _user_ids(nodes) -> set[int]:
    found, stack = set(), list(nodes)
    while stack:
        node = stack.pop()
        found.add(node.comment.user_id)
        stack.extend(node.children)
    return found


def shared_cards(
    thread: Thread, *, sort: str, page: int, page_size: int, show_all: bool, scheme: CardScheme
) -> SharedCards:
    """The page as every reader sees it: from the cache while it was built from the
    thread's current version (for an hour at most), else built and kept for the next
    reader."""
    key = cache_key(
        thread, sort=sort, page_size=page_size, page=ALL if show_all else page, scheme=scheme
    )
    found = _unpacked(cache.get(key))
    now = scheme.now.timestamp()
    if found is not None and found.version == thread.version and now < found.fresh_until:
        return found
    built = _build(
        thread, None, sort=sort, page=page, page_size=page_size, show_all=show_all, scheme=scheme
    )
    # Compressed: HTML shrinks about tenfold, and the database cache reads and decodes
    # (base64) a long thread's entry on every "View all".
    packed = zlib.compress(pickle.dumps(built, pickle.HIGHEST_PROTOCOL), 1)
    cache.set(key, packed, timeout=max(1, math.ceil(built.fresh_until - now)))
    return built


def _unpacked(stored) -> SharedCards | None:
    """An entry as `shared_cards` stored it (in the cache, which only Rostra writes);
    None for none, or for one that cannot be read (treated as not there)."""
    if stored is None:
        return None
    try:
        found = pickle.loads(zlib.decompress(stored))  # noqa: S301
    except (zlib.error, pickle.UnpicklingError, AttributeError, TypeError, EOFError):
        return None
    return found if isinstance(found, SharedCards) else None


def reader_cards(
    thread: Thread | None,
    reader: Reader,
    *,
    sort: str,
    page: int,
    page_size: int,
    show_all: bool,
    scheme: CardScheme,
    roots: slice = slice(None),
) -> SectionCards:
    """The page of `thread` as `reader` sees it: the shared cards with their state laid
    over (or, for a reader who sees more than everyone, built for them); only the
    top-level comments in `roots` (with their replies) when asked."""
    if thread is None:
        return SectionCards(None, _EMPTY, SafeString(""))
    viewer = reader.viewer
    for_reader_only = reader.sees_more_than_everyone or has_held_comments(thread, viewer)
    try:
        if for_reader_only:
            shared = _build(
                thread, viewer, sort=sort, page=page, page_size=page_size, show_all=show_all,
                scheme=scheme,
            )  # fmt: skip
        else:
            shared = shared_cards(
                thread, sort=sort, page=page, page_size=page_size, show_all=show_all,
                scheme=scheme,
            )  # fmt: skip
    except ClientGone:  # nobody will read this answer: end it with no cards
        return SectionCards(thread, _EMPTY, SafeString(""))
    html, more_from = laid_over(shared, thread, reader, scheme=scheme, roots=roots)
    return SectionCards(thread, shared, SafeString(html), more_from, for_reader_only)


def laid_over(
    shared: SharedCards, thread: Thread, reader: Reader, *, scheme: CardScheme,
    roots: slice = slice(None),
) -> tuple[str, int | None]:  # fmt: skip
    """The HTML of `shared`'s top-level comments in `roots` (with their replies) as
    `reader` sees them, labelled as of `scheme.now`; and the next top-level comment not
    shown, if any."""
    built = shared.built
    count = len(built.roots) - 1
    first, last, _ = roots.indices(count)
    last = max(first, last)
    start, stop = built.roots[first], built.roots[last]
    pieces = cards.relabelled(scheme, built.pieces[start:stop], start, built.young)
    overlaid = _overlay(pieces, start, built.facts, thread, reader, scheme)
    html = cards.with_form_token("".join(overlaid), reader.token)
    return html, (last if last < count else None)


# The reader's comments anywhere that only they see (held or shadowed: few), by author,
# not by thread: SQLite, without statistics, would walk every comment of a long thread.
# Compiled once: building the query costs more than running it.
_HELD_BY_AUTHOR = CompiledQuery(
    lambda key: Comment.objects.filter(author_key=key, status__in=AUTHOR_ONLY).only("thread_id"),
    [str],
)


def has_held_comments(thread: Thread, viewer: Viewer | None) -> bool:
    """Whether the reader has a comment only they see in this thread."""
    if viewer is None:
        return False
    return any(held.thread_id == thread.pk for held in _HELD_BY_AUTHOR.objects(viewer.key))


def _votes(viewer: Viewer | None, shown: list[int]) -> dict[int, int]:
    """The reader's votes on the comments `shown`, in one query (by the vote table's
    unique index of comment and voter), written as SQL: the ORM took longer to build it
    than the database to answer."""
    if viewer is None or not shown:
        return {}
    connection = connections[DEFAULT_DB_ALIAS]
    name, meta = connection.ops.quote_name, Vote._meta
    comment, value, voter = (
        name(meta.get_field(field).column) for field in ("comment", "value", "voter_key")
    )
    found: dict[int, int] = {}
    with connection.cursor() as cursor:
        for at in range(0, len(shown), VOTES_PER_QUERY):
            ids = shown[at : at + VOTES_PER_QUERY]
            cursor.execute(
                f"SELECT {comment}, {value} FROM {name(meta.db_table)}"  # noqa: S608 (names from the model)
                f" WHERE {voter} = %s AND {comment} IN ({', '.join(['%s'] * len(ids))})",
                [viewer.key, *ids],
            )
            found.update(cursor.fetchall())
    return found


def _overlay(pieces, start, facts, thread, reader: Reader, scheme: CardScheme) -> list[str]:
    """`pieces` (a copy of the built list's, from index `start`) with `reader`'s state
    swapped in, card by card. One query: the reader's votes."""
    if reader.viewer is None and reader.highlight is None and reader.reply_to is None:
        return pieces
    stop = start + len(pieces)
    shown = [fact for fact in facts if start <= fact.at < stop]
    votes = _votes(reader.viewer, [fact.pk for fact in shown])
    for fact in shown:
        for index, piece in _card_swaps(fact, votes, reader, scheme):
            pieces[fact.at - start + index] = piece
    return pieces


def _card_swaps(fact: CardFacts, votes, reader: Reader, scheme: CardScheme):
    swaps = []
    if fact.pk == reader.highlight:
        pending = SHOWN_TO_AUTHOR_AS.get(fact.status, fact.status) == CommentStatus.PENDING
        swaps.append((LI, cards.li_tag(fact.pk, fact.depth, pending=pending, highlight=True)))
    if fact.is_deleted:
        return swaps
    approved = cards.shown_as_approved(fact.status)
    vote = votes.get(fact.pk, 0)
    if vote and approved:
        form = cards.vote_form(scheme, fact.pk, fact.score, vote)
        swaps.append((VOTE, f"{cards.FOOTER}\n      {form}"))
    if reader.viewer is None:
        changeable = False
    else:
        changeable = comment_can_change(fact, reader.viewer, reader.policy, now=scheme.now)
    if changeable and reader.editing == fact.pk:
        form = cards.edit_form(
            scheme, fact.pk, reader.edit_text, token=reader.token, error=reader.edit_error
        )
        swaps.append((BODY, form))
    reply_form = reader.reply_form if reader.reply_to == fact.pk else ""
    if changeable or reply_form:
        swaps.append(
            (
                ACTIONS,
                cards.actions(
                    scheme,
                    fact.pk,
                    approved=approved,
                    changeable=changeable,
                    token=reader.token,
                    reply_form=reply_form,
                ),
            )
        )
    return swaps
