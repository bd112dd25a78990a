"""The moderation queue: the admin's comment list opens on what needs attention,
shows each comment with its context, reports, hold reasons and commenter history, and
acts in one click per row with an Undo, each a decision in the log."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rostra.discussion import services
from rostra.discussion.models import (
    Ban,
    BanDuration,
    Comment,
    CommentStatus,
    ModerationDecision,
    ModerationTrigger,
    Report,
)
from rostra.discussion.services.queue_actions import UNDO_GRACE, queue_act, queue_undo
from rostra.discussion.testing import TEST_POLICY, guest, post, site_settings_save, staff

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/discussion/comment/"


@pytest.fixture
def moderator_client(client):
    user = get_user_model().objects.create_superuser("moderator", "m@example.org", "pw")
    client.force_login(user)
    return client


def hold(comment):
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.PENDING)


def report(comment, reason="abuse", **kwargs):
    return services.comment_report(
        comment=comment, viewer=guest(), policy=TEST_POLICY, reason=reason, **kwargs
    )


def act(client, comment, **data):
    return client.post(
        f"/admin/discussion/queue/{comment.pk}/", data, headers={"HX-Request": "true"}
    )


def test_the_queue_opens_on_held_and_reported_comments_oldest_first(moderator_client, thread):
    """Held comments and published ones with open reports, oldest first; a plain
    published comment only under another filter."""
    reported = post(thread, body="Reported first.")
    held = post(thread, body="Held second.")
    post(thread, body="Quietly published.")
    hold(held)
    report(reported)
    html = moderator_client.get(QUEUE).content.decode()
    assert "Reported first." in html and "Held second." in html
    assert "Quietly published." not in html
    assert html.index("Reported first.") < html.index("Held second.")
    everything = moderator_client.get(QUEUE, {"status": "any"}).content.decode()
    assert "Quietly published." in everything
    approved = moderator_client.get(QUEUE, {"status": "approved"}).content.decode()
    assert "Held second." not in approved and "Quietly published." in approved


def test_a_row_shows_the_comment_in_context_with_its_reports_and_history(moderator_client, thread):
    """The rendered comment (its HTML, not Markdown) cut at a word with an ellipsis,
    the article and the parent it answers, a link to it in context, the reports and
    their reasons, the reason it was held, and the commenter's history with a link to
    all their comments."""
    parent = post(thread, body="The parent comment.")
    author = guest("Rita")
    long_text = "**Strong** words " + " ".join(f"word{n}" for n in range(120))
    comment = post(thread, author, body=long_text, parent_id=parent.pk, name="Rita")
    post(thread, author, body="An earlier one.", name="Rita")
    report(comment, reason="spam")
    report(comment, reason="off-topic", note="Not about the harbour.")
    report(comment, reason="spam")
    html = moderator_client.get(QUEUE).content.decode()
    assert "<strong>Strong</strong> words" in html and "**Strong**" not in html
    assert "word77…" in html and "word78" not in html
    assert "In reply to <strong>Reader</strong>" in html and "The parent comment." in html
    assert f"?comment={comment.pk}#comment-{comment.pk}" in html
    assert "Reported</strong> by 3" in html and "Spam or advertising ×2" in html
    assert "Not about the harbour." in html
    assert "Readers&#x27; reports: approved → awaiting moderation" in html
    assert "Reported by 3 readers" in html
    assert "1 approved, 0 rejected, 1 waiting" in html
    assert f"author_key={author.key}" in html


def test_one_click_approves_and_undo_puts_it_back_each_logged(moderator_client, thread):
    """Approve acts at once (no confirmation page) and answers the reports; Undo sets
    the status back and reopens them; both are decisions of the moderator."""
    comment = post(thread, body="Borderline.")
    for _ in range(3):
        report(comment)
    done = act(moderator_client, comment, action="approve")
    assert done.status_code == 200 and "Approved." in done.content.decode()
    assert "Undo" in done.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert not Report.objects.filter(resolved_by__isnull=True).exists()
    decision = ModerationDecision.objects.latest("pk")
    undone = act(moderator_client, comment, action="undo", decision=decision.pk)
    assert undone.status_code == 200 and "Approve" in undone.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert Report.objects.filter(resolved_by__isnull=True).count() == 3
    steps = list(ModerationDecision.objects.values_list("trigger", "to_status", "note"))
    assert steps[-2:] == [
        (ModerationTrigger.MODERATOR, CommentStatus.APPROVED, ""),
        (ModerationTrigger.MODERATOR, CommentStatus.PENDING, "Undo: back to awaiting moderation."),
    ]


def test_spam_remove_and_ban_in_one_click(moderator_client, thread):
    """Spam and Remove set their status; Ban bans the commenter's identity for 7 days
    and removes the comment; its Undo lifts the ban and restores the comment."""
    spam, removed, banned = (post(thread, body=f"Row {n}.") for n in range(3))
    act(moderator_client, spam, action="spam")
    act(moderator_client, removed, action="remove")
    done = act(moderator_client, banned, action="ban")
    assert "banned (7 days)" in done.content.decode()
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {
        spam.pk: CommentStatus.SPAM,
        removed.pk: CommentStatus.REMOVED,
        banned.pk: CommentStatus.REMOVED,
    }
    (ban,) = Ban.objects.all()
    assert ban.value == banned.author_key and ban.expires_at is not None
    decision = ModerationDecision.objects.filter(comment=banned).latest("pk")
    assert decision.trigger == ModerationTrigger.BAN
    act(moderator_client, banned, action="undo", decision=decision.pk, bans=str(ban.pk))
    ban.refresh_from_db()
    banned.refresh_from_db()
    assert ban.lifted_at is not None and banned.status == CommentStatus.APPROVED


def test_the_undo_window_and_the_ban_length_are_the_settings(moderator_client, thread):
    """The discussion settings' undo window reaches the Undo button (which the queue's
    script removes when it has passed) and bounds Undo on the server; the one-click Ban
    lasts the settings' queue ban length."""
    site_settings_save(undo_seconds=3, queue_ban_duration=BanDuration.MONTH)
    banned, kept = post(thread, body="Ban me."), post(thread, body="Remove me.")
    done = act(moderator_client, banned, action="ban").content.decode()
    assert 'data-undo-seconds="3"' in done and "banned (30 days)" in done
    (ban,) = Ban.objects.all()
    assert ban.expires_at - ban.created_at == timedelta(days=30)
    assert ModerationDecision.objects.latest("pk").note == "Commenter banned (30 days)"
    act(moderator_client, kept, action="remove")
    late = ModerationDecision.objects.latest("pk")
    ModerationDecision.objects.filter(pk=late.pk).update(
        decided_at=timezone.now() - timedelta(seconds=3) - UNDO_GRACE - timedelta(seconds=1)
    )
    refused = act(moderator_client, kept, action="undo", decision=late.pk).content.decode()
    assert "too late to undo" in refused
    kept.refresh_from_db()
    assert kept.status == CommentStatus.REMOVED


