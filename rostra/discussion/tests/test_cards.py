"""Comment cards built in Python (discussion.cards) are the markup the per-comment
template made: the same elements, attributes, text and accessible names, whitespace
aside, for every kind of comment and every reader's state on it.

The reference is the template as it was, kept with its tags in `legacy_templates/` and
`legacy_tags.py`, rendered with the very context the section view used."""

import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from django.template.backends.django import DjangoTemplates
from django.utils import timezone

from rostra.discussion import selectors, services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import CommentAnchor, CommentStatus
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.discussion.tests.test_inline_feedback import article_with_a_question, selection
from rostra.discussion.versions import thread_version_bump

pytestmark = pytest.mark.django_db

LEGACY = DjangoTemplates(
    {
        "NAME": "legacy-cards",
        "DIRS": [Path(__file__).parent / "legacy_templates"],
        "APP_DIRS": True,
        "OPTIONS": {"libraries": {"discussion_tags": "rostra.discussion.tests.legacy_tags"}},
    }
)
LIST = '<ol class="comment-list" role="list" id="comment-list">'
CONTEXT_KEYS = (
    "article", "viewer", "policy", "is_open", "sign_in_required", "highlight", "editing",
    "reply_to", "errors", "error_target", "values", "form_clock", "sort",
)  # fmt: skip
LONG_NAME = "Maximiliana Wolkenstein-Oberhausen of the Lower Marrow Estuary Residents" + "x" * 8


@pytest.fixture
def article(section):
    return article_with_a_question(section)


def _user(django_user_model, name):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw")
    return user, Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name=name)


@pytest.fixture
def conversation(article, django_user_model):
    """Every kind of card: Markdown, a website, a long name, replies and a reply to a
    name (beyond the depth limit), an edited comment, a deleted one with a reply (a
    tombstone), passage and question quotes (one orphaned), a comment awaiting
    moderation, votes, and comments young enough for their author to change."""
    thread = services.thread_for_article(article)
    now = timezone.now()
    shallow = replace(TEST_POLICY, max_depth=2)
    mia, mia_viewer = _user(django_user_model, "mia")
    bo, bo_viewer = _user(django_user_model, "bo")

    def at(minutes, **kwargs):
        return post(thread, now=now - timedelta(minutes=minutes, seconds=30), **kwargs)

    markdown = at(
        60 * 24 * 3,
        body='**Bold**, *em*, [a link](https://example.org), `code`\n\n> a quote & "more"',
        name='Ann <b>&</b> "Quotes"',
        website="https://ann.example.org/?a=1&b=2",
    )
    mine = at(5, viewer=mia_viewer, body="Mine, still editable.", name="Mia", parent_id=markdown.pk)
    middle = at(4, body="In the middle.", name=LONG_NAME, parent_id=mine.pk, policy=shallow)
    at(3, body="Answering the middle.", name="Deep", parent_id=middle.pk, policy=shallow)
    edited = at(9, viewer=bo_viewer, body="Frist", name="Bo")
    services.comment_edit(comment=edited, viewer=bo_viewer, policy=TEST_POLICY, body="First!")
    passage = at(90, body="On the passage.", name="Quoter", passage=selection(article))
    orphan = at(100, body="On a passage gone.", name="Orphan", passage=selection(article))
    CommentAnchor.objects.filter(comment=orphan).update(status="orphaned")
    question = selection(article, "the gates will hold for a century", block=1)
    at(120, body="I agree.", name="Answerer", passage=replace(question, question_id="q-hold"))
    gone = at(200, body="Soon gone.", name="Gone", viewer=(gone_viewer := guest()))
    at(150, body="Replying to the gone.", name="Stayer", parent_id=gone.pk)
    services.comment_delete(comment=gone, viewer=gone_viewer, policy=replace(
        TEST_POLICY, edit_window=timedelta(days=1)))  # fmt: skip
    held = at(2, viewer=mia_viewer, body="Awaiting a moderator.", name="Mia")
    services.comment_moderate(comments=[held], viewer=staff(), status=CommentStatus.PENDING)
    for comment, value in ((markdown, 1), (middle, -1), (passage, 1)):
        services.comment_vote(comment=comment, viewer=mia_viewer, policy=TEST_POLICY, value=value)
        services.comment_vote(comment=comment, viewer=bo_viewer, policy=TEST_POLICY, value=-value)
    thread_version_bump(thread.pk)
    return {"thread": thread, "mia": mia, "bo": bo, "mine": mine, "edited": edited,
            "markdown": markdown, "held": held, "middle": middle}  # fmt: skip


def _cards(html: str) -> str:
    """The comment list's content in a whole page."""
    start = html.index(LIST) + len(LIST)
    depth, position = 1, start
    for match in re.finditer(r"<ol\b|</ol>", html[start:]):
        depth += 1 if match.group() == "<ol" else -1
        if depth == 0:
            return html[start : start + match.start()]
        position = start + match.end()
    raise AssertionError(f"unclosed comment list after {position}")


def _legacy(response) -> str:
    """What the old template made of the same page, with the view's own context."""
    context = {key: response.context[key] for key in CONTEXT_KEYS}
    page = selectors.thread_page(
        thread=context["article"].thread,
        viewer=context["viewer"],
        sort=context["sort"],
        page=1,
        through_page=True,
    )
    context["thread_page"] = page
    source = '{% for node in nodes %}{% include "discussion/comment.html" %}{% endfor %}'
    context["nodes"] = page.nodes
    return LEGACY.from_string(source).render(context, response.wsgi_request)


def _normal(html: str) -> str:
    html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1TOKEN"', html)
    html = re.sub(r">\s+<", "><", html)
    return re.sub(r"\s+", " ", html).strip()


