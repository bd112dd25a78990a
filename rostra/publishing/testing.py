"""Builders for tests: small, real pages and images, no fixtures files."""

import io
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from rostra.publishing.models import ArticlePage, HomePage, SectionPage
from rostra.publishing.services import home_page_ensure


def make_home() -> HomePage:
    """The site's home page. A transactional test that ran earlier in this process emptied
    the database, with the root page and locale the migrations made (and the content
    types the cache still remembers): those are put back first."""
    if Page.get_first_root_node() is None:
        ContentType.objects.clear_cache()
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root"))  # translatable: no
    return home_page_ensure()


def make_section(home: HomePage, title: str, **fields) -> SectionPage:
    section = home.add_child(instance=SectionPage(title=title, **fields))
    section.save_revision().publish()
    return section


def make_image(title: str = "Test image", size=(96, 54)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, (40, 90, 140)).save(buffer, format="PNG")
    image = get_image_model()(title=title)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="test.png")
    image.save()
    return image


def make_article(
    section: SectionPage,
    title: str,
    *,
    text: str = "A paragraph of demo text.",
    published_at: datetime | None = None,
    tags: tuple[str, ...] = (),
    live: bool = True,
    cover=None,
    **fields,
) -> ArticlePage:
    article = ArticlePage(
        title=title,
        published_at=published_at or timezone.now(),
        cover_image=cover,
        body=[("paragraph", f"<p>{text}</p>")],
        live=live,
        **fields,
    )
    section.add_child(instance=article)
    if tags:
        article.tags.add(*tags)
    revision = article.save_revision()
    if live:
        revision.publish()
    return article
