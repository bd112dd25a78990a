"""Every change to the discussion goes through these functions: the article page, its
htmx requests, the JSON API and management commands all call them.

Each function checks first (raising `DiscussionError` with a message for the reader)
and only then writes, inside one transaction.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from rostra.core import events
from rostra.core.text import has_lone_surrogate, is_printable_line
from rostra.discussion.events import CommentPublished, VoteChanged
from rostra.discussion.identity import Viewer
from rostra.discussion.inline import PassageError, PassageRequest, passage_anchor
from rostra.discussion.models import (
    PATH_STEP,
    Comment,
    CommentAnchor,
    CommentStatus,
    DiscussionSettings,
    Moderation,
    Thread,
    Vote,
)
from rostra.discussion.text import http_link, normalise, render_markdown

MAX_NAME_LENGTH = 80
IMPORTED_NAME_LENGTH = 200  # the author_name column
MAX_EMAIL_LENGTH = 254
MAX_WEBSITE_LENGTH = 300
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+-]*:")
DUPLICATE_WINDOW = timedelta(minutes=10)


class DiscussionError(Exception):
    """A request the reader must change; `message` says how, `field` says where."""

    def __init__(self, message: str, *, field: str = "body", status: int = 400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Policy:
    """The site's discussion settings, as the services apply them."""

    require_sign_in: bool = False
    moderation: str = Moderation.POST
    max_depth: int = 5
    edit_window: timedelta = timedelta(minutes=15)
    close_after: timedelta | None = None
    max_length: int = 10_000
    rate_limit: tuple[int, int] = (5, 60)
    min_submit_seconds: float = 3.0

    @classmethod
    def from_settings(cls, site_settings: DiscussionSettings) -> "Policy":
        return cls(
            require_sign_in=site_settings.require_sign_in,
            moderation=site_settings.moderation,
            max_depth=max(1, site_settings.max_depth),
            edit_window=timedelta(minutes=site_settings.edit_window_minutes),
            close_after=(
                timedelta(days=site_settings.close_after_days)
                if site_settings.close_after_days
                else None
            ),
            max_length=site_settings.max_length,
            rate_limit=settings.COMMENT_RATE_LIMIT,
            min_submit_seconds=settings.COMMENT_MIN_SUBMIT_SECONDS,
        )


def thread_for_article(article) -> Thread:
    """The article's thread, created on first use."""
    thread, _ = Thread.objects.get_or_create(
        key=f"article:{article.pk}",
        defaults={"article": article, "title": article.title[:255]},
    )
    return thread


def thread_is_open(thread: Thread, policy: Policy, *, now: datetime | None = None) -> bool:
    if thread.is_closed:
        return False
    if policy.close_after and thread.article_id:
        published_at = thread.article.published_at
        return (now or timezone.now()) < published_at + policy.close_after
    return True


# Posting ------------------------------------------------------------------------------


def _clean_body(body: str, policy: Policy) -> str:
    body = normalise(body or "")
    if not body:
        raise DiscussionError("Please write something before posting.")
    if has_lone_surrogate(body):
        raise DiscussionError(
            "Your comment contains a broken character (often half of an emoji) that cannot "
            "be saved. Please delete it or type it again."
        )
    if len(body) > policy.max_length:
        raise DiscussionError(
            f"Your comment is {len(body):,} characters long; the limit is "
            f"{policy.max_length:,}. Please shorten it."
        )
    return body


def _clean_guest_details(name: str, email: str, website: str) -> tuple[str, str, str]:
    """A guest's name, e-mail and website as they may be stored, or a DiscussionError
    saying which one to change. Every way a guest's details arrive comes through here."""
    name = " ".join((name or "").split())
    if not name:
        raise DiscussionError("Please give a name to comment under.", field="name")
    if not is_printable_line(name):
        raise DiscussionError(
            "Names cannot contain control characters or broken characters (such as half "
            "of an emoji). Please type your name again.",
            field="name",
        )
    if len(name) > MAX_NAME_LENGTH:
        raise DiscussionError(f"Names can be at most {MAX_NAME_LENGTH} characters.", field="name")
    return name, _clean_email(email), _clean_website(website)


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    if len(email) > MAX_EMAIL_LENGTH:
        raise DiscussionError(
            f"E-mail addresses can be at most {MAX_EMAIL_LENGTH} characters.", field="email"
        )
    if not (is_printable_line(email) and _is_email_address(email)):
        raise DiscussionError("That e-mail address does not look right.", field="email")
    return email


