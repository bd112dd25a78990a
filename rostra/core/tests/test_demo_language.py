"""`rostra demo --language de` (#19 item 7): the whole demo newsroom in German, its
articles from publishing and its conversation from the discussion."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from rostra.discussion.models import Comment, CommentAnchor
from rostra.publishing import demo_content_de
from rostra.publishing.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def test_demo_in_german_has_german_articles_and_comments():
    """`rostra demo --language de` on an empty site loads the German newsroom: German
    sections and headlines, German cover captions, and the demo conversation in German
    (a passage comment and a reply thread included)."""
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