def _same_as_legacy(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    new, old = _normal(_cards(response.content.decode())), _normal(_legacy(response))
    assert new == old
    return new


def test_a_reader_without_cookies_sees_the_cards_the_template_made(client, article, conversation):
    html = _same_as_legacy(client, article.url)
    assert "comment__tombstone" in html and "comment__passage--orphaned" in html
    assert "Answering “Do you agree with this assessment?”" in html
    assert "replying to <a" in html and "<strong>Bold</strong>" in html
    assert "Awaiting moderation" not in html and ">Edit</a>" not in html
    second = client.get(article.url)  # the stored page: no template context to compare with
    assert _normal(_cards(second.content.decode())) == html, "the second answer, from the cache"


def test_a_reader_with_votes_and_an_own_comment_sees_them_as_the_template_showed(
    client, article, conversation
):
    client.force_login(conversation["bo"])
    edited = conversation["edited"]
    client.get(article.url)  # the shared cards are cached by now
    html = _same_as_legacy(client, f"{article.url}?comment={edited.pk}")
    assert 'aria-pressed="true"' in html and "comment--highlight" in html
    assert html.count(">Edit</a>") == 1
    html = _same_as_legacy(client, f"{article.url}?edit={edited.pk}")
    assert ">First!</textarea>" in html
    html = _same_as_legacy(client, f"{article.url}?reply_to={conversation['markdown'].pk}")
    assert 'aria-label="Reply to Ann &lt;b&gt;&amp;&lt;/b&gt; &quot;Quotes&quot;"' in html


def test_the_author_of_a_held_comment_sees_it_as_the_template_showed(client, article, conversation):
    client.force_login(conversation["mia"])
    html = _same_as_legacy(client, f"{article.url}?edit={conversation['mine'].pk}")
    assert "comment--pending" in html and "Awaiting moderation" in html
    assert ">Mine, still editable.</textarea>" in html


def test_staff_see_every_card_as_the_template_showed(client, article, conversation, admin_user):
    client.force_login(admin_user)
    html = _same_as_legacy(client, article.url)
    assert html.count(">Edit</a>") == html.count("comment__author")


def test_the_vote_answer_is_the_form_the_template_made(client, article, conversation):
    """An htmx vote is answered with the vote form alone, pressed and with the score."""

    comment = conversation["markdown"]
    response = client.post(
        f"/comments/{comment.pk}/vote/", {"value": "1"}, headers={"HX-Request": "true"}
    )
    comment.refresh_from_db()
    old = LEGACY.get_template("discussion/vote.html").render(
        {"comment": comment, "vote": 1, "vote_error": ""}, response.wsgi_request
    )
    assert _normal(response.content.decode()) == _normal(old)


def test_young_labels_read_as_the_ago_filter_wrote_them():
    """Under four weeks the label is arithmetic on the age: the same text as the
    template's `ago` filter (Django's timesince) for ages from seconds to 27 days."""
    from rostra.discussion.cards import EXACT_LABEL_AGE, CardScheme
    from rostra.discussion.tests.legacy_tags import ago

    now = timezone.now().replace(microsecond=250_000)
    scheme = CardScheme("/a/", replies_open=True, now=now)
    step, age = timedelta(minutes=7, seconds=13, microseconds=400), timedelta(0)
    checked = 0
    while age < EXACT_LABEL_AGE:
        for moment in (now - age, now - age - timedelta(seconds=59, microseconds=999_999)):
            if now - moment < EXACT_LABEL_AGE:
                assert scheme.ago(moment) == ago(moment, now=now), now - moment
                checked += 1
        age += step if age < timedelta(days=2) else step * 17
    assert checked > 500


def test_time_titles_are_the_date_filters_text_in_every_language():
    """A card's time title is the `date` filter's DATETIME_FORMAT text of the active
    language (formatted per day and per minute, the same text), e.g. German
    “27. November 2026 09:10”."""
    from django.utils import formats, translation
    from django.utils.html import escape

    from rostra.discussion.cards import CardScheme

    start = timezone.now().replace(hour=0, minute=0, second=5, microsecond=0)
    times = ((0, 0), (9, 5), (12, 0), (23, 59))
    moments = [
        start + timedelta(days=day * 31, hours=hour, minutes=minute)
        for day in range(12)
        for hour, minute in times
    ]
    for language in ("en", "de", "es", "ru", "ar", "ja"):
        with translation.override(language):
            scheme = CardScheme("/a/", replies_open=True)
            for moment in moments + moments:  # the second time from the per-page parts
                local = moment.astimezone(scheme.zone)
                expected = escape(formats.date_format(local, "DATETIME_FORMAT"))
                assert scheme.time_title(local) == expected, (language, local)
    with translation.override("de"):
        local = timezone.make_aware(timezone.datetime(2026, 11, 27, 9, 10))
        assert CardScheme("/a/", replies_open=True).time_title(local) == "27. November 2026 09:10"


def test_ago_labels_are_in_the_active_language():
    """“… ago” labels use Django's translated naturaltime words: young ones worked out by
    arithmetic and older ones alike, with no English left in another language."""
    from django.utils import translation

    from rostra.discussion.cards import CardScheme

    now = timezone.now()
    ages = (timedelta(minutes=5), timedelta(days=2), timedelta(days=40))
    with translation.override("es"):
        scheme = CardScheme("/a/", replies_open=True, now=now)
        labels = [scheme.ago(now - age) for age in ages]
    assert labels == ["hace 5\xa0minutos", "hace 2\xa0días", "hace 1\xa0mes"]
    english = CardScheme("/a/", replies_open=True, now=now)
    assert [english.ago(now - age) for age in ages] == [
        "5\xa0minutes ago", "2\xa0days ago", "1\xa0month ago",
    ]  # fmt: skip