def _is_email_address(value: str) -> bool:
    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return True


def _clean_website(website: str) -> str:
    website = (website or "").strip()
    if not website:
        return ""
    if not _HAS_SCHEME.match(website):
        website = "https://" + website
    try:
        parts = urlsplit(website)
        valid = (
            is_printable_line(website)
            and parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and len(website) <= MAX_WEBSITE_LENGTH
        )
    except ValueError:  # e.g. "http://[::1": an unclosed IPv6 address
        valid = False
    if not valid:
        raise DiscussionError(
            "The website must be an http:// or https:// address.", field="website"
        )
    return website


# One statement with three index-backed subqueries: this runs on every post, and
# the ORM's per-query overhead would cost more than the lookups themselves.
_RATE_AND_REPEATS_SQL = """
SELECT
  (SELECT COUNT(*) FROM discussion_comment WHERE author_key = %s AND created_at >= %s),
  (SELECT COUNT(*) FROM discussion_comment WHERE ip_hash = %s AND created_at >= %s),
  (SELECT COUNT(*) FROM discussion_comment
     WHERE author_key = %s AND created_at >= %s AND thread_id = %s AND body_source = %s)
"""


def _check_rate_and_repeats(thread: Thread, viewer: Viewer, policy: Policy, body: str, now):
    """Rate limits per reader and per address, and repeated posts."""
    count, seconds = policy.rate_limit
    adapt = connection.ops.adapt_datetimefield_value
    since = adapt(now - timedelta(seconds=seconds))
    repeat_since = adapt(now - DUPLICATE_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(
            _RATE_AND_REPEATS_SQL,
            [
                *(viewer.key, since),
                *(viewer.ip_hash or "-", since),  # "-": no address, match nothing
                *(viewer.key, repeat_since, thread.pk, body),
            ],
        )
        by_author, by_address, repeats = cursor.fetchone()
    if max(by_author, by_address) >= count:
        raise DiscussionError(
            f"You are commenting faster than {count} comments in {seconds} seconds. "
            "Please wait a moment and post again; your text is still here.",
            status=429,
        )
    if repeats:
        raise DiscussionError("You have already posted this comment.")


def comment_post(
    *,
    thread: Thread,
    viewer: Viewer,
    policy: Policy,
    body: str,
    name: str = "",
    email: str = "",
    website: str = "",
    parent_id: int | None = None,
    honeypot: str = "",
    form_age_seconds: float | None = None,
    now: datetime | None = None,
    passage: PassageRequest | None = None,
) -> Comment:
    """Check and save a new comment or reply.

    A top-level comment may be about a `passage` of the article (inline feedback): a
    selection the reader made, or an editor's question it answers.

    `form_age_seconds` is how long the form was open (None for API clients, which are
    limited by rate alone). A reply beyond `policy.max_depth` is attached at the last
    level, under the replied-to comment's parent, and remembers whom it answers.
    """
    now = now or timezone.now()
    if honeypot:
        raise DiscussionError(
            "Your comment was not posted because a field meant to stay empty was filled "
            "in (browsers' autofill sometimes does this). Please try again."
        )
    if not thread_is_open(thread, policy, now=now):
        raise DiscussionError("Comments on this article are closed.", status=403)
    if policy.require_sign_in and not viewer.is_authenticated:
        raise DiscussionError("Please sign in to comment.", status=403)
    if form_age_seconds is not None and form_age_seconds < policy.min_submit_seconds:
        raise DiscussionError(
            "That was quicker than anyone can type. Please check your comment and post it again."
        )
    body = _clean_body(body, policy)
    if viewer.is_authenticated:
        # Account names (first and last name) may be longer than the column; the reader
        # cannot change them in the comment form, so they are cut rather than refused.
        name, email, website = viewer.display_name[:IMPORTED_NAME_LENGTH], viewer.email, ""
    else:
        name, email, website = _clean_guest_details(name, email, website)

    parent = None
    if parent_id is not None:
        parent = (
            Comment.objects.filter(pk=parent_id, thread=thread)
            .exclude(status__in=[CommentStatus.SPAM, CommentStatus.REMOVED])
            .first()
        )
        if parent is None or not comment_is_visible(parent, viewer):
            raise DiscussionError("The comment you are replying to is no longer there.")
        if parent.is_deleted:
            raise DiscussionError("You cannot reply to a deleted comment.")

    anchor_fields = None
    if passage is not None and not passage.is_empty and parent is None:
        try:
            anchor_fields = passage_anchor(thread, passage)
        except PassageError as error:
            raise DiscussionError(str(error)) from None

    _check_rate_and_repeats(thread, viewer, policy, body, now)

    status = CommentStatus.APPROVED
    if policy.moderation == Moderation.FIRST_TIME and not viewer.is_staff:
        has_history = Comment.objects.filter(
            author_key=viewer.key, status=CommentStatus.APPROVED
        ).exists()
        if not has_history:
            status = CommentStatus.PENDING

    reply_to = None
    if parent is not None and parent.depth + 1 > policy.max_depth - 1:
        reply_to, parent = parent, parent.parent

    with transaction.atomic():
        comment = Comment.objects.create(
            thread=thread,
            parent=parent,
            reply_to=reply_to,
            depth=(parent.depth + 1) if parent else 0,
            user_id=viewer.user_id,
            author_key=viewer.key,
            author_name=name,
            author_email=email,
            author_website=website,
            ip_hash=viewer.ip_hash,
            body_source=body,
            body_html=render_markdown(body),
            status=status,
            created_at=now,
        )
        own_step = str(comment.pk).zfill(PATH_STEP)
        comment.path = f"{parent.path}/{own_step}" if parent else own_step
        comment.root_id = parent.root_id if parent else comment.pk
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE discussion_comment SET path = %s, root_id = %s WHERE id = %s",
                [comment.path, comment.root_id, comment.pk],
            )
        if anchor_fields is not None:
            CommentAnchor.objects.create(comment=comment, thread=thread, **anchor_fields)
        if status == CommentStatus.APPROVED:
            events.publish(CommentPublished(comment.pk, thread.pk))
    return comment


