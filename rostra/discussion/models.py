"""Threads, comments and votes.

Each comment stores its place in the tree: `root_id` (the top-level comment it hangs
under, itself for a top-level comment), `path` (zero-padded ids from the root down) and
`depth`. A page of top-level comments is one query; all their replies, in reading order,
are a second query ordered by `path`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from rostra.discussion.text import http_link

PATH_STEP = 10  # digits per level: ids up to 9,999,999,999


class SortOrder(models.TextChoices):
    NEWEST = "newest", _("Newest")
    OLDEST = "oldest", _("Oldest")
    MOST_VOTED = "voted", _("Most Voted")
    # A filter more than an order: the threads of comments staff featured, newest first.
    PICKS = "picks", _("Editor's picks")


# What an editor may choose as a discussion's first view (not the picks: often empty).
DEFAULT_SORTS = [choice for choice in SortOrder.choices if choice[0] != SortOrder.PICKS]


class Moderation(models.TextChoices):
    POST = "post", _("Publish at once, moderate afterwards")
    FIRST_TIME = "first", _("Hold first-time commenters for approval")
    HOLD_ALL = "all", _("Hold every comment for approval")


# The bubble's invitation as every site starts with it (stored in English): shown in the
# reader's language until an editor writes their own (`bubble_invitation_shown`).
DEFAULT_BUBBLE_INVITATION = "Would love your thoughts, please comment."


class BanDuration(models.TextChoices):
    DAY = "24h", _("24 hours")
    WEEK = "7d", _("7 days")
    MONTH = "30d", _("30 days")
    PERMANENT = "permanent", _("Permanent")


@register_setting(icon="comment")
class DiscussionSettings(BaseSiteSetting):
    """Per-site choices of editors about the reader discussion."""

    require_sign_in = models.BooleanField(
        default=False, help_text=_("Only signed-in readers may comment and vote.")
    )
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.POST
    )
    default_sort = models.CharField(max_length=10, choices=DEFAULT_SORTS, default=SortOrder.NEWEST)
    max_depth = models.PositiveSmallIntegerField(
        default=5, help_text=_("Deeper replies attach at the last level.")
    )
    page_size = models.PositiveSmallIntegerField(
        default=30, help_text=_("Top-level comments shown before “Load more comments”.")
    )
    edit_window_minutes = models.PositiveSmallIntegerField(
        default=15, help_text=_("How long authors may edit or delete their comments.")
    )
    close_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Close comments this many days after publication.")
    )
    max_length = models.PositiveIntegerField(
        default=10_000, help_text=_("Characters a comment may hold.")
    )
    quiet_hours_start = models.TimeField(
        null=True,
        blank=True,
        help_text=_(
            "Quiet hours: from this time (in the site's time zone) every comment is "
            "held until a moderator approves it…"
        ),
    )
    quiet_hours_end = models.TimeField(
        null=True,
        blank=True,
        help_text=_("…until this time (may be after midnight, e.g. 22:00 to 07:00)."),
    )
    banned_terms = models.TextField(
        blank=True,
        help_text=_(
            "One word or phrase a line: a comment containing one (in its text, name "
            "or website) is refused, and the reader asked to change it. Matching ignores case "
            "and accents, sees through look-alikes (k1ll, Cyrillic letters) and matches whole "
            "words only."
        ),
    )
    suspect_terms = models.TextField(
        blank=True,
        help_text=_(
            "One word or phrase a line: a comment containing one is held for a "
            "moderator, who is shown the term."
        ),
    )
    link_limit = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=3,
        help_text=_(
            "A comment with more links than this is held for a moderator. Empty: no limit."
        ),
    )
    reports_to_hold = models.PositiveSmallIntegerField(
        default=3,
        help_text=_(
            "A published comment reported by this many different readers is held "
            "until a moderator has looked at it. 0: reports alone never hold a comment."
        ),
    )
    statement_of_reasons = models.BooleanField(
        default=False,
        help_text=_(
            "E-mail the author of a rejected comment (when they left an address) "
            "the reason for the decision."
        ),
    )
    bubble_enabled = models.BooleanField(
        _("comment bubble"),
        default=True,
        help_text=_(
            "A small button at the side of articles with the comment count, which "
            "takes readers to the comment form."
        ),
    )
    bubble_invitation = models.CharField(
        max_length=120,
        blank=True,
        default=DEFAULT_BUBBLE_INVITATION,
        help_text=_(
            "What the bubble says once a reader has read a while (they can close it). "
            "Empty: the bubble shows the count only."
        ),
    )
    fold_length = models.PositiveIntegerField(
        default=1200,
        help_text=_(
            "Comments longer than this many characters are folded, with “Read more” "
            "to show the rest. 0: never fold."
        ),
    )

    undo_seconds = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
        help_text=_(
            "Seconds the moderation queue offers Undo after each action (1 to 300). "
            "E-mails about a decision wait until then, so an undone decision sends none."
        ),
    )
    queue_ban_duration = models.CharField(
        max_length=10,
        choices=BanDuration.choices,
        default=BanDuration.WEEK,
        help_text=_("How long the queue's one-click Ban keeps a commenter out."),
    )

    panels = [
        FieldPanel("require_sign_in"),
        FieldPanel("moderation"),
        FieldPanel("quiet_hours_start"),
        FieldPanel("quiet_hours_end"),
        FieldPanel("banned_terms"),
        FieldPanel("suspect_terms"),
        FieldPanel("link_limit"),
        FieldPanel("reports_to_hold"),
        FieldPanel("undo_seconds"),
        FieldPanel("queue_ban_duration"),
        FieldPanel("default_sort"),
        FieldPanel("max_depth"),
        FieldPanel("page_size"),
        FieldPanel("edit_window_minutes"),
        FieldPanel("close_after_days"),
        FieldPanel("max_length"),
        FieldPanel("statement_of_reasons"),
        FieldPanel("bubble_enabled"),
        FieldPanel("bubble_invitation"),
        FieldPanel("fold_length"),
    ]

    class Meta:
        verbose_name = _("discussion settings")

    @property
    def bubble_invitation_shown(self) -> str:
        """The bubble's invitation: Rostra's own in the active language, or the editor's."""
        if self.bubble_invitation == DEFAULT_BUBBLE_INVITATION:
            return gettext("Would love your thoughts, please comment.")
        return self.bubble_invitation

    def clean(self):
        super().clean()
        if (self.quiet_hours_start is None) != (self.quiet_hours_end is None):
            raise ValidationError(
                _("Quiet hours need both a start and an end time (or neither)."),
                code="quiet_hours",
            )
        if self.quiet_hours_start is not None and self.quiet_hours_start == self.quiet_hours_end:
            raise ValidationError(
                _("Quiet hours cannot start and end at the same time."), code="quiet_hours"
            )


