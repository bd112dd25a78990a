"""`rostra demo` builds a believable newsroom from original text, once."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model

from rostra.publishing import demo_content
from rostra.publishing.demo import demo_language
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
    from rostra.publishing import demo_content_de

    text = repr([(m.ARTICLES, m.SECTIONS) for m in (demo_content, demo_content_de)])
    for line in reference.read_text().splitlines():
        words = line.split()
        for start in range(0, max(len(words) - 8, 0), 8):
            assert " ".join(words[start : start + 8]) not in text
    for marker in ("3Gbs4rjc", "qpf2cphc", "0x9f4cda", "southfront"):
        assert marker not in text.lower()


def test_demo_language_is_the_sites_when_there_is_a_demo_in_it():
    """A German or Austrian site gets the German demo; a site in a language without demo
    text gets the English one (the command's default)."""
    assert demo_language("de") == demo_language("de-at") == "de"
    assert demo_language("en-gb") == "en"
    assert demo_language("pt-br") is None


def test_demo_refuses_a_language_it_has_no_text_in():
    """An unknown language is refused with a clear message (exit code 2) and loads
    nothing."""
    with pytest.raises(CommandError, match=r"no demo in 'xx'.*de, en") as refused:
        call_command("demo", language="xx", verbosity=0)
    assert refused.value.returncode == 2
    assert not ArticlePage.objects.exists()
