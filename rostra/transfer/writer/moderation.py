"""Writing an archive's moderation lines (transfer.moderation_archive) through the
discussion's `moderation_state` services, each section by its own function."""

from rostra.discussion.services import moderation_state
from rostra.transfer.records import ModerationRecord
from rostra.transfer.sources.base import parse_iso
from rostra.transfer.writer.checking import Prepared
from rostra.transfer.writer.memory import Memory
from rostra.transfer.writer.summary import Summary

KIND = "moderation"
UNCHANGED = "skipped:as it is already"


def _dates(data: dict, *names: str) -> dict:
    return {**data, **{name: parse_iso(data.get(name) or "") for name in names}}


def _comment_id(memory: Memory, key: str) -> int | None:
    place = memory.comment_places.get(key) if key else None
    return place.id if place is not None else None


def _thread(record: ModerationRecord, memory: Memory) -> str:
    data = record.data
    thread_id = memory.thread_ids.get(data.get("thread_key") or "")
    if thread_id is None:
        return "its thread is not in the file"
    pinned_key = data.get("pinned_comment_key") or ""
    pinned = _comment_id(memory, pinned_key)
    if pinned_key and pinned is None:
        return "its pinned comment is not in the file"
    changed = moderation_state.thread_moderation_restore(
        thread_id,
        hold_mode=data.get("hold_mode") or "",
        supporters_only=bool(data.get("supporters_only")),
        pinned_comment_id=pinned,
    )
    return "" if changed else UNCHANGED


def _pick(record: ModerationRecord, memory: Memory) -> str:
    comment_id = _comment_id(memory, record.data.get("comment_key") or "")
    picked_at = parse_iso(record.data.get("picked_at") or "")
    if comment_id is None or picked_at is None:
        return "its comment is not in the file"
    return "" if moderation_state.pick_restore(comment_id, picked_at) else UNCHANGED


def _decision(record: ModerationRecord, memory: Memory) -> str:
    comment_id = _comment_id(memory, record.data.get("comment_key") or "")
    data = _dates(record.data, "decided_at")
    if comment_id is None or data["decided_at"] is None:
        return "its comment is not in the file"
    if not moderation_state.decision_restore(comment_id, data):
        return "skipped:already in the log"
    return ""


def _ban(record: ModerationRecord, memory: Memory) -> str:
    data = _dates(record.data, "created_at", "expires_at", "lifted_at")
    if data["created_at"] is None:
        return "a ban without its date"
    if not moderation_state.ban_restore(data):
        return "skipped:already there"
    return ""


def _settings(record: ModerationRecord, memory: Memory) -> str:
    return "" if moderation_state.moderation_settings_restore(record.data) else UNCHANGED


def _model(record: ModerationRecord, memory: Memory) -> str:
    return "skipped:a spam filter version's record only (it retrains from the decisions)"


SECTIONS = {
    "thread": _thread,
    "pick": _pick,
    "settings": _settings,
    "ban": _ban,
    "decision": _decision,
    "spamfilter_model": _model,
}


def write_moderation(batch: list[Prepared], memory: Memory, summary: Summary) -> None:
    records: list[ModerationRecord] = [p.record for p in batch]
    memory.load_ids("thread", memory.thread_ids, [r.data.get("thread_key") or "" for r in records])
    comment_keys = [
        r.data.get(k) or "" for r in records for k in ("comment_key", "pinned_comment_key")
    ]
    memory.load_places([key for key in comment_keys if key])
    for record in records:
        write = SECTIONS.get(record.section)
        if write is None:
            summary.count(KIND, "rejected", f"unknown section {record.section!r}")
            continue
        try:
            problem = write(record, memory)
        except (ValueError, TypeError, KeyError) as error:
            summary.count(KIND, "rejected", str(error) or type(error).__name__)
            continue
        if problem.startswith("skipped:"):
            summary.count(KIND, "skipped", problem.removeprefix("skipped:"))
        elif problem:
            summary.count(KIND, "rejected", problem)
        else:
            summary.count(KIND, "created")
