"""Every change a reader could see moves the thread's version in the same transaction;
reads and refused writes leave it alone."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from rostra.discussion import selectors, services
from rostra.discussion.identity import Viewer
from rostra.discussion.inline import anchors_follow_article
from rostra.discussion.models import CommentStatus, Moderation, Thread
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.discussion.tests.test_inline_feedback import PARAGRAPH, QUESTION, selection
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


def version(thread) -> int:
    return selectors.thread_version(thread.pk)


def moves(thread, change) -> int:
    before = version(thread)
    change()
    return version(thread) - before


def test_posting_a_comment_or_a_held_comment_moves_the_version(thread):
    assert moves(thread, lambda: post(thread, body="Published at once.")) == 1
    held_policy = replace(TEST_POLICY, moderation=Moderation.FIRST_TIME)
    assert moves(thread, lambda: post(thread, guest(), body="Held.", policy=held_policy)) == 1


def test_a_shadowed_comment_and_removing_everything_by_a_commenter_move_the_version(thread):
    """The shadow-banned author's page changes; removing everything moves each thread
    the commenter wrote in once."""
    from rostra.discussion.models import BanKind
    from rostra.discussion.services.bans import ban_create, commenter_remove_everything

    author = guest()
    post(thread, author, body="Before the ban.")
    ban_create(viewer=staff(), kind=BanKind.GUEST, value=author.key, shadow=True)
    assert moves(thread, lambda: post(thread, author, body="Shadowed.")) == 1
    assert (
        moves(
            thread,
            lambda: commenter_remove_everything(author_key=author.key, viewer=staff()),
        )
        == 1
    )


def test_editing_and_deleting_move_the_version(thread):
    author = guest()
    comment = post(thread, author, body="Frist.")
    assert (
        moves(
            thread,
            lambda: services.comment_edit(
                comment=comment, viewer=author, policy=TEST_POLICY, body="First."
            ),
        )
        == 1
    )
    assert (
        moves(
            thread,
            lambda: services.comment_delete(comment=comment, viewer=author, policy=TEST_POLICY),
        )
        == 1
    )


def test_a_refused_edit_leaves_the_version_alone(thread):
    comment = post(thread, guest(), body="Mine.")
    with pytest.raises(services.DiscussionError):
        services.comment_edit(comment=comment, viewer=guest(), policy=TEST_POLICY, body="Theirs.")
    assert version(thread) == 1


def test_each_moderation_decision_and_closing_move_the_version(thread):
    comment = post(thread, body="Judge me.")
    for status in (CommentStatus.SPAM, CommentStatus.APPROVED, CommentStatus.REMOVED):
        assert (
            moves(
                thread,
                lambda status=status: services.comment_moderate(
                    comments=[comment], viewer=staff(), status=status
                ),
            )
            == 1
        )
    assert (
        moves(
            thread, lambda: services.thread_set_closed(thread=thread, viewer=staff(), closed=True)
        )
        == 1
    )


def test_a_vote_moves_the_version_and_a_repeated_vote_does_not(thread):
    comment = post(thread, body="Vote on me.")
    voter = guest()

    def vote(value):
        return lambda: services.comment_vote(
            comment=comment, viewer=voter, policy=TEST_POLICY, value=value
        )

    assert moves(thread, vote(1)) == 1
    assert moves(thread, vote(1)) == 0
    assert moves(thread, vote(-1)) == 1
    assert moves(thread, vote(0)) == 1


def test_imports_move_the_version_of_each_thread_they_write(thread, section):
    other = services.thread_for_article(make_article(section, "Another story"))
    when = timezone.now() - timedelta(days=3)

    def item(thread_id, n, **more):
        return services.ImportedComment(
            thread_id=thread_id,
            author_key=f"import:{n}",
            author_name=f"Commenter {n}",
            body_source=f"Imported {n}.",
            body_html=f"<p>Imported {n}.</p>",
            created_at=when,
            **more,
        )

    places = services.comments_import([item(thread.pk, 1), item(other.pk, 2)], max_depth=5)
    assert (version(thread), version(other)) == (1, 1)
    services.comment_update_imported(places[0].id, item(thread.pk, 1, upvotes=4))
    assert (version(thread), version(other)) == (2, 1)
    assert services.votes_import([(places[1].id, "import-voter", 1)]) == 1
    assert (version(thread), version(other)) == (2, 2)
    services.thread_update_imported(thread.pk, title="Renamed", is_closed=True)
    assert version(thread) == 3
    reply = services.comments_import([item(thread.pk, 3)], max_depth=5)[0]
    assert (
        moves(thread, lambda: services.comment_reparent(reply.id, places[0].id, max_depth=5)) == 1
    )


def test_anchors_moving_with_an_article_edit_move_the_version(section):
    article = make_article(section, "Flood barrier", text=PARAGRAPH)
    article.body = [("paragraph", f"<p>{PARAGRAPH}</p>"), ("paragraph", f"<p>{QUESTION}</p>")]
    article.save_revision().publish()
    thread = services.thread_for_article(article)
    post(thread, body="Rain!", passage=selection(article))
    assert moves(thread, lambda: anchors_follow_article(article)) == 0  # nothing moved
    block_id = article.body[0].id
    article.body = [
        {"type": "paragraph", "value": f"<p>Update: 7-2. {PARAGRAPH}</p>", "id": block_id},
        {"type": "paragraph", "value": f"<p>{QUESTION}</p>", "id": article.body[1].id},
    ]
    article.save_revision().publish()
    assert moves(thread, lambda: anchors_follow_article(article)) == 1


def test_the_article_validator_follows_the_version(article, thread):
    assert selectors.article_thread_version(article.pk) == "thread 0"
    post(thread, body="Hello.")
    assert selectors.article_thread_version(article.pk) == "thread 1"
    assert selectors.thread_version(Thread.objects.order_by("-pk").first().pk + 1) == 0


def test_a_report_moves_the_version_only_when_it_holds_the_comment(thread):
    """Reports below the threshold change nothing a reader sees; the one that holds
    the comment moves the version once."""
    comment = post(thread, body="Reported.")
    policy = replace(TEST_POLICY, reports_to_hold=2)

    def report():
        services.comment_report(comment=comment, viewer=guest(), policy=policy, reason="spam")

    assert moves(thread, report) == 0
    assert moves(thread, report) == 1


def test_picking_pinning_and_account_changes_move_the_version(thread, django_user_model):
    """Editor's picks, the pinned comment and what badges are made of (an account's staff
    status, the article's byline) are in every reader's cards."""
    user = django_user_model.objects.create_user("ana", "ana@example.org", "pw")
    reader = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name="Ana")
    comment = post(thread, reader, body="Pick me.")
    assert moves(thread, lambda: services.comment_pick(comment=comment, viewer=staff())) == 1
    assert moves(thread, lambda: services.comment_pin(comment=comment, viewer=staff())) == 1
    user.is_staff = True
    assert moves(thread, user.save) == 1
    assert moves(thread, lambda: user.save(update_fields=["last_login"])) == 0
    assert moves(thread, lambda: thread.article.save_revision().publish()) == 1
