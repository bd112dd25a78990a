"""Comment cards as HTML, built in Python from one URL scheme per page.

A card is what a reader sees of one comment: byline, passage quote, body, vote buttons,
reply/edit/delete actions. Rendering a Django template per comment cost about 3.7 ms
(four `{% url %}`, a CSRF token per form, two localised dates, `article.url` per
comment); here the addresses, month names and "… ago" labels are worked out once per
page (`CardScheme`) and each card is a few string joins, with every reader-supplied
value escaped. The markup is the one the template made, attribute for attribute
(tests/test_cards.py compares them).

A card is built in `CARD_PIECES` pieces so that the shared, cached HTML of a page
(`discussion.card_cache`) can take one reader's state, or the time, by swapping a
piece: 0 the `<li>` tag (highlight), 1 the header up to the time, 2 the “… ago” label,
3 the rest of the header and the passage quote, 4 the body (or the edit form), 5 the
vote form (the reader's vote), 6 the actions after it, with the reader's own
Edit/Delete, and the no-JavaScript reply form.

“… ago” labels of comments younger than `EXACT_LABEL_AGE` are plain arithmetic on the
age (the same text as Django's `timesince`, tests/test_cards.py checks it), cheap enough
to work out for every answer; older ones (“2 months ago”) come from `timesince`.

Every word of a card is in the active language: translated once per page (`CardWords`),
with the “… ago” labels in the words of Django's `naturaltime` (its catalogs say
“vor 5 Minuten”) and the time's title in the language's DATETIME_FORMAT. The shared
cards' cache key holds the language (`card_cache.cache_key`).
"""

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape  # what the templates' autoescape does, without the SafeString
from typing import NamedTuple

from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import DateFormat, re_formatchars
from django.utils.formats import get_format
from django.utils.html import avoid_wrapping
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import get_language, gettext, pgettext

from rostra.core.client_gone import ClientGone
from rostra.core.form_tokens import TOKEN_FIELD
from rostra.discussion.avatars import avatar_svg
from rostra.discussion.models import SHOWN_TO_AUTHOR_AS, CommentStatus, HoldReason

CARD_PIECES = 7
LI, HEAD, AGO, HEAD_END, BODY, VOTE, ACTIONS = range(CARD_PIECES)
# Below four weeks (the shortest month) `timesince` counts whole weeks, days, hours or
# minutes of the age, and nothing else; one day less, for any clock and time zone.
EXACT_LABEL_AGE = timedelta(days=27)
_UNITS = (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))
# The vote form's token field on a shared page: empty, filled by form_tokens.js, or by
# the server for a reader who needs a real token (`with_form_token`).
EMPTY_TOKEN_FIELD = f'<input type="hidden" name="{TOKEN_FIELD}" value="" data-form-token>'
_ID = 9_876_543_210  # stands for a comment id while the URL patterns are reversed
# The format characters of a date (DateFormat) that depend on the day alone, and those
# that depend on the hour and minute alone.
_DAY_CHARACTERS = frozenset("bdDEFjlLmMnNSwWyYz")
_MINUTE_CHARACTERS = frozenset("aAgGhHiP")


def _url_around_id(name: str) -> tuple[str, str]:
    before, after = reverse(name, args=[_ID]).split(str(_ID))
    return escape(before), escape(after)


class _Remembered:
    """A `timesince` time string (“%(num)d minutes”) translated once per number and page,
    instead of once per comment."""

    def __init__(self, lazy_string):
        self.lazy_string = lazy_string
        self.texts: dict[int, str] = {}

    def __mod__(self, values):
        num = values["num"]
        found = self.texts.get(num)
        if found is None:
            found = self.texts[num] = self.lazy_string % values
        return found


