"""Comments on a passage of the article: posting, display, and anchors after edits."""

import pytest
from django.urls import reverse

from rostra.discussion import selectors
from rostra.discussion.inline import PassageRequest, article_text
from rostra.discussion.models import AnchorChange, CommentAnchor
from rostra.discussion.services import DiscussionError, thread_for_article
from rostra.discussion.testing import guest, post
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db

PARAGRAPH = (
    "The barrier will not protect against flooding from heavy rain, which is the cause "
    "of most damage in the lower town."
)
QUESTION = (
    'Engineers say <span data-question-id="q-hold" data-question="Do you agree with this '
    'assessment?">the gates will hold for a century</span>, if maintained.'
)
PASSAGE = "will not protect against flooding from heavy rain"


def article_with_a_question(section):
    """An article of two paragraphs, the second holding an editor's question."""
    article = make_article(section, "Flood barrier", text=PARAGRAPH)
    article.body = [("paragraph", f"<p>{PARAGRAPH}</p>"), ("paragraph", f"<p>{QUESTION}</p>")]
    article.save_revision().publish()
    return article


@pytest.fixture
def article(section):
    return article_with_a_question(section)


def selection(article, passage=PASSAGE, block=0):
    block_id, text = article_text(article).blocks[block]
    start = text.index(passage)
    return PassageRequest(block_id=block_id, start=start, end=start + len(passage), exact=passage)


def test_a_comment_on_a_selected_passage_stores_a_web_annotation_anchor(article):
    thread = thread_for_article(article)
    comment = post(thread, body="Rain is the real risk.", passage=selection(article))
    anchor = comment.anchor
    assert anchor.block_id == article.body[0].id
    assert anchor.exact == PASSAGE
    assert anchor.prefix == "The barrier "
    assert anchor.suffix == PARAGRAPH[anchor.end : anchor.end + 32]
    assert len(anchor.suffix) == 32
    assert PARAGRAPH[anchor.start : anchor.end] == PASSAGE


def test_a_passage_not_in_the_article_is_refused(article):
    thread = thread_for_article(article)
    bogus = PassageRequest(block_id=article.body[0].id, start=0, end=10, exact="Not there at all")
    with pytest.raises(DiscussionError, match="not in the article"):
        post(thread, body="x", passage=bogus)
    assert not CommentAnchor.objects.exists()


def test_answering_an_editor_question(article):
    thread = thread_for_article(article)
    answer = post(thread, body="Only with upkeep.", passage=PassageRequest(question_id="q-hold"))
    assert answer.anchor.question == "Do you agree with this assessment?"
    assert answer.anchor.exact == "the gates will hold for a century"
    with pytest.raises(DiscussionError, match="no longer in the article"):
        post(thread, body="x", passage=PassageRequest(question_id="q-gone"))


def test_replies_to_inline_comments_are_ordinary_replies(article):
    thread = thread_for_article(article)
    inline = post(thread, body="Rain!", passage=selection(article))
    reply = post(thread, body="Agreed.", parent_id=inline.pk, passage=selection(article))
    assert reply.parent_id == inline.pk
    assert not CommentAnchor.objects.filter(comment=reply).exists()


def test_passages_are_grouped_with_counts(article):
    thread = thread_for_article(article)
    post(thread, body="One", passage=selection(article))
    post(thread, body="Two", passage=selection(article))
    post(thread, body="Q", passage=PassageRequest(question_id="q-hold"))
    post(thread, body="Plain comment")
    passages = selectors.inline_passages(thread, guest())
    counts = sorted((p["question"], p["count"]) for p in passages)
    assert counts == [("", 2), ("q-hold", 1)]
    assert selectors.inline_count(thread, None) == 3


