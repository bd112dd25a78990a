"""The filter's modes acting on comments posted through the form and the API (both call
`comment_post`, the one write path)."""

import pytest
from django.test import Client

from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, CommentStatus
from rostra.discussion.testing import guest, post
from rostra.spamfilter.models import CommentScore, FilterAction, FilterMode, SpamFilterSettings

SPAM = "Buy cheap v1agra p1lls, double your money https://cheap-pills.example/buy"
HAM = "“The council should explain it”, says the article: I agree, before the election."


def _mode(mode, **thresholds):
    settings = SpamFilterSettings.load()
    for name, value in {"mode": mode, **thresholds}.items():
        setattr(settings, name, value)
    settings.save()


def _form_post(client, article, body):
    return client.post(
        f"/comments/articles/{article.pk}/post/", {"name": "Ana", "body": body}, follow=True
    )


def _api_post(article, body):
    client = Client(enforce_csrf_checks=True)
    client.get("/api/csrf")
    return client.post(
        "/api/comments",
        {"thread": f"article:{article.pk}", "body": body, "name": "Ana"},
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )


@pytest.mark.django_db
def test_suggest_scores_and_explains_but_holds_nothing(trained, thread):
    """Suggest (the default): the comment is published; its score, version and reasons
    are stored for the queue."""
    comment = post(thread, body=SPAM)
    assert comment.status == CommentStatus.APPROVED
    score = CommentScore.objects.get(comment=comment)
    assert score.model_id == trained.pk and score.action == FilterAction.NONE
    assert score.spam > 0.5
    assert "viagra" in [reason for reason, _ in score.reasons]


@pytest.mark.django_db
def test_off_scores_nothing(trained, thread):
    """Off: comments are neither scored nor held."""
    _mode(FilterMode.OFF)
    comment = post(thread, body=SPAM)
    assert comment.status == CommentStatus.APPROVED
    assert not CommentScore.objects.exists()


@pytest.mark.django_db
def test_hold_through_the_form_tells_the_author_a_moderator_will_look(trained, article):
    """Hold: spam posted with the form waits for a moderator; its author sees it as
    awaiting moderation, with no word of a filter. A legitimate comment that quotes the
    article is published."""
    _mode(FilterMode.HOLD)
    client = Client()
    html = _form_post(client, article, SPAM).content.decode()
    held = Comment.objects.get(body_source=SPAM)
    assert held.status == CommentStatus.PENDING
    assert held.filter_score.action == FilterAction.HELD
    assert "Awaiting moderation" in html
    assert "filter" not in html.lower().split("<body", 1)[1].replace("filters", "")
    _form_post(client, article, HAM)
    assert Comment.objects.get(body_source=HAM).status == CommentStatus.APPROVED


@pytest.mark.django_db
def test_hold_through_the_api(trained, article):
    """The API holds the same comment the same way."""
    _mode(FilterMode.HOLD)
    response = _api_post(article, SPAM)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == CommentStatus.PENDING
    assert _api_post(article, HAM).json()["status"] == CommentStatus.APPROVED


@pytest.mark.django_db
def test_mark_spam_above_the_higher_threshold_and_hold_between(trained, thread):
    """Hold and mark spam: above the spam threshold the comment is marked spam, between
    the two thresholds held; the filter never publishes what the site holds anyway."""
    _mode(FilterMode.HOLD_AND_SPAM, hold_threshold=0.5, spam_threshold=0.99)
    comment = post(thread, body=SPAM)
    score = comment.filter_score
    expected = CommentStatus.SPAM if score.spam >= 0.99 else CommentStatus.PENDING
    assert comment.status == expected
    _mode(FilterMode.HOLD_AND_SPAM, hold_threshold=0.5, spam_threshold=0.51)
    assert post(thread, body=SPAM + " now").status == CommentStatus.SPAM
    _mode(FilterMode.HOLD_AND_SPAM, hold_threshold=0.5, spam_threshold=0.999999)
    assert post(thread, body=SPAM + " today").status == CommentStatus.PENDING


@pytest.mark.django_db
def test_staff_are_never_held_nor_scored(trained, thread, django_user_model):
    """Even with thresholds that would hold everything, staff comments are published
    and not scored."""
    _mode(FilterMode.HOLD_AND_SPAM, hold_threshold=0.01, spam_threshold=0.02)
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    viewer = Viewer(key=f"u:{editor.pk}", user_id=editor.pk, is_staff=True)
    comment = post(thread, viewer, body=SPAM)
    assert comment.status == CommentStatus.APPROVED
    assert not CommentScore.objects.filter(comment=comment).exists()


@pytest.mark.django_db
def test_nothing_happens_while_learning(thread):
    """With too few decisions the version is learning: comments are not scored."""
    from rostra.spamfilter.services import filter_train
    from rostra.spamfilter.testing import corpus, record_decisions

    record_decisions(thread, corpus(ham=60, spam=10))
    model = filter_train(trigger="test")
    assert model.state == "learning" and model.counts == {"ham": 60, "spam": 10, "abuse": 0}
    _mode(FilterMode.HOLD)
    comment = post(thread, guest(), body=SPAM)
    assert comment.status == CommentStatus.APPROVED
    assert not CommentScore.objects.exists()


@pytest.mark.django_db
def test_a_learning_version_is_not_read_again_on_every_post(thread, django_assert_num_queries):
    """While the newest version is still learning, a post costs what it costs with no
    version at all: the process remembers that this version does not score (it read the
    whole version, weights included, on every post)."""
    from rostra.spamfilter.services import filter_train
    from rostra.spamfilter.testing import corpus, record_decisions

    record_decisions(thread, corpus(ham=60, spam=10))
    assert filter_train(trigger="test").state == "learning"
    post(thread, body="Warms the settings and the version.")
    with django_assert_num_queries(7):
        post(thread, body=SPAM)


@pytest.mark.django_db
def test_a_score_is_erased_with_its_comment(trained, thread):
    """A comment's score and reasons (which quote it) go when the comment goes."""
    comment = post(thread, body=SPAM)
    assert CommentScore.objects.filter(comment=comment).exists()
    comment.delete()
    assert not CommentScore.objects.exists()


@pytest.mark.django_db
def test_scoring_adds_two_queries_to_a_post(trained, thread, django_assert_num_queries):
    """A post costs 7 queries (its checks, the ban check, the insert with its tree place,
    the version, the live event); with a version scoring, 2 more: one statement for the
    author's history and the same text
    in another thread lately, and the score's insert; settings and version are kept."""
    post(thread, body="Warms the settings and the version.")
    with django_assert_num_queries(7 + 2):
        post(thread, body=SPAM)


@pytest.mark.django_db
def test_scores_and_versions_stay_out_of_every_export(trained, thread):
    """Neither archive carries a score or the model's weights: the model is learned from
    readers' words and a score's reasons quote them. The private archive names the
    model (version, when and on what it was trained) among its moderation lines."""
    import json

    from rostra.transfer.exporter import archive_lines

    post(thread, body=SPAM)
    for private in (False, True):
        kinds = {json.loads(line).get("type") for line in archive_lines(private=private)}
        assert kinds <= {None, "article", "thread", "comment", "vote", "subscription", "moderation"}
        lines = list(archive_lines(private=private))
        assert not any("viagra" in line and "spam" in line and "reasons" in line for line in lines)
        assert not any("_weights" in line for line in lines)
        models = [line for line in lines if '"spamfilter_model"' in line]
        assert len(models) == (1 if private else 0)