class PolicyVersion(models.Model):
    """One row: a number that every save of the discussion settings or of a site moves,
    in the save's transaction. Each process keeps the policy it built under it and reads
    it once per request (rostra.discussion.policy)."""

    value = models.BigIntegerField()

    def __str__(self):
        return str(self.value)


class ThreadHold(models.TextChoices):
    """An article's own hold mode; closing it (a legal hold) is `Thread.is_closed`."""

    INHERIT = "", _("As the site's settings say")
    HOLD_ALL = "all", _("Hold every comment for approval")


class Thread(models.Model):
    """The discussion of one article, or of any page addressed by `key` (embeds)."""

    key = models.CharField(max_length=255, unique=True)
    article = models.OneToOneField(
        "publishing.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="thread",
    )
    title = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500, blank=True)
    is_closed = models.BooleanField(
        default=False,
        help_text=_("No new comments or votes (e.g. a legal hold on a court or election story)."),
    )
    hold_mode = models.CharField(
        max_length=10, choices=ThreadHold.choices, default=ThreadHold.INHERIT, blank=True
    )
    supporters_only = models.BooleanField(
        _("Supporters' Q&A"),
        default=False,
        help_text=_(
            "Only readers who support the newsroom (signed in with the account "
            "their gifts are linked to) may comment; everyone else is told how to give."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves in the same transaction as every change a reader could see (post, edit,
    # delete, moderation, vote, anchors moving, imports, closing): caches of the thread
    # are keyed on it, so a cached copy is never older than the last commit.
    version = models.PositiveBigIntegerField(default=0, editable=False)
    # How many of those moves were votes alone (`versions.thread_version_bump(...,
    # votes_only=True)`, in the same statement): `content_version` moves with every
    # other change, so a copy of the thread's text, authors and tree outlives the votes.
    vote_bumps = models.PositiveBigIntegerField(default=0, editable=False)
    # Shown first in every order (one a thread): a top-level comment staff pinned.
    pinned_comment = models.ForeignKey(
        "Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Reader activity is not content: keep it out of Wagtail's reference index, whose
    # update would otherwise queue a background task for every comment and vote.
    wagtail_reference_index_ignore = True

    def __str__(self):
        return self.title or self.key

    @property
    def content_version(self) -> int:
        """Moves with every change a reader could see but votes: what a cached copy of
        the thread's comments without their scores is keyed on (api/scored_copies.py)."""
        return self.version - self.vote_bumps


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    SPAM = "spam", _("Spam")
    REMOVED = "removed", _("Removed")
    # By a shadow-banned commenter: shown to its author as published, to nobody else.
    SHADOWED = "shadowed", _("Shadow-banned")


class HoldReason(models.TextChoices):
    """Why a comment awaits moderation, as its author is told."""

    FIRST_TIME = "first", _("Comments of first-time commenters are read by a moderator first.")
    SITE = "site", _("Every comment here is read by a moderator before it appears.")
    ARTICLE = "article", _("Comments on this article are read by a moderator before they appear.")
    QUIET_HOURS = (
        "quiet",
        _("Our moderators are off duty: it appears once one of them has read it."),
    )
    WORDS = "words", _("Comments with certain words are read by a moderator before they appear.")
    LINKS = "links", _("Comments with many links are read by a moderator before they appear.")
    REVIEW = "review", _("A moderator reads it before it appears.")


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The comment answered, when the depth limit moved the reply up a level."),
    )
    root_id = models.BigIntegerField(null=True, db_index=True)
    path = models.CharField(max_length=255, db_index=True, blank=True)
    depth = models.PositiveSmallIntegerField(default=0)

    # Who wrote it: a user, or a guest known by a key from a signed browser cookie.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_key = models.CharField(max_length=80, db_index=True)
    # Readers may use 80 characters; imported names (pingback titles) may be longer.
    author_name = models.CharField(max_length=200)
    author_email = models.EmailField(blank=True)
    author_website = models.URLField(max_length=300, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)

    body_source = models.TextField()
    body_html = models.TextField()
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.APPROVED
    )
    # Why it was held when posted or edited (shown to its author while pending).
    held_because = models.CharField(max_length=10, choices=HoldReason.choices, blank=True)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    # An editor's pick since then (None: not featured).
    picked_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        indexes = [
            models.Index(fields=["thread", "depth", "status", "-created_at"]),
            models.Index(fields=["thread", "root_id", "path"]),
            models.Index(fields=["ip_hash", "created_at"]),
            models.Index(fields=["author_key", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score=models.F("upvotes") - models.F("downvotes")),
                name="comment_score_is_up_minus_down",
            )
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body_source[:60]}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_visible_to_all(self) -> bool:
        return self.status == CommentStatus.APPROVED and self.deleted_at is None

    @property
    def status_shown(self) -> str:
        """The status its viewer is shown: a shadow-banned comment is only ever shown to
        its author (selectors.visible_to), and to them it looks published; spam looks
        held (SHOWN_TO_AUTHOR_AS)."""
        return SHOWN_TO_AUTHOR_AS.get(self.status, self.status)

    @property
    def website_link(self) -> str:
        """The commenter's website when it is an http(s) address, else "": what pages,
        the API and exports link to, whatever an older import may have stored."""
        return http_link(self.author_website)


class Vote(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    voter_key = models.CharField(max_length=80)
    value = models.SmallIntegerField(choices=[(1, _("up")), (-1, _("down"))])
    created_at = models.DateTimeField(auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter_key"], name="one_vote_per_voter"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_is_up_or_down"),
        ]

    def __str__(self):
        return f"{'+' if self.value > 0 else '-'}1 on comment {self.comment_id}"


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", _("On its passage")
    ORPHANED = "orphaned", _("Passage changed or removed")


class CommentAnchor(models.Model):
    """The passage of the article a comment is about (inline feedback).

    `exact`, `prefix` and `suffix` are what the reader (or the editor's question)
    quoted and never change; `block_id`, `start` and `end` say where that passage is
    in the current article and move with edits (see anchoring.py). An editor's question
    is identified by `question_id`, the id it carries in the article's rich text.
    """

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="anchor")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="anchors")
    block_id = models.CharField(max_length=64)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    question_id = models.CharField(max_length=40, blank=True, db_index=True)
    question = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=AnchorStatus.choices, default=AnchorStatus.ANCHORED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        indexes = [models.Index(fields=["thread", "status"])]

    def __str__(self):
        return f"comment {self.comment_id} on “{self.exact[:40]}”"


