"""The demo newsroom loaded by `rostra demo`: sections, articles and generated covers.

Loading is idempotent: sections and articles are found by slug and only the missing
ones are created, so running it twice changes nothing. The demo exists in the languages
of DEMO_TEXTS; it is loaded in the active language (`rostra demo --language`), which the
other apps' demos follow too.
"""

import io
import random
from datetime import timedelta
from types import ModuleType

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from PIL import Image as PillowImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model

from rostra.publishing import demo_content, demo_content_de
from rostra.publishing.models import ArticlePage, HomePage, SectionPage
from rostra.publishing.services import home_page_ensure

# The demo's text in each language it is written in.
DEMO_TEXTS = {"en": demo_content, "de": demo_content_de}
COVER_SIZE = (1600, 900)
PALETTES = [
    ((18, 52, 86), (233, 180, 76), (245, 240, 230)),
    ((30, 70, 60), (200, 120, 80), (240, 235, 220)),
    ((70, 30, 60), (240, 150, 110), (250, 236, 226)),
    ((20, 40, 60), (110, 170, 200), (235, 242, 245)),
]


def cover_image_bytes(seed: str) -> bytes:
    """An abstract sea-and-sky picture, different for every seed, made with Pillow."""
    rng = random.Random(seed)  # noqa: S311 - art, not secrets
    deep, warm, light = rng.choice(PALETTES)
    width, height = COVER_SIZE
    image = PillowImage.new("RGB", COVER_SIZE, deep)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.45, 0.65))
    for y in range(horizon):
        t = y / horizon
        colour = tuple(int(light[i] * (1 - t) + warm[i] * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    sun_x, sun_r = rng.randint(200, width - 200), rng.randint(70, 160)
    draw.ellipse(
        [sun_x - sun_r, horizon - sun_r * 1.3, sun_x + sun_r, horizon + sun_r * 0.7],
        fill=tuple(min(255, c + 20) for c in warm),
    )
    for band in range(14):
        y = horizon + band * (height - horizon) / 14
        shade = tuple(int(deep[i] + (warm[i] - deep[i]) * (0.35 - band * 0.02)) for i in range(3))
        draw.rectangle([0, y, width, y + (height - horizon) / 14 + 1], fill=shade)
        for _ in range(rng.randint(3, 8)):
            x = rng.randint(0, width)
            draw.line([(x, y + 4), (x + rng.randint(40, 220), y + 4)], fill=light, width=2)
    image = image.filter(ImageFilter.GaussianBlur(radius=1.2))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def demo_language(language_code: str) -> str | None:
    """The demo language for a language code ("de-at" → "de"), None when there is none."""
    language = language_code.lower().replace("_", "-").split("-")[0]
    return language if language in DEMO_TEXTS else None


def demo_text() -> ModuleType:
    """The demo text in the active language, English when there is none in it."""
    return DEMO_TEXTS[demo_language(get_language() or "en") or "en"]


def _cover(title: str, alt: str):
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    filename = f"{slugify(title)[:60]}.jpg"
    image = image_model(title=title, description=alt)
    image.file = ImageFile(io.BytesIO(cover_image_bytes(title)), name=filename)
    image.save()
    return image


def _body(blocks):
    stream = []
    for kind, text in blocks:
        if kind == "paragraph":
            stream.append(("paragraph", f"<p>{text}</p>"))
        elif kind == "heading":
            stream.append(("heading", {"text": text, "level": "h2"}))
        elif kind == "quote":
            quote, _, attribution = text.partition("|")
            stream.append(("quote", {"text": quote, "attribution": attribution}))
    return stream


@transaction.atomic
def demo_content_load(*, only_if_empty: bool = False) -> int:
    """Create what is missing of the demo newsroom, in the active language (see
    `demo_text`); return the number of new articles."""
    if only_if_empty and ArticlePage.objects.exists():
        return 0
    text = demo_text()
    home = home_page_ensure()
    if not home.tagline:
        HomePage.objects.filter(pk=home.pk).update(tagline=text.TAGLINE)
    sections = {}
    for spec in text.SECTIONS:
        section = SectionPage.objects.child_of(home).filter(slug=spec["slug"]).first()
        if section is None:
            section = home.add_child(instance=SectionPage(**spec))
            section.save_revision().publish()
        sections[spec["slug"]] = section

    now = timezone.now()
    created = 0
    for spec in text.ARTICLES:
        section = sections[spec["section"]]
        slug = slugify(spec["title"])[:80]
        if ArticlePage.objects.child_of(section).filter(slug=slug).exists():
            continue
        article = ArticlePage(
            title=spec["title"],
            slug=slug,
            standfirst=spec["standfirst"],
            byline=spec["byline"],
            published_at=now - timedelta(days=spec["days_ago"]),
            cover_image=_cover(spec["title"], text.COVER_ALT),
            cover_caption=text.COVER_CAPTION,
            cover_credit=text.COVER_CREDIT,
            body=_body(spec["body"]),
        )
        section.add_child(instance=article)
        article.tags.add(*spec["tags"])
        article.save_revision().publish()
        created += 1
    return created