# Visibility and authorship --------------------------------------------------------------


def comment_is_visible(comment: Comment, viewer: Viewer | None) -> bool:
    if comment.status == CommentStatus.APPROVED:
        return True
    if viewer is None:
        return False
    if comment.status == CommentStatus.PENDING:
        return viewer.is_staff or comment.author_key == viewer.key
    return viewer.is_staff


def comment_can_change(
    comment: Comment, viewer: Viewer | None, policy: Policy, *, now: datetime | None = None
) -> bool:
    """Authors may edit or delete within the edit window; staff always."""
    if viewer is None or comment.is_deleted:
        return False
    if viewer.is_staff:
        return True
    if comment.author_key != viewer.key:
        return False
    return (now or timezone.now()) < comment.created_at + policy.edit_window


def _check_can_change(comment, viewer, policy, now):
    if comment.is_deleted:
        raise DiscussionError("This comment has been deleted.", status=404)
    if viewer is None or (comment.author_key != viewer.key and not viewer.is_staff):
        raise DiscussionError("You can only change your own comments.", status=403)
    if not comment_can_change(comment, viewer, policy, now=now):
        minutes = int(policy.edit_window.total_seconds() // 60)
        raise DiscussionError(
            f"Comments can be changed for {minutes} minutes after posting; this one can "
            "no longer be changed.",
            status=403,
        )


def comment_edit(
    *, comment: Comment, viewer: Viewer | None, policy: Policy, body: str, now=None
) -> Comment:
    now = now or timezone.now()
    _check_can_change(comment, viewer, policy, now)
    body = _clean_body(body, policy)
    comment.body_source = body
    comment.body_html = render_markdown(body)
    comment.edited_at = now
    comment.save(update_fields=["body_source", "body_html", "edited_at"])
    return comment


def comment_delete(*, comment: Comment, viewer: Viewer | None, policy: Policy, now=None) -> None:
    """Soft-delete: the text goes, a tombstone stays while replies hang under it."""
    now = now or timezone.now()
    _check_can_change(comment, viewer, policy, now)
    comment.deleted_at = now
    comment.body_source = ""
    comment.body_html = ""
    comment.save(update_fields=["deleted_at", "body_source", "body_html"])


# Votes ------------------------------------------------------------------------------------


def comment_vote(*, comment: Comment, viewer: Viewer | None, policy: Policy, value: int) -> Comment:
    """Record the viewer's vote: 1 up, -1 down, 0 withdraw. Returns fresh counts.

    Counters move by SQL arithmetic on the row (no read-modify-write), and the unique
    (comment, voter) constraint makes concurrent clicks of one voter count once.
    """
    if value not in (1, -1, 0):
        raise DiscussionError("A vote is up (1), down (-1) or withdrawn (0).", field="value")
    if viewer is None:
        raise DiscussionError("Please enable cookies to vote.", status=403)
    if policy.require_sign_in and not viewer.is_authenticated:
        raise DiscussionError("Please sign in to vote.", status=403)
    if not comment.is_visible_to_all:
        raise DiscussionError("This comment cannot be voted on.", status=404)
    if comment.author_key == viewer.key:
        raise DiscussionError("You cannot vote on your own comment.", status=403)
    if not thread_is_open(comment.thread, policy):
        raise DiscussionError("Voting on this article is closed.", status=403)

    for _attempt in range(3):
        try:
            with transaction.atomic():
                changed = _apply_vote(comment, viewer.key, value)
                comment.refresh_from_db(fields=["upvotes", "downvotes", "score"])
                if changed:
                    events.publish(VoteChanged(comment.pk, comment.thread_id, comment.score))
            break
        except IntegrityError:
            continue  # the same voter's other request inserted first: apply as a change
    return comment


def _apply_vote(comment: Comment, voter_key: str, value: int) -> bool:
    """Store the vote and move the counters; False when the vote was already so."""
    existing = Vote.objects.select_for_update().filter(comment=comment, voter_key=voter_key).first()
    old = existing.value if existing else 0
    if old == value:
        return False
    if value == 0:
        existing.delete()
    elif existing:
        existing.value = value
        existing.save(update_fields=["value", "created_at"])
    else:
        Vote.objects.create(comment=comment, voter_key=voter_key, value=value)
    up = (value == 1) - (old == 1)
    down = (value == -1) - (old == -1)
    Comment.objects.filter(pk=comment.pk).update(
        upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
    )
    return True


# Moderation -------------------------------------------------------------------------------


def comment_moderate(*, comments, viewer: Viewer, status: str) -> int:
    """Set the moderation status of one or many comments; staff only."""
    if not viewer.is_staff:
        raise DiscussionError("Only staff can moderate comments.", status=403)
    if status not in CommentStatus.values:
        raise DiscussionError(f"Unknown status {status!r}.", field="status")
    ids = [c.pk if isinstance(c, Comment) else int(c) for c in comments]
    with transaction.atomic():
        newly_public = []
        if status == CommentStatus.APPROVED:
            newly_public = list(
                Comment.objects.filter(pk__in=ids, deleted_at__isnull=True)
                .exclude(status=CommentStatus.APPROVED)
                .values_list("pk", "thread_id")
            )
        count = Comment.objects.filter(pk__in=ids).update(status=status)
        for comment_id, thread_id in newly_public:
            events.publish(CommentPublished(comment_id, thread_id))
    return count


def thread_set_closed(*, thread: Thread, viewer: Viewer, closed: bool) -> Thread:
    if not viewer.is_staff:
        raise DiscussionError("Only staff can open or close a discussion.", status=403)
    thread.is_closed = closed
    thread.save(update_fields=["is_closed"])
    return thread


# Imports ---------------------------------------------------------------------------------

ANONYMOUS = "Anonymous"


def imported_guest_details(
    name: str, email: str, website: str
) -> tuple[tuple[str, str, str], list[str]]:
    """A commenter from another system, cleaned by the comment form's own rules. What
    the form would refuse is no reason to lose an old comment: an unusable website or
    e-mail address is dropped, a name is cut to the form's limit or, when nothing of it
    is left, becomes "Anonymous". Returns (name, email, website) and the fields changed
    ("name-cut", "name", "email", "website"), for the import summary."""
    changed = []
    name = " ".join(normalise(name or "").split())
    if len(name) > MAX_NAME_LENGTH:
        name = name[:MAX_NAME_LENGTH].rstrip()
        changed.append("name-cut")
    name = name or ANONYMOUS
    details = {"name": name, "email": email, "website": website}
    fallback = {"name": ANONYMOUS, "email": "", "website": ""}
    while True:  # each field falls back at most once: three rounds at most
        try:
            return _clean_guest_details(**details), changed
        except DiscussionError as error:
            field = error.field
        except ValueError:  # urlsplit refuses some addresses outright ("http://[::1")
            field = "website"
        if field not in fallback or details[field] == fallback[field]:
            raise DiscussionError(f"Imported commenter details refused ({field}).")
        details[field] = fallback[field]
        changed.append(field)


@dataclass
class ImportedComment:
    """A comment from another system. Its parent is either an existing comment
    (`parent_id`) or an earlier item of the same batch (`parent_index`)."""

    thread_id: int
    author_key: str
    author_name: str
    body_source: str
    body_html: str
    created_at: datetime
    status: str = CommentStatus.APPROVED
    parent_id: int | None = None
    parent_index: int | None = None
    author_email: str = ""
    author_website: str = ""
    ip_hash: str = ""
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    upvotes: int = 0
    downvotes: int = 0


@dataclass(frozen=True)
class TreePlace:
    id: int
    parent_id: int | None
    path: str
    depth: int
    root_id: int


def comments_import(items: list[ImportedComment], *, max_depth: int) -> list[TreePlace]:
    """Save imported comments as they were: their dates, status and votes, without the
    anti-abuse checks and notifications of posting. Replies deeper than `max_depth` are
    attached at the last level and remember whom they answer, as when posting.

    Two statements per batch whatever its size: one bulk insert, one batched update
    of the tree columns (which need the new ids)."""
    if not items:
        return []
    rows = [
        Comment(
            thread_id=item.thread_id,
            author_key=item.author_key,
            ip_hash=item.ip_hash[:64],
            **_imported_columns(item),
        )
        for item in items
    ]
    Comment.objects.bulk_create(rows)
    known = tree_places({item.parent_id for item in items if item.parent_id is not None})
    places: list[TreePlace] = []
    updates = []
    for item, row in zip(items, rows, strict=True):
        if item.parent_index is not None:
            parent = places[item.parent_index]
        else:
            parent = known.get(item.parent_id) if item.parent_id is not None else None
        place, reply_to = _place_under(row.pk, parent, max_depth)
        places.append(place)
        updates.append((place.parent_id, reply_to, place.path, place.depth, place.root_id, row.pk))
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE discussion_comment SET parent_id = %s, reply_to_id = %s, path = %s, "
            "depth = %s, root_id = %s WHERE id = %s",
            updates,
        )
    return places


