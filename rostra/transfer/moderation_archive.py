"""The moderation part of a Rostra archive: one "moderation" line per piece of state,
its `section` saying which. Every archive carries what readers see (articles' hold
modes and Supporters' Q&A switch, the pinned comment, editor's picks); private ones
(`--private`) also the site's hold mode, quiet hours and word lists, bans, the decision
log and the spam filter's model versions (what each was trained on, when and how well:
not its weights, which the filter learns again from the restored decisions)."""

from collections.abc import Callable, Iterator

from django.db.models import Q
from wagtail.models import Site

from rostra.discussion.models import Ban, Comment, DiscussionSettings, ModerationDecision, Thread
from rostra.discussion.services.moderation_state import SETTINGS_FIELDS
from rostra.spamfilter.models import FilterModel

CHUNK = 2000
BAN_FIELDS = ("kind", "value", "label", "reason", "shadow", "created_at", "expires_at", "lifted_at")
DECISION_FIELDS = (
    "from_status", "to_status", "trigger", "reason", "note", "moderator_name", "decided_at",
    "action",
)  # fmt: skip
MODEL_FIELDS = (
    "version",
    "state",
    "trained_at",
    "trigger",
    "features_version",
    "counts",
    "metrics",
)


def moderation_entries(key: Callable[[str, object], str], *, private: bool) -> Iterator[dict]:
    """The archive's moderation lines (as dicts); `key(kind, pk)` names a record."""

    def entry(section: str, name: str, data: dict) -> dict:
        return {"type": "moderation", "key": f"{section}:{name}", "section": section, "data": data}

    marked = Thread.objects.filter(
        ~Q(hold_mode="") | Q(supporters_only=True) | Q(pinned_comment__isnull=False)
    )
    for thread in marked.order_by("pk").iterator(chunk_size=CHUNK):
        pinned = thread.pinned_comment_id
        yield entry(
            "thread",
            key("thread", thread.pk),
            {
                "thread_key": key("thread", thread.pk),
                "hold_mode": thread.hold_mode,
                "supporters_only": thread.supporters_only,
                "pinned_comment_key": key("comment", pinned) if pinned else "",
            },
        )
    picks = Comment.objects.filter(picked_at__isnull=False).order_by("pk")
    for pk, picked_at in picks.values_list("pk", "picked_at").iterator(chunk_size=CHUNK):
        yield entry(
            "pick", key("comment", pk), {"comment_key": key("comment", pk), "picked_at": picked_at}
        )
    if not private:
        return
    site_settings = DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    yield entry(
        "settings", "site", {name: getattr(site_settings, name) for name in SETTINGS_FIELDS}
    )
    for ban in Ban.objects.order_by("pk").iterator(chunk_size=CHUNK):
        yield entry("ban", key("ban", ban.pk), {name: getattr(ban, name) for name in BAN_FIELDS})
    decisions = ModerationDecision.objects.order_by("pk")
    for decision in decisions.iterator(chunk_size=CHUNK):
        data = {name: getattr(decision, name) for name in DECISION_FIELDS}
        data["comment_key"] = key("comment", decision.comment_id)
        yield entry("decision", key("decision", decision.pk), data)
    for model in FilterModel.objects.order_by("version").iterator(chunk_size=CHUNK):
        data = {name: getattr(model, name) for name in MODEL_FIELDS}
        yield entry("spamfilter_model", f"v{model.version}", data)
