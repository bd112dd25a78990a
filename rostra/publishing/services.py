"""Write-side functions of publishing."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, Site

from rostra.core.tasks import enqueue_on_commit
from rostra.publishing.models import ArticlePage, ArticlePageTag, HomePage, SectionPage
from rostra.publishing.tasks import index_pages_task


@transaction.atomic
def home_page_ensure() -> HomePage:
    """Make sure the default site is served from a Rostra HomePage at ROSTRA_BASE_URL.

    A fresh Wagtail database has a generic "Welcome" page as the site root; it is
    replaced when it is still untouched (no children). An existing HomePage is kept.
    """
    base = urlsplit(settings.BASE_URL)
    port = base.port or (443 if base.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        home = site.root_page.specific
    else:
        root = Page.get_first_root_node()
        untouched_placeholder = (
            site is not None
            and site.root_page.content_type.model_class() is Page
            and not site.root_page.get_children().exists()
        )
        if untouched_placeholder:
            placeholder = site.root_page
            site.root_page = root  # detach before deleting the placeholder
            site.save()
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(title=settings.SITE_NAME, slug=_free_slug(root, "home"))
        )
        home.save_revision().publish()
    site = site or Site(is_default_site=True)
    site.root_page = home
    site.hostname = base.hostname
    site.port = port
    site.site_name = settings.SITE_NAME
    site.save()
    return home


def _free_slug(parent: Page, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


# Imports ---------------------------------------------------------------------------------


@dataclass
class ImportedArticle:
    """An article from another system, as the transfer writer hands it over."""

    title: str
    slug: str
    published_at: datetime
    live: bool
    byline: str = ""
    standfirst: str = ""
    body: list[dict] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def section_ensure(home: HomePage, title: str) -> SectionPage:
    """The section called `title` under `home`, created (and published) when missing."""
    title = " ".join(title.split())[:255] or "Archive"
    existing = SectionPage.objects.child_of(home).filter(title__iexact=title).first()
    if existing is not None:
        return existing
    section = home.add_child(
        instance=SectionPage(title=title, slug=_free_slug(home, slugify(title) or "section"))
    )
    section.save_revision().publish()
    return section


@transaction.atomic
def articles_import(section: SectionPage, articles: list[ImportedArticle]) -> list[int]:
    """Create many articles under `section` at once; returns their page ids in order.

    Wagtail's `add_child` costs a dozen queries and signals per page, too slow for an
    archive of 10,000 posts, so this writes the tree rows directly: paths allocated
    after the section's last child (the section row is locked meanwhile), one bulk
    insert of pages and one of article rows. No revision is stored: the first edit in
    the admin creates one. Search indexing follows as a background task.
    """
    if not articles:
        return []
    section = Page.objects.select_for_update().get(pk=section.pk)
    last_child = (
        Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)
        .order_by("-path")
        .first()
    )
    next_step = Page._str2int(last_child.path[-Page.steplen :]) + 1 if last_child else 1
    taken = set(
        Page.objects.filter(path__startswith=section.path, depth=section.depth + 1).values_list(
            "slug", flat=True
        )
    )
    content_type = ContentType.objects.get_for_model(ArticlePage)
    pages = []
    for offset, article in enumerate(articles):
        slug = _unique(slugify(article.slug)[:200] or "article", taken)
        pages.append(
            Page(
                title=article.title[:255],
                draft_title=article.title[:255],
                slug=slug,
                content_type=content_type,
                path=Page._get_path(section.path, section.depth + 1, next_step + offset),
                depth=section.depth + 1,
                numchild=0,
                url_path=f"{section.url_path}{slug}/",
                live=article.live,
                has_unpublished_changes=not article.live,
                first_published_at=article.published_at if article.live else None,
                last_published_at=article.published_at if article.live else None,
                locale_id=section.locale_id,
                translation_key=uuid.uuid4(),
            )
        )
    Page.objects.bulk_create(pages)
    rows = [
        ArticlePage(
            page_ptr_id=page.pk,
            standfirst=article.standfirst[:400],
            byline=article.byline[:200],
            published_at=article.published_at,
            body=article.body,
        )
        for page, article in zip(pages, articles, strict=True)
    ]
    local_fields = ArticlePage._meta.local_concrete_fields
    batch = connection.ops.bulk_batch_size(local_fields, rows) or len(rows)
    for start in range(0, len(rows), batch):
        # Django refuses bulk_create for multi-table models; the parent rows exist, so
        # only the article table is inserted here.
        ArticlePage._base_manager._insert(rows[start : start + batch], fields=local_fields)
    Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + len(pages))
    _tag_articles([(page.pk, article.tags) for page, article in zip(pages, articles, strict=True)])
    ids = [page.pk for page in pages]
    enqueue_on_commit(index_pages_task, page_ids=ids)
    return ids


def article_update_imported(article: ArticlePage, imported: ImportedArticle) -> None:
    """Apply a newer import of an article as a new revision (published if live)."""
    article.title = article.draft_title = imported.title[:255]
    article.standfirst = imported.standfirst[:400]
    article.byline = imported.byline[:200]
    article.published_at = imported.published_at
    article.body = imported.body
    article.tags.set(imported.tags)
    revision = article.save_revision()
    if imported.live:
        revision.publish()


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _tag_articles(pairs: list[tuple[int, list[str]]]) -> None:
    names = {name[:100] for _, tags in pairs for name in tags if name.strip()}
    if not names:
        return
    tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    for name in sorted(names - tag_ids.keys()):
        # Tags are case-insensitive (TAGGIT_CASE_INSENSITIVE): "Template" is "template".
        same = Tag.objects.filter(name__iexact=name).first()
        tag_ids[name] = same.pk if same else Tag.objects.create(name=name).pk
    ArticlePageTag.objects.bulk_create(
        [
            ArticlePageTag(content_object_id=page_id, tag_id=tag_ids[name[:100]])
            for page_id, tags in pairs
            for name in dict.fromkeys(tags)
            if name.strip()
        ],
        ignore_conflicts=True,
    )
