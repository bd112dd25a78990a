"""`rostra demo` builds a believable newsroom from original text, once."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model

from rostra.publishing import demo_content
from rostra.publishing.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def test_demo_newsroom_has_sections_articles_and_covers_and_loads_once(client):
    sections_before = set(SectionPage.objects.values_list("pk", flat=True))
    call_command("demo", verbosity=0)
    assert SectionPage.objects.live().exclude(pk__in=sections_before).count() == 3
    articles = ArticlePage.objects.live()
    assert articles.count() == len(demo_content.ARTICLES)
    assert not articles.filter(cover_image__isnull=True).exists()
    assert all(a.body and a.byline for a in articles)

    call_command("demo", verbosity=0)
    assert ArticlePage.objects.count() == articles.count()
    assert get_image_model().objects.count() == articles.count()
    assert client.get("/").status_code == 200


def test_demo_text_never_reuses_the_reference_page():
    """The reference outlet's words and payment addresses are not demo content."""
    from pathlib import Path

    reference = Path(__file__).resolve().parents[3].parent / "shared/seed/reference-page.txt"
    if not reference.exists():
        pytest.skip("shared/seed is not beside this checkout")
    text = repr(demo_content.ARTICLES) + repr(demo_content.SECTIONS)
    for line in reference.read_text().splitlines():
        words = line.split()
        for start in range(0, max(len(words) - 8, 0), 8):
            assert " ".join(words[start : start + 8]) not in text
    for marker in ("3Gbs4rjc", "qpf2cphc", "0x9f4cda", "southfront"):
        assert marker not in text.lower()