@dataclass(frozen=True)
class CardWords:
    """A card's words in the active language, escaped for HTML: translated once per page
    (`CardScheme.words`) rather than once per card."""

    reply: str
    share: str
    report: str
    edit: str
    delete: str
    delete_confirm: str
    vote_up: str
    vote_up_withdraw: str
    vote_down: str
    vote_down_withdraw: str
    score: str  # with %(score)s
    replying_to: str  # with %(name)s: the link to the comment answered
    deleted: str
    edit_label: str
    save: str
    cancel: str
    on_the_passage: str
    answering: str  # with %(question)s
    passage_gone: str
    fold: str
    edited: str
    pending_badge: str
    pinned_mark: str
    pick_mark: str
    just_now: str
    badges: dict  # {badge: its label}; a badge not named here is shown as it is
    ago: str  # with %(delta)s: "5 minutes", as naturaltime words it

    @classmethod
    def in_active_language(cls) -> "CardWords":
        pick = escape(gettext("Editor's pick"))
        return cls(
            reply=escape(pgettext("comment action", "Reply")),
            share=escape(pgettext("comment action", "Share")),
            report=escape(pgettext("comment action", "Report")),
            edit=escape(pgettext("comment action", "Edit")),
            delete=escape(pgettext("comment action", "Delete")),
            delete_confirm=escape(gettext("Delete this comment?")),
            vote_up=escape(gettext("Vote up")),
            vote_up_withdraw=escape(gettext("Vote up (withdraw)")),
            vote_down=escape(gettext("Vote down")),
            vote_down_withdraw=escape(gettext("Vote down (withdraw)")),
            # Translators: the accessible name of a comment's score (votes up minus down).
            score=escape(gettext("Score %(score)s")),
            # Translators: %(name)s is a link to the comment answered, named by its author.
            replying_to=escape(gettext("replying to %(name)s")),
            deleted=escape(gettext("This comment was deleted.")),
            edit_label=escape(gettext("Edit your comment")),
            save=escape(pgettext("comment form", "Save")),
            cancel=escape(pgettext("comment form", "Cancel")),
            on_the_passage=escape(gettext("On the passage")),
            # Translators: above a comment answering an editor's question in the article.
            answering=escape(gettext("Answering “%(question)s”")),
            passage_gone=escape(
                gettext("The article has changed since: this passage is no longer in it.")
            ),
            fold=(
                '<details class="comment__fold"><summary><span class="comment__fold-more">'
                f"{escape(gettext('Read more'))}</span>"
                f'<span class="comment__fold-less">{escape(gettext("Show less"))}</span>'
                "</summary></details>"
            ),
            edited=f'<span class="comment__edited">{escape(pgettext("comment", "edited"))}</span>',
            pending_badge=(
                f'<span class="comment__badge">{escape(gettext("Awaiting moderation"))}</span>'
            ),
            pinned_mark=(
                '<span class="comment__mark comment__mark--pinned">'
                f"{escape(pgettext('comment', 'Pinned'))}</span>"
            ),
            pick_mark=f'<span class="comment__mark comment__mark--pick">{pick}</span>',
            just_now=escape(gettext("just now")),
            badges={
                "Staff": escape(pgettext("comment badge", "Staff")),
                "Author": escape(pgettext("comment badge", "Author")),
                "Supporter": escape(pgettext("comment badge", "Supporter")),
            },
            ago=escape(str(NaturalTimeFormatter.time_strings["past-day"])),
        )


class _TimeTitles:
    """A card's time as its title shows it: the active language's DATETIME_FORMAT, the
    `date` filter's text. Formatting a date takes several times as long as the rest of a
    card, so each day's and each minute's parts are formatted once per page."""

    def __init__(self):
        self.format = str(get_format("DATETIME_FORMAT"))
        parts = re_formatchars.split(self.format)
        self.literals = [escape(part.replace("\\", "")) for part in parts[0::2]]
        self.characters = parts[1::2]
        self.by_parts = all(
            character in _DAY_CHARACTERS or character in _MINUTE_CHARACTERS
            for character in self.characters
        )
        self._days: dict[tuple[int, int, int], dict[str, str]] = {}
        self._minutes: dict[tuple[int, int], dict[str, str]] = {}

    def _parts(self, found: dict, key, local: datetime, characters) -> dict[str, str]:
        parts = found.get(key)
        if parts is None:
            formatter = DateFormat(local)
            parts = found[key] = {
                character: escape(str(getattr(formatter, character)()))
                for character in self.characters
                if character in characters
            }
        return parts

    def __call__(self, local: datetime) -> str:
        if not self.by_parts:  # a format with time zone or other parts: as a whole
            return escape(DateFormat(local).format(self.format))
        day = self._parts(self._days, (local.year, local.month, local.day), local, _DAY_CHARACTERS)
        minute = self._parts(self._minutes, (local.hour, local.minute), local, _MINUTE_CHARACTERS)
        text = self.literals[0]
        for character, literal in zip(self.characters, self.literals[1:], strict=True):
            text += (day[character] if character in day else minute[character]) + literal
        return text


