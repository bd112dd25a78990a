"""Refusals show where the reader acted (#17 item 4): each comment form posts to an
address ending in its own anchor, so the page answering a refusal without JavaScript
opens at the form, with the reason and the reader's text in it."""

import pytest

from rostra.discussion.models import DiscussionSettings
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db


def test_the_composer_posts_to_its_own_anchor(client, article):
    html = client.get(article.url).content.decode()
    assert f'action="/comments/articles/{article.pk}/post/#composer"' in html


def test_a_word_list_refusal_is_in_the_composer_with_the_text_kept(client, article, home):
    DiscussionSettings.objects.update_or_create(
        site_id=home.get_site().pk, defaults={"banned_terms": "bogwort"}
    )
    response = client.post(
        f"/comments/articles/{article.pk}/post/", {"name": "Ana", "body": "What bogwort news"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    form = html[html.index('id="composer"') : html.index("</form>", html.index('id="composer"'))]
    assert 'role="alert" id="composer-error"' in form
    assert ">What bogwort news</textarea>" in form


def test_a_refused_reply_opens_at_the_reply_form(client, article, thread):
    parent = post(thread, body="First")
    response = client.post(
        f"/comments/articles/{article.pk}/post/",
        {"name": "", "body": "My reply", "parent": parent.pk},
    )
    html = response.content.decode()
    form = html[html.index('id="reply-form"') :]
    assert form.index(f'action="/comments/articles/{article.pk}/post/#reply-form"') < 200
    assert ">My reply</textarea>" in form
