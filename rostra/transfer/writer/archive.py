"""Writing what only a Rostra archive carries: votes, subscriptions and donations, each
through its own app's services."""

from rostra.discussion import services as discussion
from rostra.transfer.records import DonationRecord, SubscriptionRecord, VoteRecord
from rostra.transfer.writer.checking import Prepared
from rostra.transfer.writer.memory import Memory
from rostra.transfer.writer.summary import Summary


def write_votes(batch: list[Prepared], memory: Memory, summary: Summary) -> None:
    records: list[VoteRecord] = [p.record for p in batch]
    memory.load_places([r.comment_key for r in records])
    wanted = []
    for record in records:
        place = memory.comment_places.get(record.comment_key)
        if place is None:
            summary.count("vote", "rejected", "its comment is not in the file")
        elif record.value not in (1, -1):
            summary.count("vote", "rejected", f"value {record.value} is not ±1")
        else:
            wanted.append((place.id, record.voter_key, record.value))
    created = discussion.votes_import(wanted)
    summary.count("vote", "created", n=created)
    if len(wanted) > created:
        summary.count("vote", "skipped", "already recorded", n=len(wanted) - created)


def write_subscriptions(batch: list[Prepared], memory: Memory, summary: Summary) -> None:
    from rostra.notifications.services import subscription_restore

    records: list[SubscriptionRecord] = [p.record for p in batch]
    memory.load_ids("thread", memory.thread_ids, [r.thread_key for r in records])
    for record in records:
        thread_id = memory.thread_ids.get(record.thread_key) if record.thread_key else None
        if record.thread_key and thread_id is None:
            summary.count("subscription", "rejected", "its thread is not in the file")
            continue
        if "@" not in record.email:
            summary.count(
                "subscription", "rejected", "no e-mail address (archive made without --private)"
            )
            continue
        created = subscription_restore(
            email=record.email,
            kind=record.kind,
            thread_id=thread_id,
            author_key=record.author_key,
            frequency=record.frequency,
            confirmed_at=record.confirmed_at,
            unsubscribed_at=record.unsubscribed_at,
        )
        if created:
            summary.count("subscription", "created")
        else:
            summary.count("subscription", "skipped", "already subscribed")


def write_donations(batch: list[Prepared], memory: Memory, summary: Summary) -> None:
    from rostra.funding.services import donation_restore

    records: list[DonationRecord] = [p.record for p in batch]
    article_keys = [r.data.get("article_key") or "" for r in records]
    article_keys += [(r.data.get("recurring") or {}).get("article_key") or "" for r in records]
    memory.load_ids("article", memory.article_ids, [k for k in article_keys if k])
    for record in records:
        recurring = record.data.get("recurring") or {}
        outcome, reason = donation_restore(
            record.data,
            article_id=memory.article_ids.get(record.data.get("article_key") or ""),
            recurring_article_id=memory.article_ids.get(recurring.get("article_key") or ""),
        )
        summary.count("donation", outcome, reason)