class AnchorChange(models.Model):
    """What re-anchoring did to an anchor when a new revision was published."""

    anchor = models.ForeignKey(CommentAnchor, on_delete=models.CASCADE, related_name="changes")
    revision_id = models.BigIntegerField(null=True)
    method = models.CharField(max_length=12)  # moved, other-block, fuzzy, orphaned, restored
    old_block_id = models.CharField(max_length=64)
    old_start = models.PositiveIntegerField()
    old_end = models.PositiveIntegerField()
    new_block_id = models.CharField(max_length=64, blank=True)
    new_start = models.PositiveIntegerField(null=True)
    new_end = models.PositiveIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    wagtail_reference_index_ignore = True

    def __str__(self):
        return f"{self.method}: anchor {self.anchor_id}"


class ModerationTrigger(models.TextChoices):
    """What set a decision off."""

    MODERATOR = "moderator", _("A moderator")
    REPORT = "report", _("Readers' reports")
    WORD_LIST = "words", _("Word list")
    LINK_LIMIT = "links", _("Link limit")
    FILTER = "filter", _("Spam filter")
    BAN = "ban", _("Ban")
    HOLD_MODE = "hold", _("Hold mode")
    EMAIL = "email", _("A moderator, from an alert e-mail")


class ModerationReason(models.TextChoices):
    """The preset reasons a moderator picks from (a free-text note may add to them)."""

    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abuse or harassment")
    OFF_TOPIC = "off-topic", _("Off-topic")
    ILLEGAL = "illegal", _("Illegal content")
    PERSONAL = "personal", _("Personal information about someone")
    OTHER = "other", _("Other")


