"""The comments as a reader meets them (#17 item 5), server side: Share, the “Read
more” fold, stable vote buttons, the count beside the byline, sort and “View all” in
the address, and a passage comment in the demo conversation."""

import re

import pytest
from wagtail.log_actions import log

from rostra.discussion.models import AnchorStatus, CommentAnchor, DiscussionSettings
from rostra.discussion.testing import post

pytestmark = pytest.mark.django_db


def _settings(home, **values):
    """Saved and logged, as the settings form does (the log moves every page's version)."""
    saved, _ = DiscussionSettings.objects.update_or_create(
        site_id=home.get_site().pk, defaults=values
    )
    log(instance=saved, action="wagtail.edit")


def test_each_published_comment_has_a_share_link_to_its_permalink(client, article, thread):
    """Share is the permalink (copied by discussion.js; followed without JavaScript)."""
    comment = post(thread, body="Worth sharing")
    html = client.get(article.url).content.decode()
    assert f'<a class="comment__action" href="/comments/{comment.pk}/" data-share>Share</a>' in html
    assert 'role="status" data-announce' in html, "“Link copied” is announced there"


def test_long_comments_fold_at_the_settings_length_with_the_text_kept(
    client, article, thread, home
):
    """Over `fold_length` characters a comment gets “Read more” (a <details>); its whole
    text stays in the page. Shorter comments, or a length of 0, are not folded."""
    _settings(home, fold_length=100)
    long = post(thread, body="Long " * 30 + "THE END")
    short = post(thread, body="Short " * 16, name="Bo")
    html = client.get(article.url).content.decode()
    long_card = html[html.index(f'id="comment-{long.pk}"') :]
    assert long_card.index('class="comment__body comment__body--long"') < 800
    assert "THE END" in long_card[: long_card.index('<details class="comment__fold">')]
    assert '<summary><span class="comment__fold-more">Read more</span>' in long_card
    short_card = html[
        html.index(f'id="comment-{short.pk}"') : html.index(f'id="comment-{long.pk}"')
    ]
    assert "comment__fold" not in short_card

    _settings(home, fold_length=0)
    assert "comment__fold" not in client.get(article.url).content.decode()


def test_fold_default_is_1200_characters(client, article, thread):
    post(thread, body="x" * 1200)
    assert "comment__fold" not in client.get(article.url).content.decode()
    post(thread, body="y" * 1201, name="Bo")
    assert client.get(article.url).content.decode().count('<details class="comment__fold">') == 1


def test_vote_buttons_keep_their_ids_across_the_htmx_answer(client, article, thread):
    """htmx gives focus back to the element with the same id after a swap: the vote
    buttons have stable ids in the page and in the vote's answer."""
    comment = post(thread, body="Vote me")
    html = client.get(article.url).content.decode()
    assert f'id="vote-{comment.pk}-up"' in html and f'id="vote-{comment.pk}-down"' in html
    answer = client.post(
        f"/comments/{comment.pk}/vote/", {"value": "1"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert f'id="vote-{comment.pk}-up" aria-pressed="true"' in answer


def test_the_byline_links_to_the_comments_with_their_count(client, article, thread):
    post(thread, body="One")
    post(thread, body="Two", name="Bo")
    html = client.get(article.url).content.decode()
    meta = html[
        html.index('class="meta article__meta"') : html.index("</p>", html.index("article__meta"))
    ]
    assert '<a class="article__comments" href="#comments">2 comments</a>' in meta
    assert '<a class="article__skip" href="#comments">Skip to comments</a>' in meta


def test_the_address_keeps_the_sort(client, article, thread):
    """?sort= is honoured on the article page; the tabs push it to the address with
    htmx, and the no-JavaScript tab lands on it."""
    first = post(thread, body="first comment")
    second = post(thread, body="second comment", name="Bo")
    html = client.get(f"{article.url}?sort=oldest").content.decode()
    assert html.index(f'id="comment-{first.pk}"') < html.index(f'id="comment-{second.pk}"')
    assert re.search(r'sort/oldest/"\s+hx-get="[^"]+"\s+aria-current="true"', html)
    assert f'hx-push-url="{article.url}?sort=oldest"' in html
    html = client.get(f"{article.url}?sort=newest").content.decode()
    assert html.index(f'id="comment-{second.pk}"') < html.index(f'id="comment-{first.pk}"')
    response = client.get(f"/comments/articles/{article.pk}/sort/oldest/")
    assert response["Location"] == f"{article.url}?sort=oldest#comments"


def test_the_address_keeps_view_all(client, article, thread, home):
    """“View all” and “Load more” push their address; loading it shows the same."""
    _settings(home, page_size=2)
    for n in range(3):
        post(thread, body=f"comment {n}", name=f"R{n}")
    html = client.get(article.url).content.decode()
    assert f'hx-push-url="{article.url}?call=1&amp;sort=newest"' in html
    assert f'hx-push-url="{article.url}?cpage=2&amp;sort=newest"' in html
    assert html.count('class="comment"') == 2
    everything = client.get(f"{article.url}?call=1&sort=newest").content.decode()
    assert everything.count('class="comment"') == 3 and "View all comments" not in everything


def test_the_demo_conversation_has_a_passage_comment(section):
    """The demo shows inline feedback: Ferris's comment is on a sentence of the article."""
    from rostra.discussion.demo import ARTICLE_SLUG, demo_conversation_load
    from rostra.publishing.testing import make_article

    text = "Most comes from a national fund. The council's share will be paid over twenty years."
    make_article(section, "How the new flood barrier will work", text=text, slug=ARTICLE_SLUG)
    assert demo_conversation_load() == 6
    anchor = CommentAnchor.objects.get()
    assert anchor.exact == "The council's share will be paid over twenty years."
    assert anchor.comment.author_name == "Ferris Oduya"
    assert anchor.status == AnchorStatus.ANCHORED