@dataclass
class CardScheme:
    """What every card of one page shares: addresses, the clock, the language's words,
    date format and time strings, and whether readers may reply here."""

    article_url: str
    replies_open: bool
    now: datetime = field(default_factory=timezone.now)
    # Set when the client hung up (rostra.core.client_gone): building stops.
    client_gone: threading.Event | None = None
    # Comments longer than this many characters are folded ("Read more"); 0: never.
    fold_length: int = 0
    # The thread's pinned comment, and commenters' badges ({user id: labels}): server
    # data the same for every reader, set where the page's cards are built.
    pinned_id: int | None = None
    badges: dict = field(default_factory=dict)

    def __post_init__(self):
        self.article_href = escape(self.article_url)
        self.permalink = _url_around_id("discussion:permalink")
        self.vote = _url_around_id("discussion:vote")
        self.edit = _url_around_id("discussion:edit")
        self.delete = _url_around_id("discussion:delete")
        self.report = _url_around_id("discussion:report")
        self.language = get_language()
        self.zone = timezone.get_current_timezone()
        self.words = CardWords.in_active_language()
        self.time_title = _TimeTitles()
        self.time_strings = {
            unit: _Remembered(text) for unit, text in NaturalTimeFormatter.past_substrings.items()
        }
        self._avatars: dict[tuple[str, str], str] = {}
        self._labels: dict[tuple[str, int], str] = {}

    def url(self, around: tuple[str, str], pk: int) -> str:
        return f"{around[0]}{pk}{around[1]}"

    def avatar(self, name: str, key: str) -> str:
        found = self._avatars.get((name, key))
        if found is None:
            found = self._avatars[name, key] = str(avatar_svg(name, key))
        return found

    def ago(self, moment: datetime) -> str:
        """As the `ago` filter: “just now”, “5 minutes ago”."""
        age = (self.now - moment).total_seconds()
        if age < 60:
            return self.words.just_now
        if age < EXACT_LABEL_AGE.total_seconds():
            return self.young_label(age)
        label = timesince(moment, now=self.now, time_strings=self.time_strings, depth=1)
        return self.words.ago % {"delta": escape(label)}

    def young_label(self, age: float) -> str:
        """The label of a comment `age` seconds old (under EXACT_LABEL_AGE): the first
        whole unit of its age, as `timesince(depth=1)` counts it."""
        if age < 60:
            return self.words.just_now
        for unit, seconds in _UNITS:
            count = int(age // seconds)
            if count:
                found = self._labels.get((unit, count))
                if found is None:
                    text = self.time_strings[unit] % {"num": count}
                    found = self._labels[unit, count] = self.words.ago % {
                        "delta": escape(avoid_wrapping(text))
                    }
                return found
        return self.words.just_now


def passage_quote(anchor, words: CardWords | None = None) -> str:
    """The quoted passage a comment is about, with a note when it left the article."""
    words = words or CardWords.in_active_language()
    orphaned = anchor.status == "orphaned"
    label = (
        words.answering % {"question": escape(anchor.question)}
        if anchor.question
        else words.on_the_passage
    )
    note = f'<p class="comment__passage-note">{words.passage_gone}</p>' if orphaned else ""
    return (
        f'<blockquote class="comment__passage{" comment__passage--orphaned" if orphaned else ""}"'
        f' data-block="{escape(anchor.block_id)}" data-start="{anchor.start}"'
        f' data-end="{anchor.end}">\n'
        f'  <p class="comment__passage-label">{label}</p>\n'
        f'  <p class="comment__passage-text">{escape(anchor.exact)}</p>\n'
        f"  {note}\n</blockquote>"
    )


def vote_form(
    scheme: CardScheme, pk: int, score: int, vote: int = 0, *, token_field=EMPTY_TOKEN_FIELD,
    error: str = "",
) -> str:  # fmt: skip
    """The up/down vote buttons, pressed as the reader voted, and the score."""
    url, words = scheme.url(scheme.vote, pk), scheme.words
    up, down = vote == 1, vote == -1
    score_label = words.score % {"score": score}
    alert = f'<span class="vote__error" role="alert">{escape(error)}</span>' if error else ""
    return (
        f'<form class="vote" method="post" action="{url}" hx-post="{url}" hx-target="this"'
        f' hx-swap="outerHTML">\n  {token_field}\n'
        f'  <button type="submit" name="value" value="{0 if up else 1}"'
        f' class="vote__button vote__button--up" id="vote-{pk}-up"'
        f' aria-pressed="{"true" if up else "false"}"'
        f' aria-label="{words.vote_up_withdraw if up else words.vote_up}">▲</button>\n'
        f'  <span class="vote__score" aria-label="{score_label}">{score}</span>\n'
        f'  <button type="submit" name="value" value="{0 if down else -1}"'
        f' class="vote__button vote__button--down" id="vote-{pk}-down"'
        f' aria-pressed="{"true" if down else "false"}"'
        f' aria-label="{words.vote_down_withdraw if down else words.vote_down}">▼</button>\n'
        f"  {alert}\n</form>"
    )


def token_input(token: str) -> str:
    return f'<input type="hidden" name="{TOKEN_FIELD}" value="{escape(token)}">'


def li_tag(pk: int, depth: int, *, pending: bool, highlight: bool) -> str:
    classes = "comment"
    if highlight:
        classes += " comment--highlight"
    if pending:
        classes += " comment--pending"
    return f'<li class="{classes}" id="comment-{pk}" data-depth="{depth}">'


def body(comment, words: CardWords, fold_length: int = 0) -> str:
    """The comment's text; over `fold_length` characters, folded under “Read more” (a
    <details> the CSS folds the text above by, so the whole text stays in the page and
    opens without JavaScript)."""
    if not (fold_length and len(comment.body_source) > fold_length):
        return f'\n    <div class="comment__body">{comment.body_html}</div>'
    return (
        f'\n    <div class="comment__body comment__body--long">{comment.body_html}</div>'
        f"\n    {words.fold}"
    )


def edit_form(scheme: CardScheme, pk: int, text: str, *, token: str, error: str = "") -> str:
    """The author's edit form, in place of the body (no JavaScript needed)."""
    url, words = scheme.url(scheme.edit, pk), scheme.words
    alert = f'<p class="composer__error" role="alert">{escape(error)}</p>' if error else ""
    return (
        f'\n      <form class="composer composer--edit" method="post" action="{url}"'
        f' hx-post="{url}">\n        {token_input(token)}\n        {alert}\n'
        f'        <label class="composer__label" for="edit-{pk}">{words.edit_label}</label>\n'
        f'        <textarea id="edit-{pk}" name="body" rows="4" required>{escape(text)}'
        "</textarea>\n"
        f'        <div class="composer__actions"><button type="submit">{words.save}</button> '
        f'<a href="{scheme.article_href}#comment-{pk}">{words.cancel}</a></div>\n      </form>'
    )


def actions(
    scheme: CardScheme, pk: int, *, approved: bool, changeable: bool = False, token: str = "",
    reply_form: str = "",
) -> str:  # fmt: skip
    """What follows the vote buttons: Reply, the author's Edit and Delete, the end of
    the card (with the no-JavaScript reply form when the reader asked for it)."""
    parts, words = [], scheme.words
    if scheme.replies_open and approved:
        parts.append(
            f'\n      <a class="comment__action" href="{scheme.article_href}?reply_to={pk}'
            f'#reply-{pk}" data-reply="{pk}">{words.reply}</a>'
        )
    if approved:
        parts.append(share_link(scheme, pk))
    if changeable:
        delete = scheme.url(scheme.delete, pk)
        parts.append(
            f'\n      <a class="comment__action" href="{scheme.article_href}?edit={pk}'
            f'#comment-{pk}">{words.edit}</a>\n'
            f'      <form class="comment__delete" method="post" action="{delete}"'
            f' hx-post="{delete}" hx-confirm="{words.delete_confirm}">\n'
            f"        {token_input(token)}"
            f'<button type="submit" class="comment__action">{words.delete}</button>\n      </form>'
        )
    elif approved:
        parts.append(report_link(scheme, pk))
    parts.append("\n    </footer>")
    if reply_form:
        parts.append(f'\n      <div class="comment__reply" id="reply-{pk}">{reply_form}</div>')
    parts.append("\n  </article>")
    return "".join(parts)


def share_link(scheme: CardScheme, pk: int) -> str:
    """The comment's permalink, which discussion.js copies (Clipboard API) on a click."""
    return (
        f'\n      <a class="comment__action" href="{scheme.url(scheme.permalink, pk)}"'
        f" data-share>{scheme.words.share}</a>"
    )


def report_link(scheme: CardScheme, pk: int) -> str:
    """Report, on every published comment but the reader's own: a small page without
    JavaScript, the form in its place with htmx (views.report)."""
    url = scheme.url(scheme.report, pk)
    return (
        f'\n      <a class="comment__action comment__report" href="{url}" hx-get="{url}"'
        f' hx-target="this" hx-swap="outerHTML" rel="nofollow">{scheme.words.report}</a>'
    )


def card(scheme: CardScheme, comment, *, anchor=None, tombstone: bool = False) -> list[str]:
    """The `CARD_PIECES` pieces of `comment`'s card as every reader sees it (no vote of
    theirs, no Edit, nothing highlighted): `comment` has a Comment's fields, with
    `reply_to` joined."""
    pk, words = comment.pk, scheme.words
    pending = SHOWN_TO_AUTHOR_AS.get(comment.status, comment.status) == CommentStatus.PENDING
    li = li_tag(pk, comment.depth, pending=pending, highlight=False)
    if tombstone:
        head = (
            f'\n  <article class="comment__card" aria-labelledby="comment-{pk}-author">\n'
            f'    <p class="comment__tombstone" id="comment-{pk}-author">{words.deleted}</p>'
        )
        return [li, head, "", "", "", "", "\n  </article>"]
    name = escape(comment.author_name)
    website = comment.website_link
    if website:
        name = f'<a href="{escape(website)}" rel="nofollow ugc noopener">{name}</a>'
    reply_to = comment.reply_to if comment.reply_to_id else None
    replying = ""
    if reply_to is not None:
        link = f'<a href="#comment-{comment.reply_to_id}">{escape(reply_to.author_name)}</a>'
        replying = f'<span class="comment__reply-to">{words.replying_to % {"name": link}}</span>'
    local = comment.created_at.astimezone(scheme.zone)
    edited = words.edited if comment.edited_at else ""
    badge = words.pending_badge if pending else ""
    head = (
        f'\n  <article class="comment__card" aria-labelledby="comment-{pk}-author">\n'
        '    <header class="comment__header">\n'
        f"      {scheme.avatar(comment.author_name, comment.author_key)}\n"
        '      <div class="comment__byline">\n'
        f'        <span class="comment__author" id="comment-{pk}-author">{name}</span>\n'
        f"{marks(scheme, comment)}"
        f"        {replying}\n"
        f'        <a class="comment__time" href="{scheme.url(scheme.permalink, pk)}">'
        f'<time datetime="{local.isoformat()}" title="{scheme.time_title(local)}">'
    )
    head_end = f"</time></a>\n        {edited}\n        {badge}\n      </div>\n    </header>"
    if pending and comment.held_because:
        label = escape(HOLD_REASONS.get(comment.held_because, ""))
        head_end += f'\n    <p class="comment__held-because">{label}</p>'
    if anchor is not None:
        head_end += "\n    " + passage_quote(anchor, words)
    approved = shown_as_approved(comment.status)
    vote = FOOTER
    if approved:
        vote += "\n      " + vote_form(scheme, pk, comment.score)
    ago = scheme.ago(comment.created_at)
    return [
        li, head, ago, head_end, body(comment, words, scheme.fold_length), vote,
        actions(scheme, pk, approved=approved),
    ]  # fmt: skip


def marks(scheme: CardScheme, comment) -> str:
    """Badges of the commenter's account and the editor's marks (pinned, pick): a line
    of the byline, or nothing for a comment with none. A badge is a code (its class, and
    its value in the API), shown by its label in the active language."""
    names = scheme.words.badges
    labels = [
        f'<span class="comment__badge comment__badge--{escape(badge.lower())}">'
        f"{names.get(badge) or escape(badge)}</span>"
        for badge in scheme.badges.get(getattr(comment, "user_id", None), ())
    ]
    if comment.pk == scheme.pinned_id:
        labels.append(scheme.words.pinned_mark)
    if getattr(comment, "picked_at", None) is not None:
        labels.append(scheme.words.pick_mark)
    return f"        {' '.join(labels)}\n" if labels else ""


def shown_as_approved(status: str) -> bool:
    """Published, as its viewer sees it: a shadow-banned comment reaches its author alone
    (selectors.visible_to), and to them it looks published."""
    return status in (CommentStatus.APPROVED, CommentStatus.SHADOWED)


HOLD_REASONS = dict(HoldReason.choices)  # what a held comment's author is told
FOOTER = '\n    <footer class="comment__actions">'
REPLIES_OPEN = '\n  <ol class="comment-list comment-list--replies" role="list">'
REPLIES_CLOSE = "\n  </ol>"
LI_CLOSE = "\n</li>\n"


def as_html(pieces: list[str]) -> SafeString:
    return SafeString("".join(pieces))


def with_form_token(cards_html: str, token: str) -> str:
    """The shared cards with a real token in each vote form, for a reader without
    JavaScript who needs one (a personal page)."""
    if not token:
        return cards_html
    filled = f'<input type="hidden" name="{TOKEN_FIELD}" value="{escape(token)}" data-form-token>'
    return cards_html.replace(EMPTY_TOKEN_FIELD, filled)


class CardFacts(NamedTuple):
    """One card of a built list, as a reader's overlay needs it: where its pieces start
    and what decides that reader's view of it (`comment_can_change` reads `is_deleted`,
    `author_key` and `created_at`)."""

    at: int
    pk: int
    depth: int
    status: str
    score: int
    author_key: str
    created_at: datetime
    is_deleted: bool


class BuiltCards(NamedTuple):
    """The cards of a list of comment trees: `pieces` joined are its HTML; `roots[i]` is
    where the i-th top-level comment's pieces start (and `roots[-1]` the end); `young`
    are the cards whose “… ago” label is worked out again for each answer, as (index of
    the label's piece, the comment's time as a timestamp)."""

    pieces: list[str]
    facts: list[CardFacts]
    roots: list[int]
    young: list[tuple[int, float]]


def relabelled(scheme: CardScheme, pieces: list[str], start: int, young) -> list[str]:
    """`pieces` (from index `start` of a built list) with the young cards' labels as of
    `scheme.now`, in a new list; the built one is left as it is."""
    stop, now = start + len(pieces), scheme.now.timestamp()
    fresh = list(pieces)
    for index, created in young:
        if start <= index < stop:
            fresh[index - start] = scheme.young_label(now - created)
    return fresh


def cards_of_trees(scheme: CardScheme, nodes) -> BuiltCards:
    """The cards of `nodes` (selectors' CommentNodes) and all their replies, nested as
    the comments are, in one pass; ClientGone once the client has hung up."""
    pieces: list[str] = []
    facts: list[CardFacts] = []
    roots: list[int] = []
    young: list[tuple[int, float]] = []
    young_since = scheme.now - EXACT_LABEL_AGE

    def add(node) -> None:
        comment = node.comment
        if not node.is_tombstone and comment.created_at > young_since:
            young.append((len(pieces) + AGO, comment.created_at.timestamp()))
        facts.append(
            CardFacts(
                len(pieces),
                comment.pk,
                comment.depth,
                comment.status,
                comment.score,
                comment.author_key,
                comment.created_at,
                comment.is_deleted,
            )
        )
        pieces.extend(card(scheme, comment, anchor=node.anchor, tombstone=node.is_tombstone))
        if node.children:
            pieces.append(REPLIES_OPEN)
            for child in node.children:
                add(child)
            pieces.append(REPLIES_CLOSE)
        pieces.append(LI_CLOSE)

    gone = scheme.client_gone
    for node in nodes:
        if gone is not None and gone.is_set():
            raise ClientGone
        roots.append(len(pieces))
        add(node)
    roots.append(len(pieces))
    return BuiltCards(pieces, facts, roots, young)
