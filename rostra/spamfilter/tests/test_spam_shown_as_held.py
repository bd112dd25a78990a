"""A comment the filter marked spam looks to its author like any held comment
("Awaiting moderation"), in the page and the API; nobody else sees it, and nothing
says a machine judged it."""

import pytest
from django.test import Client

from rostra.discussion.models import Comment, CommentStatus
from rostra.spamfilter.models import FilterMode
from rostra.spamfilter.tests.test_posting import SPAM, _api_post, _form_post, _mode

pytestmark = pytest.mark.django_db


def test_the_author_of_a_comment_marked_spam_sees_it_waiting(trained, article):
    _mode(FilterMode.HOLD_AND_SPAM, hold_threshold=0.5, spam_threshold=0.51)
    author = Client()
    html = _form_post(author, article, SPAM).content.decode()
    marked = Comment.objects.get(body_source=SPAM)
    assert marked.status == CommentStatus.SPAM
    card = html.split(f'id="comment-{marked.pk}"', 1)[1].split("</li>", 1)[0]
    assert "Awaiting moderation" in card and "cheap" in card
    assert "spam" not in card.lower().replace("cheap-pills", "")
    assert "filter" not in card.lower()
    again = author.get(f"{article.url}?comment={marked.pk}").content.decode()
    assert f'id="comment-{marked.pk}"' in again
    assert f'id="comment-{marked.pk}"' not in Client().get(article.url).content.decode()
    answer = _api_post(article, SPAM + " again")
    assert answer.status_code == 201 and answer.json()["status"] == CommentStatus.PENDING
    assert answer.json()["held_because"]