def test_editing_the_article_moves_the_anchor_and_records_it(
    article, django_capture_on_commit_callbacks
):
    thread = thread_for_article(article)
    comment = post(thread, body="Rain!", passage=selection(article))
    block_id = article.body[0].id
    article.body = [
        {"type": "paragraph", "value": f"<p>Update: approved 7-2. {PARAGRAPH}</p>", "id": block_id},
        {"type": "paragraph", "value": f"<p>{QUESTION}</p>", "id": article.body[1].id},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    anchor = CommentAnchor.objects.get(comment=comment)
    assert anchor.status == "anchored" and anchor.block_id == block_id
    text = article_text(article).blocks[0][1]
    assert text[anchor.start : anchor.end] == PASSAGE
    change = AnchorChange.objects.get(anchor=anchor)
    assert change.method == "moved" and change.new_start - change.old_start == len(
        "Update: approved 7-2. "
    )


def test_passage_removed_orphans_the_comment_but_keeps_it(
    article, django_capture_on_commit_callbacks
):
    thread = thread_for_article(article)
    comment = post(thread, body="Rain!", passage=selection(article))
    article.body = [
        {"type": "paragraph", "value": "<p>The barrier was approved.</p>", "id": article.body[0].id}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    anchor = CommentAnchor.objects.get(comment=comment)
    assert anchor.status == "orphaned" and anchor.exact == PASSAGE
    assert AnchorChange.objects.get(anchor=anchor).method == "orphaned"
    # Orphans leave the highlights but stay in the tab, with their quote.
    assert selectors.inline_passages(thread, None) == []
    assert selectors.inline_comments(thread, None) == [comment]


def test_thread_shows_quotes_and_the_inline_tab_without_javascript(client, article):
    thread = thread_for_article(article)
    post(thread, body="Rain is the real risk.", passage=selection(article))
    html = client.get(article.url).content.decode()
    assert "On the passage" in html and PASSAGE in html
    assert 'id="inline-passages"' in html
    assert "Inline feedback" in html
    tab = client.get(article.url + "?view=inline").content.decode()
    assert 'class="comment-list inline-list"' in tab and "Rain is the real risk." in tab


def test_posting_from_the_browser_form_with_a_passage(client, article):
    sel = selection(article)
    response = client.post(
        reverse("discussion:post", args=[article.pk]),
        {"body": "Via the form", "name": "Ann", "anchor_block": sel.block_id,
         "anchor_start": sel.start, "anchor_end": sel.end, "anchor_exact": sel.exact},
    )  # fmt: skip
    assert response.status_code == 302
    assert CommentAnchor.objects.get().comment.body_source == "Via the form"


def test_a_refused_passage_comment_keeps_text_and_quote(client, article):
    response = client.post(
        reverse("discussion:post", args=[article.pk]),
        {"body": "My careful words", "name": "Ann", "anchor_block": article.body[0].id,
         "anchor_start": "0", "anchor_end": "5", "anchor_exact": "Vanished words"},
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400
    assert "My careful words" in html and 'value="Vanished words"' in html


def test_passage_panel(client, article):
    thread = thread_for_article(article)
    post(thread, body="Rain is the real risk.", passage=selection(article))
    sel = selection(article)
    panel = client.get(
        reverse("discussion:passage", args=[article.pk]),
        {"block": sel.block_id, "start": sel.start, "end": sel.end},
    ).content.decode()
    assert "Rain is the real risk." in panel
    question = client.get(
        reverse("discussion:passage", args=[article.pk]), {"question": "q-hold"}
    ).content.decode()
    assert "Do you agree with this assessment?" in question
    assert 'name="anchor_question" value="q-hold"' in question


def test_page_queries_do_not_depend_on_the_number_of_passage_comments(
    client, article, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    thread = thread_for_article(article)
    words = PARAGRAPH.split()

    def add(n):
        for i in range(n):
            passage = " ".join(words[i % 10 : i % 10 + 3])
            post(thread, body=f"on {passage}", passage=selection(article, passage))

    add(3)
    client.get(article.url + "?view=inline")  # warm the per-site caches
    client.get(article.url + "?view=inline")
    add(1)  # both measures below build the section's shared cards (discussion.card_cache)
    with CaptureQueriesContext(connection) as few:
        client.get(article.url + "?view=inline")
    add(60)
    with django_assert_num_queries(len(few)):
        response = client.get(article.url + "?view=inline")
    assert response.content.decode().count("comment__passage-text") == 64
