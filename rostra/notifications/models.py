"""Who wants to hear about new comments, and how."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SubscriptionKind(models.TextChoices):
    THREAD = "thread", _("New follow-up comments on this article")
    REPLIES = "replies", _("New replies to my comments")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("At once")
    HOURLY = "hourly", _("Hourly digest")
    DAILY = "daily", _("Daily digest")


class Subscription(models.Model):
    """One address following one thread, or replies to its author's comments.

    Guests' subscriptions wait for the double opt-in (`confirmed_at`); signed-in
    readers' are confirmed at once. Unsubscribing keeps the row (with
    `unsubscribed_at`) so a reused token is recognised and explained.
    """

    email = models.EmailField(db_index=True)
    kind = models.CharField(max_length=10, choices=SubscriptionKind.choices)
    thread = models.ForeignKey(
        "discussion.Thread", null=True, blank=True, on_delete=models.CASCADE,
        related_name="subscriptions",
    )  # fmt: skip
    author_key = models.CharField(
        max_length=80, blank=True, help_text=_("For reply subscriptions: whose comments.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "thread", "author_key"], name="one_subscription"
            )
        ]

    def __str__(self):
        return f"{self.email}: {self.get_kind_display()}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class DigestItem(models.Model):
    """A comment waiting for its subscriber's next hourly or daily digest."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="digest_items"
    )
    comment = models.ForeignKey("discussion.Comment", on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "comment"], name="one_digest_item")
        ]

    def __str__(self):
        return f"comment {self.comment_id} for {self.subscription}"


class LiveEvent(models.Model):
    """What open article pages should learn: a new comment or a new score.

    Kept in the database so every server process can deliver it and a reconnecting
    reader resumes exactly after the last event it saw (Last-Event-ID).
    """

    id = models.BigAutoField(primary_key=True)
    thread_id = models.BigIntegerField(db_index=True)
    kind = models.CharField(max_length=10)
    comment_id = models.BigIntegerField()
    score = models.IntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    wagtail_reference_index_ignore = True

    def __str__(self):
        return f"{self.kind} {self.comment_id} in thread {self.thread_id}"


class ConfirmationSent(models.Model):
    """When an address last got a confirmation e-mail, whatever it asked to follow.

    At most one confirmation e-mail a day reaches an address, so "Notify of" cannot be
    used to flood someone's inbox. The address is kept only as a keyed hash of its
    normalised form (`services.address_hash`), never in clear.
    """

    address_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField()

    wagtail_reference_index_ignore = True

    def __str__(self):
        return f"confirmation sent {self.sent_at:%Y-%m-%d %H:%M}"


class RepliesFeedKey(models.Model):
    """The current version of one reader's private replies feed address.

    The version is part of the signed feed address; resetting it makes every address
    given out before stop working. No row means version 0.
    """

    author_key = models.CharField(max_length=80, unique=True)
    version = models.PositiveIntegerField(default=0)

    wagtail_reference_index_ignore = True

    def __str__(self):
        return f"replies feed of {self.author_key}, version {self.version}"
