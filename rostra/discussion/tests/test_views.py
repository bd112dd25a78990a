"""The comment section works as plain HTML forms, and answers htmx with fragments."""

import re

import pytest
from django.utils import timezone

from rostra.discussion.models import Comment
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db


def _post(client, article, headers=None, **data):
    url = f"/comments/articles/{article.pk}/post/"
    return client.post(url, {"name": "Ana", **data}, headers=headers or {})


def test_empty_thread_invites_the_first_comment(client, article):
    html = client.get(article.url).content.decode()
    assert "0 Comments" in html
    assert 'placeholder="Would love your thoughts, please comment."' in html


def test_guest_posts_and_lands_on_their_comment(client, article):
    response = _post(client, article, body="Good **news** for walkers.")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?comment={comment.pk}#comment-{comment.pk}"
    html = client.get(response["Location"]).content.decode()
    assert "1 Comment<" in html
    assert "Good <strong>news</strong> for walkers." in html
    assert 'class="comment comment--highlight' in html
    assert ">Edit</a>" in html, "the guest cookie lets the author edit"


def test_refused_comment_keeps_the_readers_text(client, article):
    response = _post(client, article, body="My careful thoughts", name="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please give a name to comment under." in html
    assert ">My careful thoughts</textarea>" in html
    assert not Comment.objects.exists()


def test_rate_limited_reader_is_told_why_and_keeps_the_text(client, article, settings):
    settings.COMMENT_RATE_LIMIT = (1, 60)
    _post(client, article, body="First")
    response = _post(client, article, body="Second thought")
    assert response.status_code == 429
    html = response.content.decode()
    assert "faster than 1 comments in 60 seconds" in html
    assert ">Second thought</textarea>" in html


def test_posting_without_csrf_token_is_refused(article):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        f"/comments/articles/{article.pk}/post/", {"name": "A", "body": "B"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_reply_form_without_javascript(client, article, thread):
    parent = post(thread, body="Parent comment", name="Bea")
    html = client.get(f"{article.url}?reply_to={parent.pk}").content.decode()
    assert 'aria-label="Reply to Bea"' in html
    assert f'name="parent" value="{parent.pk}"' in html
    _post(client, article, body="A reply", parent=parent.pk)
    assert Comment.objects.get(body_source="A reply").parent == parent


def test_vote_buttons_count_and_show_the_readers_vote(client, article, thread):
    comment = post(thread, body="Vote on me")
    client.post(f"/comments/{comment.pk}/vote/", {"value": "1"})
    comment.refresh_from_db()
    assert comment.score == 1
    response = client.post(
        f"/comments/{comment.pk}/vote/", {"value": "-1"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<form class="vote"')
    assert 'aria-label="Score -1"' in html
    assert re.search(r'vote__button--down" id="vote-\d+-down" aria-pressed="true"', html)


def test_author_edits_within_the_window(client, article):
    _post(client, article, body="Tpyo")
    comment = Comment.objects.get()
    html = client.get(f"{article.url}?edit={comment.pk}").content.decode()
    assert ">Tpyo</textarea>" in html
    client.post(f"/comments/{comment.pk}/edit/", {"body": "Typo"})
    comment.refresh_from_db()
    assert comment.body_source == "Typo" and comment.edited_at


def test_another_reader_cannot_edit_or_delete(client, article, thread):
    comment = post(thread, body="Not yours")
    assert client.post(f"/comments/{comment.pk}/edit/", {"body": "x"}).status_code == 403
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 403
    comment.refresh_from_db()
    assert comment.body_source == "Not yours" and comment.deleted_at is None


def test_permalink_opens_the_page_that_holds_the_comment(client, article, thread, home):
    from rostra.discussion.models import DiscussionSettings

    DiscussionSettings.objects.update_or_create(
        site_id=home.get_site().pk, defaults={"page_size": 2}
    )
    start = timezone.now()
    comments = [
        post(thread, body=f"comment {n}", now=start + timezone.timedelta(seconds=n))
        for n in range(5)
    ]
    oldest = comments[0]
    first_page = client.get(article.url).content.decode()
    assert "comment 4" in first_page and "comment 0" not in first_page
    assert "Load more comments" in first_page

    response = client.get(f"/comments/{oldest.pk}/")
    assert response["Location"] == f"{article.url}?comment={oldest.pk}#comment-{oldest.pk}"
    html = client.get(response["Location"]).content.decode()
    assert f'id="comment-{oldest.pk}"' in html
    assert "comment--highlight" in html
    assert "Load more comments" not in html


def test_sort_choice_is_remembered(client, article, thread):
    response = client.get(f"/comments/articles/{article.pk}/sort/oldest/")
    assert response.cookies["rostra_sort"].value == "oldest"
    post(thread, body="x")
    html = client.get(article.url).content.decode()
    assert re.search(r'sort/oldest/"\s+hx-get="[^"]+"\s+aria-current="true"', html)


def test_htmx_post_answers_with_the_section(client, article):
    response = _post(client, article, body="Via htmx", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="comments"')
    assert "Via htmx" in html
    assert "rostra_guest" in response.cookies


def test_article_page_queries_do_not_depend_on_the_number_of_comments(
    client, article, thread, django_assert_num_queries
):
    """Pinned: the page costs the same with 5 comments as with 500."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rostra.core.stored_pages import stored_pages

    def add(n):
        roots = [post(thread, body=f"root {i}") for i in range(n // 5)]
        for i in range(n - len(roots)):
            post(thread, body=f"reply {i}", parent_id=roots[i % len(roots)].pk)

    add(5)
    client.get(article.url)
    client.get(article.url)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{article.url}?call=1")
    few_count = len(few)
    # 8 of them build the page's validator (rostra.core.page_cache): view restrictions,
    # Wagtail's action log, the thread's change marker, donations.
    assert few_count <= 33, "\n".join(q["sql"] for q in few.captured_queries)
    add(495)
    # As for the first measure: no stored copy of the page to check (rostra.core.stored_pages).
    stored_pages.clear()
    with django_assert_num_queries(few_count):
        response = client.get(f"{article.url}?call=1")
    assert response.content.decode().count(' data-depth="') == 500
