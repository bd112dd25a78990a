"""Word lists and the link limit: banned terms refuse a comment (the reader keeps the
text), suspect terms and too many links hold it, with the term shown to moderators.
Matching sees through case, accents and look-alikes and respects word boundaries."""

from dataclasses import replace

import pytest
from django.test import Client

from rostra.discussion import services
from rostra.discussion.models import (
    Comment,
    CommentStatus,
    HoldReason,
    ModerationDecision,
    ModerationTrigger,
)
from rostra.discussion.policy import Policy
from rostra.discussion.services import DiscussionError
from rostra.discussion.testing import TEST_POLICY, guest, post, site_settings_save, staff
from rostra.discussion.wordlists import fold, parse_terms, word_matcher

pytestmark = pytest.mark.django_db

LISTS = replace(
    TEST_POLICY,
    banned_terms=("kill yourself", "scum"),
    suspect_terms=("casino", "cheap pills"),
    link_limit=3,
)


@pytest.mark.parametrize(
    "text",
    [
        "Go KILL YOURSELF",
        "go k1ll y0urself!!",
        "kill-yourself",
        "kill\n  yourself",
        "k\u0456ll y\u043eurself",  # Cyrillic i and o
        "kíll yóurself",  # accents
        "ｋｉｌｌ ｙｏｕｒｓｅｌｆ",  # fullwidth
        "kill\u200b yourself",  # a zero-width space
        "You are SCUM.",
        "$cum",
    ],
)
def test_terms_are_found_through_case_accents_and_look_alikes(text):
    assert word_matcher(("kill yourself", "scum")).find(text) is not None


@pytest.mark.parametrize(
    "text",
    ["A classic casino-free town", "killyourself", "scumbag", "Don't kill it yourself"],
)
def test_terms_match_whole_words_and_phrases_only(text):
    assert word_matcher(("kill yourself", "scum", "ass")).find(text) is None


def test_the_term_found_is_named_as_listed():
    assert word_matcher(("Cheap Pills",)).find("buy CHEAP-p1lls now") == "Cheap Pills"
    assert fold("\u0405\u0441am") == fold("scam")  # Cyrillic S and c


def test_a_list_is_compiled_once_per_version_of_the_list():
    """The cache is keyed on the terms: the same list gives the same compiled matcher,
    an edited list a new one."""
    terms = parse_terms("casino\n\n# comments are skipped\n  poker  \ncasino")
    assert terms == ("casino", "poker")
    assert word_matcher(terms) is word_matcher(("casino", "poker"))
    assert word_matcher(terms) is not word_matcher(("casino",))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": "Go kill yourself."}, "body"),
        ({"name": "Scum Lord"}, "name"),
        ({"website": "https://scum.example.org/"}, "website"),
    ],
)
def test_a_banned_term_refuses_the_comment_and_says_where(thread, fields, field):
    with pytest.raises(DiscussionError) as refused:
        post(thread, **{"body": "Fine words.", "policy": LISTS, **fields})
    assert refused.value.status == 400 and refused.value.field == field
    assert "your text is still here" in refused.value.message
    assert not Comment.objects.exists() and not ModerationDecision.objects.exists()


def test_a_suspect_term_holds_the_comment_and_tells_moderators_which(thread):
    comment = post(thread, body="Best c4sino in town!", policy=LISTS)
    assert (comment.status, comment.held_because) == (CommentStatus.PENDING, HoldReason.WORDS)
    entry = ModerationDecision.objects.get(comment=comment)
    assert entry.trigger == ModerationTrigger.WORD_LIST
    assert entry.note == "suspect term “casino” in the comment"


def test_more_links_than_the_limit_hold_the_comment(thread):
    three = " ".join(f"https://example.org/{n}" for n in range(3))
    assert post(thread, body=three, policy=LISTS).status == CommentStatus.APPROVED
    four = post(thread, body=three + " and [this](https://example.com/)", policy=LISTS)
    assert (four.status, four.held_because) == (CommentStatus.PENDING, HoldReason.LINKS)
    entry = ModerationDecision.objects.get(comment=four)
    assert (entry.trigger, entry.note) == (ModerationTrigger.LINK_LIMIT, "4 links (limit 3)")


def test_staff_are_neither_refused_nor_held(thread):
    desk = replace(staff(), user_id=None)
    comment = post(
        thread, desk, body="We removed “kill yourself” posts at the casino.", policy=LISTS
    )
    assert comment.status == CommentStatus.APPROVED


def test_edits_are_screened_like_new_comments(thread):
    """A banned term refuses the edit and changes nothing; a suspect term holds the
    approved comment again and logs why."""
    author = guest()
    comment = post(thread, author, body="Nice town.", policy=LISTS)
    with pytest.raises(DiscussionError):
        services.comment_edit(comment=comment, viewer=author, policy=LISTS, body="scum")
    comment.refresh_from_db()
    assert comment.body_source == "Nice town."
    services.comment_edit(comment=comment, viewer=author, policy=LISTS, body="Nice casino.")
    comment.refresh_from_db()
    assert (comment.status, comment.held_because) == (CommentStatus.PENDING, HoldReason.WORDS)
    entry = ModerationDecision.objects.get(comment=comment)
    assert (entry.from_status, entry.to_status) == (CommentStatus.APPROVED, CommentStatus.PENDING)
    assert entry.note == "edited: suspect term “casino” in the comment"


@pytest.fixture
def site_lists(home):
    return site_settings_save(banned_terms="kill yourself\nscum", suspect_terms="casino")


def test_lists_edited_in_settings_become_the_policy(site_lists):
    policy = Policy.from_settings(site_lists)
    assert policy.banned_terms == ("kill yourself", "scum")
    assert policy.suspect_terms == ("casino",)
    assert policy.link_limit == 3  # the default


def test_the_form_refuses_a_banned_term_and_keeps_the_text(client, article, site_lists):
    response = client.post(
        f"/comments/articles/{article.pk}/post/",
        {"name": "Ana", "body": "My long reply, and go k1ll yourself."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "contains “kill yourself”" in html
    assert ">My long reply, and go k1ll yourself.</textarea>" in html
    assert not Comment.objects.exists()


def test_the_api_refuses_a_banned_term_with_the_field(article, site_lists):
    api = Client(enforce_csrf_checks=True)
    api.get("/api/csrf")
    response = api.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": "Fine.", "name": "Scum"},
        content_type="application/json",
        headers={"X-CSRFToken": api.cookies["csrftoken"].value},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "name" and "“scum”" in response.json()["error"]
    assert not Comment.objects.exists()
