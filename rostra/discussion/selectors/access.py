"""Who may read a thread: the one access rule, applied by every entry point through
the `*_for_reader` functions and `readable_thread_q`. An article's thread is readable
while its article is live and public (`publishing.selectors.readable_q`); otherwise it
is invisible and closed to readers, whatever the address. Staff keep it in the admin,
which does not use these. Which comments of a readable thread a reader sees is
`visible_to`."""

import re

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext

from rostra.core.compiled_queries import CompiledQuery
from rostra.discussion.identity import Viewer
from rostra.discussion.models import AUTHOR_ONLY, Comment, CommentStatus, Thread
from rostra.publishing.selectors import readable_articles, readable_q

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
                gettext("An article's thread is `article:` followed by the article's number.")
            )
        article_id = int(match.group(1))
        return f"{ARTICLE_KEY_PREFIX}{article_id}", article_id
    if not value:
        raise ThreadKeyError(gettext("A thread key cannot be empty."))
    if _UNSTORABLE.search(value):
        raise ThreadKeyError(gettext("A thread key is text without control characters."))
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


# What a write needs of a thread's article (`services.thread_is_open` reads it), carried
# on the thread as this attribute: no Wagtail page object to build (about 0.3 ms) and no
# article row (its body) to read.
ARTICLE_PUBLISHED_AT = "article_published_at"


def _with_article_published_at(threads: QuerySet, prefix: str = "") -> QuerySet:
    return threads.annotate(**{ARTICLE_PUBLISHED_AT: F(f"{prefix}article__published_at")})


# Each entry point below names one row by key under the whole access rule: compiled
# once per process (rostra.core.compiled_queries), since compiling the rule costs about
# twenty times what running it does. A key names one row: no ORDER BY, whose building
# for Wagtail's page tree costs more again.
_THREAD_BY_KEY = CompiledQuery(
    lambda key: _with_article_published_at(readable_threads().filter(key=key))[:1], [str]
)
_ARTICLE_BY_ID = CompiledQuery(
    lambda pk: readable_articles().select_related("thread").filter(pk=pk).order_by()[:1],
    [int],
)


# The thread API's reads and writes, and a signed-in reader's section from its frame,
# need the thread alone: no Wagtail page object to build. The frame's key names the
# article's address (`ARTICLE_URL_PATH`, from the page row the access rule joins anyway).
ARTICLE_URL_PATH = "article_url_path"
_THREAD_OF_ARTICLE = CompiledQuery(
    lambda pk: (
        _with_article_published_at(readable_threads().filter(article_id=pk))
        .annotate(**{ARTICLE_URL_PATH: F("article__url_path")})
        .order_by()[:1]
    ),
    [int],
)


def thread_for_reader(key: str) -> Thread | None:
    """The readable thread stored under `key` (a parsed key), in one query; its
    article's `published_at` as `ARTICLE_PUBLISHED_AT`."""
    return _THREAD_BY_KEY.first(key)


def article_for_reader(article_id: int):
    """The live, public article `article_id` with its thread (read it with `thread_of`),
    in one query; None when readers may not see it."""
    if not 0 < article_id <= MAX_ID:
        return None
    return _ARTICLE_BY_ID.first(article_id)


def thread_of_readable_article(article_id: int) -> Thread | None:
    """The thread of the live, public article `article_id`, in one query, with the
    article's `published_at` as `ARTICLE_PUBLISHED_AT` and its `url_path` as
    `ARTICLE_URL_PATH`; None when it has none yet or
    readers may not see the article (`article_for_reader` tells which).
    """
    if not 0 < article_id <= MAX_ID:
        return None
    return _THREAD_OF_ARTICLE.first(article_id)


def thread_of(article) -> Thread | None:
    """The thread of an article from `article_for_reader`; None before the first comment."""
    try:
        return article.thread
    except Thread.DoesNotExist:
        return None


def comment_for_reader(comment_id: int, viewer: Viewer | None, *, article: bool = True):
    """A comment of a readable thread that `viewer` may see (as `comment_is_visible`:
    approved ones, pending and shadow-banned ones to their author, all to moderators), with
    its thread and article, in one query. `article=False` (the API's writes, which render
    no page): the thread alone, with its article's `published_at` as the thread's
    `ARTICLE_PUBLISHED_AT`; `comment.thread.article` would then cost a query."""
    if not 0 < comment_id <= MAX_ID:
        return None
    queries = _COMMENT_WITH_ARTICLE if article else _COMMENT_WITH_THREAD
    if viewer is None:
        comment = queries["anyone"].first(comment_id)
    elif viewer.moderates:
        comment = queries["staff"].first(comment_id)
    else:
        comment = queries["reader"].first(comment_id, viewer.key)
    if comment is not None and not article:
        setattr(comment.thread, ARTICLE_PUBLISHED_AT, getattr(comment, ARTICLE_PUBLISHED_AT))
    return comment


def _readable_comment(comment_id: int, visible: Q | None, *, article: bool) -> QuerySet:
    comments = Comment.objects.filter(readable_thread_q("thread__"), pk=comment_id)
    if visible is not None:
        comments = comments.filter(visible)
    if article:
        comments = comments.select_related("thread__article")
    else:
        comments = _with_article_published_at(comments.select_related("thread"), "thread__")
    return comments.order_by()[:1]


def _comment_queries(*, article: bool) -> dict[str, CompiledQuery]:
    """The comment lookups for anyone, staff and a reader, with or without the article."""
    return {
        "anyone": CompiledQuery(
            lambda pk: _readable_comment(pk, visible_to(None), article=article), [int]
        ),
        "staff": CompiledQuery(lambda pk: _readable_comment(pk, None, article=article), [int]),
        "reader": CompiledQuery(
            lambda pk, key: _readable_comment(pk, visible_to(Viewer(key=key)), article=article),
            [int, str],
        ),
    }


_COMMENT_WITH_ARTICLE = _comment_queries(article=True)
_COMMENT_WITH_THREAD = _comment_queries(article=False)


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


def visible_to(viewer: Viewer | None) -> Q:
    """Approved comments, plus pending ones for their author and for moderators (by
    permission: `Viewer.moderates`), plus shadow-banned ones and spam for their author
    alone (to whom the first look published, spam held: models.SHOWN_TO_AUTHOR_AS;
    pages, the API, counts and
    permalinks all read through here, while feeds, e-mails, the live stream and
    counts for lists take approved comments only)."""
    condition = Q(status=CommentStatus.APPROVED)
    if viewer is not None and viewer.moderates:
        condition |= Q(status=CommentStatus.PENDING)
    elif viewer is not None:
        condition |= Q(status__in=AUTHOR_ONLY, author_key=viewer.key)
    return condition
