"""Writing threads, through discussion's import services: a thread joins its article
(named in the file, or found by address) or an existing thread at the same address."""

from rostra.discussion import services as discussion
from rostra.transfer.writer.articles import ArticleWriter
from rostra.transfer.writer.batches import last_of_each_key
from rostra.transfer.writer.checking import Prepared
from rostra.transfer.writer.memory import Memory, normalise_url
from rostra.transfer.writer.summary import Summary


def write_threads(
    batch: list[Prepared], memory: Memory, summary: Summary, articles: ArticleWriter
) -> None:
    if not batch:
        return
    batch = last_of_each_key(batch, "thread", summary)
    known = memory.known("thread", [p.record.key for p in batch])
    memory.load_ids("article", memory.article_ids, [p.record.article_key for p in batch])
    remembered = []
    for prepared in batch:
        record, fp = prepared.record, prepared.fingerprint
        if record.key in known:
            thread_id, old_fp = known[record.key]
            memory.thread_ids[record.key] = thread_id
            if old_fp == fp:
                summary.count("thread", "skipped", "unchanged since the last import")
            else:
                discussion.thread_update_imported(
                    thread_id, title=record.title, is_closed=record.is_closed
                )
                memory.refresh("thread", record.key, fp)
                summary.count("thread", "updated")
            continue
        article_id = memory.article_ids.get(record.article_key) if record.article_key else None
        if record.article_key and article_id is None:
            summary.count("thread", "rejected", "its article was not imported")
            continue
        if article_id is None:
            article_id = articles.article_for_url(record.url)
        thread_id, created = discussion.thread_import(
            discussion.ImportedThread(
                title=record.title,
                article_id=article_id,
                key=normalise_url(record.url) or record.key,
                url=record.url,
                is_closed=record.is_closed,
            )
        )
        memory.thread_ids[record.key] = thread_id
        remembered.append((record.key, thread_id, fp, normalise_url(record.url)))
        summary.count(
            "thread",
            "created" if created else "updated",
            "" if created else "joined an existing thread at the same address",
        )
    memory.remember("thread", remembered)