def tree_places(comment_ids) -> dict[int, TreePlace]:
    ids = list(comment_ids)
    places = {}
    for start in range(0, len(ids), 500):
        for row in Comment.objects.filter(pk__in=ids[start : start + 500]).values_list(
            "pk", "parent_id", "path", "depth", "root_id"
        ):
            places[row[0]] = TreePlace(*row)
    return places


def _place_under(pk: int, parent: TreePlace | None, max_depth: int):
    reply_to = None
    if parent is not None and parent.depth + 1 > max_depth - 1 and parent.parent_id:
        reply_to = parent.id
        grandparent_path = parent.path.rsplit("/", 1)[0]
        parent = TreePlace(
            parent.parent_id, None, grandparent_path, parent.depth - 1, parent.root_id
        )
    own_step = str(pk).zfill(PATH_STEP)
    if parent is None:
        return TreePlace(pk, None, own_step, 0, pk), None
    return TreePlace(
        pk, parent.id, f"{parent.path}/{own_step}", parent.depth + 1, parent.root_id
    ), reply_to


def comment_reparent(comment_id: int, parent_id: int, *, max_depth: int) -> bool:
    """Move an imported comment (and its replies) under a parent that arrived later in
    the file than the reply itself. False, and nothing moved, when the parent is the
    comment itself or one of its replies: a file whose replies loop (A answers B, B
    answers A) would otherwise cut the loop off the thread."""
    places = tree_places([comment_id, parent_id])
    own, parent = places[comment_id], places[parent_id]
    if parent.root_id == own.root_id and (parent.path + "/").startswith(own.path + "/"):
        return False
    new, reply_to = _place_under(comment_id, parent, max_depth)
    depth_change = new.depth - own.depth
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE discussion_comment SET path = %s || substr(path, %s), "
            "depth = depth + %s, root_id = %s "
            "WHERE root_id = %s AND (path = %s OR path LIKE %s)",
            [new.path, len(own.path) + 1, depth_change, new.root_id, own.root_id,
             own.path, own.path + "/%"],
        )  # fmt: skip
        cursor.execute(
            "UPDATE discussion_comment SET parent_id = %s, reply_to_id = %s WHERE id = %s",
            [new.parent_id, reply_to, comment_id],
        )
    return True


