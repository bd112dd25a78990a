"""The comment bubble (#17 item 3) as the server renders it: a plain link to the
comments with the count, the editors' invitation, and an off switch."""

import pytest
from wagtail.log_actions import log

from rostra.discussion.models import DiscussionSettings
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db


def _bubble(html: str) -> str:
    start = html.index('<div class="bubble"')
    return html[start : html.index("</div>", start)]


def _settings(home, **values):
    """Saved and logged, as the settings form does (the log moves every page's version)."""
    saved, _ = DiscussionSettings.objects.update_or_create(
        site_id=home.get_site().pk, defaults=values
    )
    log(instance=saved, action="wagtail.edit")


def test_bubble_is_a_link_to_the_comments_with_the_count(client, article, thread):
    """Without JavaScript the bubble is a link to #comments that names the count."""
    post(thread, body="One")
    post(thread, body="Two", name="Bo")
    bubble = _bubble(client.get(article.url).content.decode())
    assert 'href="#comments"' in bubble
    assert 'data-count="2"' in bubble
    assert '<span class="bubble__count" data-bubble-count>2</span>' in bubble
    assert "comments: go to the discussion" in bubble
    assert 'aria-live="polite"' in bubble, "count changes are announced politely"


def test_bubble_invitation_is_the_editors_text(client, article, home):
    """The invitation defaults to the reference page's words and can be changed."""
    html = client.get(article.url).content.decode()
    assert "Would love your thoughts, please comment.</a>" in _bubble(html)
    assert 'aria-label="Close this invitation"' in _bubble(html)
    _settings(home, bubble_invitation="Tell us what you <think>")
    bubble = _bubble(client.get(article.url).content.decode())
    assert "Tell us what you &lt;think&gt;</a>" in bubble


def test_bubble_can_be_switched_off(client, article, home):
    """Editors can turn the bubble off in Discussion settings."""
    _settings(home, bubble_enabled=False)
    html = client.get(article.url).content.decode()
    assert 'class="bubble"' not in html
    assert 'id="comments"' in html
