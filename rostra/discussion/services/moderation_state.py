"""Moderation state restored from a Rostra archive (`rostra import`): the site's hold
mode, quiet hours and word lists, bans, the decision log, articles' hold modes, the
Supporters' Q&A switch, editor's picks and the pinned comment. Each function checks
what it is given (ValueError names what is wrong) and writes nothing twice, so the same
archive imported again changes nothing."""

from datetime import datetime

from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import Site

from rostra.discussion.models import (
    Ban,
    BanKind,
    Comment,
    CommentStatus,
    DecisionAction,
    DiscussionSettings,
    Moderation,
    ModerationDecision,
    ModerationReason,
    ModerationTrigger,
    Thread,
    ThreadHold,
)
from rostra.discussion.versions import thread_version_bump

SETTINGS_FIELDS = (
    "moderation", "quiet_hours_start", "quiet_hours_end", "banned_terms", "suspect_terms",
    "link_limit", "statement_of_reasons", "undo_seconds", "queue_ban_duration",
)  # fmt: skip


def _choice(value, choices, what: str) -> str:
    if value not in choices.values:
        raise ValueError(f"unknown {what} {value!r}")
    return value


def moderation_settings_restore(values: dict) -> bool:
    """The default site's hold mode, quiet hours, word lists and link limit; whether
    anything changed."""
    _choice(values.get("moderation"), Moderation, "hold mode")
    site_settings = DiscussionSettings.for_site(Site.objects.get(is_default_site=True))
    before = {name: getattr(site_settings, name) for name in SETTINGS_FIELDS}
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(site_settings, name, values[name])
    site_settings.full_clean(exclude=["site"])
    if {name: getattr(site_settings, name) for name in SETTINGS_FIELDS} == before:
        return False
    site_settings.save()
    # Logged as the settings form logs an edit: the log moves every public page's
    # version (rostra.core.page_cache), so no page kept before shows the old settings.
    log(instance=site_settings, action="wagtail.edit")
    return True


def thread_moderation_restore(
    thread_id: int, *, hold_mode: str, supporters_only: bool, pinned_comment_id: int | None
) -> bool:
    """An article's hold mode, Supporters' Q&A switch and pinned comment; whether
    anything changed."""
    _choice(hold_mode, ThreadHold, "hold mode")
    if (
        pinned_comment_id is not None
        and not Comment.objects.filter(pk=pinned_comment_id, thread_id=thread_id, depth=0).exists()
    ):
        raise ValueError("its pinned comment is not a top-level comment of the thread")
    wanted = {
        "hold_mode": hold_mode,
        "supporters_only": bool(supporters_only),
        "pinned_comment_id": pinned_comment_id,
    }
    with transaction.atomic():
        changed = Thread.objects.filter(pk=thread_id).exclude(**wanted).update(**wanted)
        if changed:
            thread_version_bump(thread_id)
    return bool(changed)


def pick_restore(comment_id: int, picked_at: datetime) -> bool:
    """An editor's pick, as it was; whether it changed."""
    with transaction.atomic():
        comment = Comment.objects.get(pk=comment_id)
        if comment.picked_at == picked_at:
            return False
        Comment.objects.filter(pk=comment_id).update(picked_at=picked_at)
        thread_version_bump(comment.thread_id)
    return True


def ban_restore(values: dict) -> bool:
    """A ban as it was (active, expired or lifted); False when it is there already."""
    kind = _choice(values.get("kind"), BanKind, "kind of ban")
    value = str(values.get("value") or "").strip()
    if not value or len(value) > 254:
        raise ValueError("a ban without whom it names")
    created_at = values["created_at"]
    if Ban.objects.filter(kind=kind, value=value, created_at=created_at).exists():
        return False
    Ban.objects.create(
        kind=kind,
        value=value,
        label=str(values.get("label") or "")[:200],
        reason=str(values.get("reason") or ""),
        shadow=bool(values.get("shadow")),
        created_at=created_at,
        expires_at=values.get("expires_at"),
        lifted_at=values.get("lifted_at"),
    )
    return True


def decision_restore(comment_id: int, values: dict) -> bool:
    """One entry of the decision log, under its comment; False when it is there."""
    to_status = _choice(values.get("to_status"), CommentStatus, "status")
    from_status = values.get("from_status") or ""
    if from_status:
        _choice(from_status, CommentStatus, "status")
    trigger = _choice(values.get("trigger"), ModerationTrigger, "trigger")
    reason = values.get("reason") or ""
    if reason:
        _choice(reason, ModerationReason, "reason")
    action = _choice(values.get("action") or "", DecisionAction, "action")
    decided_at = values["decided_at"]
    exists = ModerationDecision.objects.filter(
        comment_id=comment_id, decided_at=decided_at, to_status=to_status, action=action
    ).exists()
    if exists:
        return False
    author_key = Comment.objects.filter(pk=comment_id).values_list("author_key", flat=True)[0]
    ModerationDecision.objects.create(
        comment_id=comment_id,
        author_key=author_key,
        moderator_name=str(values.get("moderator_name") or "")[:150],
        decided_at=decided_at,
        from_status=from_status,
        to_status=to_status,
        trigger=trigger,
        reason=reason,
        note=str(values.get("note") or ""),
        action=action,
    )
    return True
