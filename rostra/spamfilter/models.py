"""The filter's settings, its trained versions and the score of each comment it read.

Nothing here is in `rostra export` (public or private): the models are learned from
readers' words, and each score's reasons quote them. Scores go with their comments
(CASCADE).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class FilterMode(models.TextChoices):
    OFF = "off", _("Off: do not score comments")
    SUGGEST = "suggest", _("Suggest: score comments for moderators, hold nothing")
    HOLD = "hold", _("Hold comments scored above the hold threshold")
    HOLD_AND_SPAM = (
        "spam",
        _("Hold above the hold threshold, and mark as spam above the spam threshold"),
    )


@register_setting(icon="warning")
class SpamFilterSettings(BaseGenericSetting):
    """One for the whole installation, as the model is: it learns from every site's
    decisions."""

    mode = models.CharField(
        _("mode"), max_length=10, choices=FilterMode.choices, default=FilterMode.SUGGEST
    )
    hold_threshold = models.FloatField(
        _("hold threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Hold comments scored at least this (0 to 1). Empty: the threshold chosen "
            "at training, the lowest that held at most 1 in 100 legitimate comments it was "
            "tested on."
        ),
    )
    spam_threshold = models.FloatField(
        _("spam threshold"),
        null=True,
        blank=True,
        help_text=_(
            "Mark as spam comments scored at least this. Empty: chosen at training "
            "(at most 1 in 1,000 legitimate comments)."
        ),
    )
    retrain_after = models.PositiveIntegerField(
        _("retrain after"),
        default=100,
        help_text=_(
            "Train again, without waiting for the night, after this many new moderation decisions."
        ),
    )

    panels = [
        FieldPanel("mode"),
        FieldPanel("hold_threshold"),
        FieldPanel("spam_threshold"),
        FieldPanel("retrain_after"),
    ]

    class Meta:
        verbose_name = _("spam filter")


class ModelState(models.TextChoices):
    READY = "ready", _("Scoring")
    LEARNING = "learning", _("Learning: too few examples yet")


# Why a version was trained (FilterModel.trigger), as the report page names it.
TRIGGER_LABELS = {
    "first": _("first version"),
    "nightly": _("nightly"),
    "decisions": _("after new decisions"),
    "admin": _("the admin's Train now button"),
    "command": _("the command line"),
    "bench": _("benchmark"),
}


class FilterModel(models.Model):
    """One trained version of the filter. The newest is the current one."""

    version = models.PositiveIntegerField(unique=True)
    state = models.CharField(max_length=10, choices=ModelState.choices)
    trained_at = models.DateTimeField()
    trigger = models.CharField(max_length=20)  # nightly, decisions, admin, command, bench
    features_version = models.PositiveSmallIntegerField()
    # Examples of each class it was trained on: {"ham": n, "spam": n, "abuse": n}.
    counts = models.JSONField(default=dict)
    # Per class: {"intercept", "hold_threshold", "mark_threshold"}; weights below.
    classes = models.JSONField(default=dict)
    # Held-out quality: per class precision/recall/F1, confusion matrix, trade-off.
    metrics = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    spam_weights = models.BinaryField(null=True, editable=False)
    abuse_weights = models.BinaryField(null=True, editable=False)

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"spam filter v{self.version} ({self.get_state_display()})"

    @property
    def trigger_label(self) -> str:
        return TRIGGER_LABELS.get(self.trigger, self.trigger)

    @property
    def decided(self) -> int:
        """The decisions it was trained on."""
        return sum(self.counts.values())


class FilterAction(models.TextChoices):
    NONE = "none", _("Nothing (suggestion)")
    HELD = "held", _("Held for a moderator")
    SPAM = "spam", _("Marked as spam")


class CommentScore(models.Model):
    """What the filter made of a comment when it was posted: for the moderation queue
    and the decision log."""

    comment = models.OneToOneField(
        "discussion.Comment", on_delete=models.CASCADE, related_name="filter_score"
    )
    model = models.ForeignKey(FilterModel, null=True, on_delete=models.SET_NULL, related_name="+")
    spam = models.FloatField()
    abuse = models.FloatField(null=True)
    # The strongest signals for its verdict: [[reason, weight], ...], strongest first.
    reasons = models.JSONField(default=list)
    action = models.CharField(max_length=5, choices=FilterAction.choices)
    created_at = models.DateTimeField()
    # A hash of the text, to find the same text posted in another thread lately with an
    # index (comparing whole texts would read every comment of the week).
    text_hash = models.CharField(max_length=16)
    thread_id = models.BigIntegerField()

    wagtail_reference_index_ignore = True

    class Meta:
        indexes = [models.Index(fields=["text_hash", "created_at"])]

    def __str__(self):
        return f"comment {self.comment_id}: spam {self.spam:.2f}"