class DecisionAction(models.TextChoices):
    """What a decision did: set a status (most), or an editor's mark, which leaves the
    status as it was (`from_status` and `to_status` both name it)."""

    STATUS = "", _("Status")
    PICK = "pick", _("Made an editor's pick")
    UNPICK = "unpick", _("No longer an editor's pick")
    PIN = "pin", _("Pinned to the top")
    UNPIN = "unpin", _("Unpinned")


class ModerationDecision(models.Model):
    """One decision about one comment, kept for good: who (a moderator, or Rostra
    itself when `moderator_name` is empty), when, from which status to which, why and
    what set it off. `from_status` is empty when the decision was taken as the comment
    was posted. `author_key` repeats the commenter's, for their history. Editor's picks
    and pins are logged too, with their `action` (a status change has none)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    author_key = models.CharField(max_length=80, db_index=True)
    # No database constraint: the log outlives the moderator's account, and names them.
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )
    moderator_name = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(db_index=True)
    from_status = models.CharField(max_length=10, choices=CommentStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=CommentStatus.choices)
    trigger = models.CharField(max_length=10, choices=ModerationTrigger.choices)
    reason = models.CharField(max_length=10, choices=ModerationReason.choices, blank=True)
    note = models.TextField(blank=True)
    action = models.CharField(
        max_length=10, choices=DecisionAction.choices, blank=True, default=DecisionAction.STATUS
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"comment {self.comment_id}: {self.from_status or 'new'} → {self.to_status}"

    @property
    def decided_by(self) -> str:
        return self.moderator_name or gettext("Rostra (automatic)")


class BanKind(models.TextChoices):
    ACCOUNT = "account", _("Reader account")
    GUEST = "guest", _("Guest identity (the browser's signed key)")
    EMAIL = "email", _("E-mail address")
    ADDRESS = "address", _("IP address (kept hashed; IPv6 by its /64 network)")


class Ban(models.Model):
    """A commenter kept out: by account or guest identity (`value` is the author key
    their comments carry), e-mail address (lower-cased) or IP address hash (as
    `Comment.ip_hash`: IPv6 addresses are hashed by their /64 network already).

    Active until `expires_at` (None: permanent) unless lifted. A shadow ban publishes
    the commenter's new comments to them alone (`CommentStatus.SHADOWED`)."""

    kind = models.CharField(max_length=10, choices=BanKind.choices)
    value = models.CharField(max_length=254)
    label = models.CharField(
        max_length=200, blank=True, help_text=_("Whom it names, for this list (their name).")
    )
    reason = models.TextField(blank=True)
    shadow = models.BooleanField(
        default=False,
        help_text=_("Shadow ban: their comments look published to them and to nobody else."),
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: permanent."))
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )

    wagtail_reference_index_ignore = True

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label or self.value[:20]}"

    def is_active(self, now) -> bool:
        return self.lifted_at is None and (self.expires_at is None or self.expires_at > now)


