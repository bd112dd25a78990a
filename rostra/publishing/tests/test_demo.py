"""`rostra demo` builds a believable newsroom from original text, once."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
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
    from rostra.discussion import demo as discussion_demo
    from rostra.discussion import demo_de as discussion_demo_de
    from rostra.publishing import demo_content_de

    text = repr(
        [(m.ARTICLES, m.SECTIONS) for m in (demo_content, demo_content_de)]
        + [m.CONVERSATION for m in (discussion_demo, discussion_demo_de)]
    )
    for line in reference.read_text().splitlines():
        words = line.split()
        for start in range(0, max(len(words) - 8, 0), 8):
            assert " ".join(words[start : start + 8]) not in text
    for marker in ("3Gbs4rjc", "qpf2cphc", "0x9f4cda", "southfront"):
        assert marker not in text.lower()


def test_demo_in_german_has_german_articles_and_comments():
    """`rostra demo --language de` on an empty site loads the German newsroom: German
    sections and headlines, German cover captions, and the demo conversation in German
    (a passage comment and a reply thread included)."""
    from rostra.discussion.models import Comment, CommentAnchor
    from rostra.publishing import demo_content_de

    call_command("demo", language="de", verbosity=0)
    titles = set(ArticlePage.objects.live().values_list("title", flat=True))
    assert titles == {spec["title"] for spec in demo_content_de.ARTICLES}
    assert set(SectionPage.objects.live().values_list("title", flat=True)) >= {"Stadt", "Umwelt"}
    assert {a.cover_caption for a in ArticlePage.objects.all()} == {demo_content_de.COVER_CAPTION}
    comments = Comment.objects.order_by("created_at")
    assert comments.count() == 6
    assert comments.first().body_source.startswith("Endlich kommt die Schule am Mühlbach")
    assert comments.filter(parent__isnull=False).count() == 3
    assert CommentAnchor.objects.get().exact == "Die Tilgung ist über zwanzig Jahre verteilt."

    # Without --language the demo follows a German site: nothing new (not the English
    # newsroom beside the German one).
    with override_settings(LANGUAGE_CODE="de"):
        call_command("demo", verbosity=0)
    assert ArticlePage.objects.count() == len(titles)


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
