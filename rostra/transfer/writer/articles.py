"""Writing articles (as Wagtail pages in their sections) and finding the site's
articles by address, for threads that name no article."""

from collections import defaultdict
from datetime import UTC, datetime

from rostra.publishing import services as publishing
from rostra.publishing.models import ArticlePage
from rostra.transfer.models import ImportedObject
from rostra.transfer.records import ArticleRecord, ThreadRecord
from rostra.transfer.writer.batches import last_of_each_key
from rostra.transfer.writer.checking import Prepared
from rostra.transfer.writer.memory import Memory, normalise_url
from rostra.transfer.writer.summary import Summary


class ArticleWriter:
    def __init__(self, memory: Memory, summary: Summary):
        self.memory = memory
        self.summary = summary
        self.article_by_url: dict[str, int] | None = None
        self.home = None
        self.sections: dict[str, object] = {}

    def read_ahead(self, batch: list[Prepared]) -> None:
        """What may take long, done before the batch's transaction: the addresses of the
        site's articles, read once when a thread is matched by address; the sections new
        articles go to, each created in Wagtail's own short steps."""
        if self.article_by_url is None and any(
            isinstance(p.record, ThreadRecord) and not p.record.article_key for p in batch
        ):
            self._load_article_urls()
        articles = [p.record for p in batch if isinstance(p.record, ArticleRecord)]
        wanted = {r.section for r in articles if r.section not in self.sections}
        if wanted:
            known = self.memory.known("article", [r.key for r in articles])
            for title in dict.fromkeys(r.section for r in articles if r.key not in known):
                if title in wanted:
                    self.section(title)

    def section(self, title: str):
        if title not in self.sections:
            if self.home is None:
                self.home = publishing.home_page_ensure()
            self.sections[title] = publishing.section_ensure(self.home, title)
        return self.sections[title]

    def write(self, batch: list[Prepared]) -> None:
        if not batch:
            return
        batch = last_of_each_key(batch, "article", self.summary)
        known = self.memory.known("article", [p.record.key for p in batch])
        new_by_section: dict[str, list[tuple[ArticleRecord, str]]] = defaultdict(list)
        for prepared in batch:
            record, fp = prepared.record, prepared.fingerprint
            if record.key in known:
                object_id, old_fp = known[record.key]
                self.memory.article_ids[record.key] = object_id
                if old_fp == fp:
                    self.summary.count("article", "skipped", "unchanged since the last import")
                    continue
                article = ArticlePage.objects.filter(pk=object_id).first()
                if article is None:
                    self.summary.count("article", "skipped", "deleted in Rostra since import")
                    continue
                publishing.article_update_imported(article, _imported_article(record))
                self.memory.refresh("article", record.key, fp)
                self.summary.count("article", "updated")
            else:
                new_by_section[record.section].append((record, fp))
        for section_title, items in new_by_section.items():
            ids = publishing.articles_import(
                self.section(section_title), [_imported_article(r) for r, _ in items]
            )
            remembered = []
            for (record, fp), page_id in zip(items, ids, strict=True):
                self.memory.article_ids[record.key] = page_id
                remembered.append((record.key, page_id, fp, normalise_url(record.url)))
            self.memory.remember("article", remembered)
            self.summary.count("article", "created", n=len(ids))
            if self.article_by_url is not None:
                for _, page_id, _, url in remembered:
                    if url:
                        self.article_by_url[url] = page_id

    def article_for_url(self, url: str) -> int | None:
        """An article this site already has at `url` (imported from there, or its own)."""
        if self.article_by_url is None:
            self._load_article_urls()
        return self.article_by_url.get(normalise_url(url)) if url else None

    def _load_article_urls(self) -> None:
        self.article_by_url = dict(
            ImportedObject.objects.filter(kind="article")
            .exclude(url="")
            .values_list("url", "object_id")
        )
        for page in ArticlePage.objects.live().only("pk", "url_path"):
            page_url = page.get_full_url()
            if page_url:
                self.article_by_url.setdefault(normalise_url(page_url), page.pk)


def _imported_article(record: ArticleRecord) -> publishing.ImportedArticle:
    return publishing.ImportedArticle(
        title=record.title,
        slug=record.slug,
        published_at=record.published_at or datetime(1970, 1, 1, tzinfo=UTC),
        live=record.live,
        byline=record.byline,
        standfirst=record.standfirst,
        body=record.body,
        tags=record.tags,
    )