def test_actions_check_the_moderation_permission(client, thread):
    """A staff user without the comment permission is refused, in the row; nothing
    changes and nothing is logged."""
    user = get_user_model().objects.create_user("intern", "i@example.org", "pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    comment = post(thread)
    refused = act(client, comment, action="remove")
    assert "permission" in refused.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert not ModerationDecision.objects.exists()
    assert act(client, comment, action="bogus").status_code == 200  # refused in the row


def test_unknown_actions_and_decisions_are_refused_in_the_row(moderator_client, thread):
    comment = post(thread)
    assert "Unknown action" in act(moderator_client, comment, action="bogus").content.decode()
    refused = act(moderator_client, comment, action="undo", decision="999")
    assert "no such decision" in refused.content.decode()
    assert moderator_client.post(f"/admin/discussion/queue/{comment.pk + 99}/").status_code == 404


def test_not_spam_on_a_comment_the_filter_held_is_a_moderators_decision(moderator_client, thread):
    """A comment the spam filter held offers "Not spam": a decision like any other
    (trigger moderator, noted), after which the comment counts as legitimate for the
    filter's training."""
    from rostra.discussion.services.decisions import decision
    from rostra.spamfilter.examples import training_examples
    from rostra.spamfilter.training import HAM

    comment = post(thread, body="Is the harbour road open on Sunday mornings?")
    hold(comment)
    decision(
        comment_id=comment.pk,
        author_key=comment.author_key,
        from_status="",
        to_status=CommentStatus.PENDING,
        trigger=ModerationTrigger.FILTER,
        note="spam score 0.91 (spam filter model 1)",
        now=comment.created_at,
    ).save()
    html = moderator_client.get(QUEUE).content.decode()
    assert "Not spam" in html and "spam score 0.91" in html
    act(moderator_client, comment, action="not-spam")
    entry = ModerationDecision.objects.latest("pk")
    assert (entry.trigger, entry.to_status, entry.note) == (
        ModerationTrigger.MODERATOR,
        CommentStatus.APPROVED,
        "Not spam",
    )
    (example,) = [e for e in training_examples() if e.text == comment.body_source]
    assert example.label == HAM


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries)