class ReportReason(models.TextChoices):
    """What a reader may report a comment for."""

    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abuse or harassment")
    OFF_TOPIC = "off-topic", _("Off-topic")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Other")


class Report(models.Model):
    """A reader's report of a comment: one per reader (`reporter_key`: the account's or
    the guest identity's key, itself a hash) and comment. A report of illegal content is
    a notice in the sense of the EU Digital Services Act: it carries the reporter's
    explanation and e-mail address, which are acknowledged and told the decision.
    `resolved_by` is the moderator's decision that answered it (None: still open)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter_key = models.CharField(max_length=80)
    reason = models.CharField(max_length=10, choices=ReportReason.choices)
    note = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    reporter_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(db_index=True)
    resolved_by = models.ForeignKey(
        ModerationDecision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_key"], name="one_report_per_reader"
            )
        ]
        indexes = [models.Index(fields=["comment", "resolved_by"])]

    def __str__(self):
        return f"{self.get_reason_display()} on comment {self.comment_id}"


# Comments their author sees and nobody else, and the status they are shown as: held
# ones; a shadow-banned author's (as published); and spam (as held: a spammer is not
# told, and no author learns that the spam filter judged them).
AUTHOR_ONLY = (CommentStatus.PENDING, CommentStatus.SHADOWED, CommentStatus.SPAM)
SHOWN_TO_AUTHOR_AS = {
    CommentStatus.SHADOWED: CommentStatus.APPROVED,
    CommentStatus.SPAM: CommentStatus.PENDING,
}


class AlertFrequency(models.TextChoices):
    OFF = "off", _("No alert e-mails")
    EACH = "each", _("An e-mail for each held or reported comment")
    HOURLY = "hourly", _("An hourly digest")


class ModeratorAlertPreference(models.Model):
    """Whether a moderator wants alert e-mails, and how often (off unless they opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_alerts"
    )
    frequency = models.CharField(
        max_length=10, choices=AlertFrequency.choices, default=AlertFrequency.OFF
    )
    # The end of the last hour whose digest went: the next covers what came after.
    digest_until = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


class ModeratorAlert(models.Model):
    """A comment moderators were alerted about (held or reported): what the e-mails at
    once, the hourly digests and the webhook are made of."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="alerts")
    trigger = models.CharField(max_length=10, choices=ModerationTrigger.choices)
    created_at = models.DateTimeField(db_index=True)
    # Claimed by the webhook task as it posts, so a task run twice posts once.
    webhook_sent_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    def __str__(self):
        return f"alert on comment {self.comment_id} ({self.trigger})"


class AlertLinkUse(models.Model):
    """A one-click Approve / Reject link from an alert e-mail that has been used: its
    nonce is unique, so a link acts once."""

    nonce = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField()
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
    )

    wagtail_reference_index_ignore = True

    def __str__(self):
        return f"alert link used {self.used_at:%Y-%m-%d %H:%M}"
