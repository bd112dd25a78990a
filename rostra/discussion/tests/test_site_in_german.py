"""With LANGUAGE_CODE=de and the shipped catalogs (#19), an article's discussion is in
German from its heading to its cards, their plurals and relative times, and the page's
scripts get the German catalog."""

import re

import pytest
from django.test import override_settings
from django.utils import translation

from rostra.discussion.testing import guest, post

pytestmark = pytest.mark.django_db


@override_settings(LANGUAGE_CODE="de")
def test_the_discussion_reads_in_german(client, article, thread):
    first = post(thread, guest(), body="Gute Frage.", name="Anna")
    post(thread, guest(), body="Finde ich auch.", name="Ben", parent_id=first.pk)
    with translation.override("de"):
        html = client.get(article.url).content.decode()
    assert '<html lang="de" dir="ltr"' in html
    for german in ("2 Kommentare", "Neueste", "Meistbewertet", "Antworten", "Benachrichtigen über"):
        assert german in html, german
    assert "Newest" not in html and "Most Voted" not in html
    script = re.search(r'<script[^>]+src="(/jsi18n/de/[^"]+)"', html).group(1)
    catalog = client.get(script).content.decode()
    assert "neuer Kommentar" in catalog or "neue Kommentare" in catalog