@dataclass(frozen=True)
class ImportedThread:
    """A discussion from another system: an article's (`article_id`), or an embed
    thread stored under `key`, the address it lived at."""

    title: str
    article_id: int | None = None
    key: str = ""
    url: str = ""
    is_closed: bool = False


def thread_import(item: ImportedThread) -> tuple[int, bool]:
    """The thread an imported discussion joins: the article's or the one stored under
    its key, created when missing. Closing carries over; an open import never reopens a
    thread closed here. Returns (thread id, created)."""
    if item.article_id is not None:
        key, defaults = f"article:{item.article_id}", {"article_id": item.article_id}
    else:
        key, defaults = item.key[:255], {"url": item.url[:500]}
    thread, created = Thread.objects.get_or_create(
        key=key, defaults={**defaults, "title": item.title[:255]}
    )
    if item.is_closed and not thread.is_closed:
        Thread.objects.filter(pk=thread.pk).update(is_closed=True)
    return thread.pk, created


def thread_update_imported(thread_id: int, *, title: str, is_closed: bool) -> None:
    """A newer import of a thread: its title and whether it is closed."""
    Thread.objects.filter(pk=thread_id).update(is_closed=is_closed, title=title[:255])


def votes_import(votes: list[tuple[int, str, int]]) -> int:
    """Record imported votes, (comment id, voter key, ±1), as they were: the comments'
    counters already hold them. A voter's existing vote on a comment is kept. Returns
    how many were new."""
    existing = set(
        Vote.objects.filter(comment_id__in={comment_id for comment_id, _, _ in votes}).values_list(
            "comment_id", "voter_key"
        )
    )
    new = [
        Vote(comment_id=comment_id, voter_key=voter_key[:80], value=value)
        for comment_id, voter_key, value in votes
        if (comment_id, voter_key[:80]) not in existing
    ]
    Vote.objects.bulk_create(new)
    return len(new)


def comment_update_imported(comment_id: int, item: ImportedComment) -> None:
    """A newer import of a comment: its text, author, status, dates and votes."""
    Comment.objects.filter(pk=comment_id).update(**_imported_columns(item))


def _imported_columns(item: ImportedComment) -> dict:
    """What an import sets, and a later import of the same comment may change."""
    return {
        "author_name": item.author_name[:IMPORTED_NAME_LENGTH],
        "author_email": item.author_email[:254],
        "author_website": http_link(item.author_website)[:300],
        "body_source": item.body_source,
        "body_html": item.body_html,
        "status": item.status,
        "created_at": item.created_at,
        "edited_at": item.edited_at,
        "deleted_at": item.deleted_at,
        "upvotes": item.upvotes,
        "downvotes": item.downvotes,
        "score": item.upvotes - item.downvotes,
    }