def test_the_queue_page_costs_the_same_queries_for_3_or_12_comments(moderator_client, thread):
    """Reports, decisions, parents, articles, histories and bans are read for the page
    at once: a longer queue adds no query."""
    policy = replace(TEST_POLICY, reports_to_hold=2)

    def add_rows(n):
        for i in range(n):
            author = guest(f"r{i}")
            parent = post(thread, body="Parent.")
            comment = post(thread, author, body=f"Row {i}.", parent_id=parent.pk)
            services.comment_report(
                comment=comment, viewer=guest(), policy=policy, reason="spam", note="x"
            )
            if i % 2:
                hold(comment)
            Ban.objects.create(kind="guest", value=author.key, created_at=comment.created_at)

    add_rows(3)
    moderator_client.get(QUEUE)  # caches warmed (site, settings, permissions)
    few = _queue_queries(moderator_client)
    add_rows(9)
    assert _queue_queries(moderator_client) == few


def test_moderation_budget_unchanged_by_reports_for_unreported_comments(thread):
    """A moderator's decision looks for open reports once, whatever it decides on."""
    comments = [post(thread, body=f"c{n}") for n in range(3)]
    with CaptureQueriesContext(connection) as one:
        services.comment_moderate(comments=comments[:1], viewer=staff(), status="spam")
    with CaptureQueriesContext(connection) as two:
        services.comment_moderate(comments=comments[1:], viewer=staff(), status="spam")
    assert len(one) == len(two)


def test_the_spam_filters_scores_and_signals_are_shown_in_the_row(moderator_client, thread):
    """What the filter made of a comment (its scores and strongest signals) reaches the
    row through the queue-notes hook."""
    from rostra.spamfilter.models import CommentScore

    comment = post(thread, body="Cheap pills at casino dot example.")
    hold(comment)
    CommentScore.objects.create(
        comment=comment,
        spam=0.93,
        abuse=0.12,
        reasons=[["word: pills", 1.4], ["link to another site", 0.9]],
        action="held",
        created_at=comment.created_at,
        text_hash="x",
        thread_id=thread.pk,
    )
    html = moderator_client.get(QUEUE).content.decode()
    assert (
        "Spam filter: spam 0.93, abuse 0.12; driven by: word: pills, link to another site" in html
    )


def test_decision_emails_wait_out_the_undo_and_an_undone_decision_sends_none(
    thread, settings, django_capture_on_commit_callbacks
):
    """The statement of reasons and the answer to an illegal-content notice are queued
    to run when the queue's Undo is gone (undo window and grace after the decision);
    when they run, the decision that was undone sends nothing and the one that stands
    sends its two e-mails, once however often the worker runs."""
    from django_tasks.base import TaskContext
    from django_tasks_db.models import DBTaskResult

    from rostra.core import queues

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": list(queues.ALL)}
    }
    site_settings_save(statement_of_reasons=True, undo_seconds=8)
    undone, kept = (
        post(thread, body=f"Libel {n}.", email=f"author{n}@example.org") for n in (1, 2)
    )
    for comment in (undone, kept):
        report(comment, reason="illegal", explanation="Defames me.", email="notice@example.org")
    DBTaskResult.objects.all().delete()  # the acknowledgements: not what is tested
    decided_at = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = queue_act(comment=undone, viewer=staff(), action="remove")
        queue_act(comment=kept, viewer=staff(), action="remove")
    queued = DBTaskResult.objects.all()
    assert {task.task_path.rsplit(".", 1)[1] for task in queued} == {
        "statement_of_reasons_send",
        "report_decision_send",
    }
    assert all(task.run_after >= decided_at + timedelta(seconds=8) + UNDO_GRACE for task in queued)
    with django_capture_on_commit_callbacks(execute=True):
        queue_undo(decision_id=outcome.decision_id, viewer=staff())
    # The window has passed: the worker runs each queued task as it stands now (and
    # again, as a run taken back from a lost worker would).
    for queued_task in list(queued) * 2:
        context = TaskContext(task_result=queued_task.task_result)
        queued_task.task.call(context, **queued_task.args_kwargs["kwargs"])
    assert sorted(message.to[0] for message in mail.outbox) == [
        "author2@example.org",
        "notice@example.org",
    ]
