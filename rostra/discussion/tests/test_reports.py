"""Readers report comments: one report per reader and comment, rate-limited; enough
distinct readers hold a published comment; a report of illegal content (a DSA notice)
needs an explanation and an address, is acknowledged, and is told the decision."""

from dataclasses import replace

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from rostra.discussion import services
from rostra.discussion.models import (
    Comment,
    CommentStatus,
    HoldReason,
    ModerationDecision,
    ModerationTrigger,
    Report,
    ReportReason,
    Thread,
)
from rostra.discussion.services import DiscussionError
from rostra.discussion.testing import TEST_POLICY, guest, post, staff

pytestmark = pytest.mark.django_db


def report(comment, viewer=None, reason=ReportReason.ABUSE, policy=TEST_POLICY, **kwargs):
    return services.comment_report(
        comment=comment, viewer=viewer or guest(), policy=policy, reason=reason, **kwargs
    )


def test_three_distinct_readers_hold_a_published_comment(thread):
    """Two reports leave it published; the third reader's holds it, logged as Rostra's
    decision with the trigger "report", and the thread's version moves."""
    comment = post(thread, body="You are all bums.")
    for _ in range(2):
        assert not report(comment).held
    version = Thread.objects.get(pk=thread.pk).version
    outcome = report(comment, reason=ReportReason.SPAM)
    assert outcome.held and outcome.created
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert comment.held_because == HoldReason.REVIEW
    (entry,) = ModerationDecision.objects.filter(comment=comment)
    assert (entry.trigger, entry.from_status, entry.to_status) == (
        ModerationTrigger.REPORT,
        CommentStatus.APPROVED,
        CommentStatus.PENDING,
    )
    assert entry.moderator_id is None and "3 readers" in entry.note
    assert Thread.objects.get(pk=thread.pk).version > version


def test_the_threshold_is_a_setting_and_counts_only_open_reports(thread):
    """With a threshold of 2, two readers hold it; once a moderator approves it again
    those reports are answered, and it takes two new readers to hold it again."""
    policy = replace(TEST_POLICY, reports_to_hold=2)
    comment = post(thread, body="Borderline.")
    report(comment, policy=policy)
    assert report(comment, policy=policy).held
    services.comment_moderate(comments=[comment], viewer=staff(), status="approved")
    assert not Report.objects.filter(comment=comment, resolved_by__isnull=True).exists()
    assert not report(comment, policy=policy).held
    assert report(comment, policy=policy).held


def test_a_second_report_by_the_same_reader_changes_nothing(thread):
    """One report per reader and comment: the second says "already reported" and
    counts for nothing."""
    comment = post(thread)
    reader = guest()
    assert report(comment, reader).created
    again = report(comment, reader, reason=ReportReason.SPAM)
    assert not again.created and "already reported" in again.message
    assert Report.objects.filter(comment=comment).count() == 1


def test_reports_are_rate_limited_per_reader(thread):
    """Beyond the limit, a reader's reports are refused with 429 and none is stored."""
    policy = replace(TEST_POLICY, report_rate_limit=(2, 3600))
    reader = guest()
    comments = [post(thread, body=f"Comment {n}.") for n in range(3)]
    report(comments[0], reader, policy=policy)
    report(comments[1], reader, policy=policy)
    with pytest.raises(DiscussionError) as refused:
        report(comments[2], reader, policy=policy)
    assert refused.value.status == 429
    assert not Report.objects.filter(comment=comments[2]).exists()


def test_readers_cannot_report_what_they_cannot_see_or_their_own(thread):
    """A held, removed or deleted comment cannot be reported (404, as if absent); nor
    one's own (403, also for a shadow-banned author, who must not learn of the ban);
    a browser without a cookie is asked to enable them. Nothing is stored."""
    author = guest()
    held = post(thread, author, body="Held.")
    Comment.objects.filter(pk=held.pk).update(status=CommentStatus.PENDING)
    held.refresh_from_db()
    with pytest.raises(DiscussionError) as refused:
        report(held)
    assert refused.value.status == 404
    own = post(thread, author, body="Mine.")
    Comment.objects.filter(pk=own.pk).update(status=CommentStatus.SHADOWED)
    own.refresh_from_db()
    with pytest.raises(DiscussionError) as refused:
        report(own, author)
    assert refused.value.status == 403 and "your own" in refused.value.message
    with pytest.raises(DiscussionError) as refused:
        services.comment_report(comment=own, viewer=None, policy=TEST_POLICY, reason="spam")
    assert refused.value.status == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": "because"}, "reason"),
        ({"reason": ReportReason.ILLEGAL, "email": "me@example.org"}, "explanation"),
        ({"reason": ReportReason.ILLEGAL, "explanation": "Libel."}, "email"),
        ({"reason": ReportReason.ILLEGAL, "explanation": "Libel.", "email": "me@"}, "email"),
        ({"reason": ReportReason.OTHER, "note": "x" * 2001}, "note"),
        ({"reason": ReportReason.OTHER, "note": "half an emoji \ud83d"}, "note"),
    ],
)
def test_bad_reports_are_refused_with_the_field_to_change(thread, fields, field):
    """An unknown reason, an illegal-content notice without explanation or a valid
    address, an over-long note: 400 naming the field; nothing stored."""
    comment = post(thread)
    with pytest.raises(DiscussionError) as refused:
        services.comment_report(comment=comment, viewer=guest(), policy=TEST_POLICY, **fields)
    assert refused.value.field == field and refused.value.status == 400
    assert not Report.objects.exists()


def test_an_illegal_content_notice_is_acknowledged_and_told_the_decision_after_commit(
    thread, home, django_capture_on_commit_callbacks
):
    """The acknowledgement leaves after the commit, once; when a moderator decides on
    the comment, the reporter is e-mailed the decision after that commit, once."""
    comment = post(thread, body="He stole the money, everyone knows.")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = report(
            comment,
            reason=ReportReason.ILLEGAL,
            explanation="Defamation of a named person.",
            email="notice@example.org",
        ).report
    # The moderators' alert (nobody here chose alerts) and the acknowledgement.
    assert mail.outbox == [] and len(callbacks) == 2
    for callback in callbacks * 2:  # a task run twice sends once
        callback()
    (acknowledgement,) = mail.outbox
    assert acknowledgement.to == ["notice@example.org"]
    assert "received your notice" in acknowledgement.subject
    assert "Defamation of a named person." in acknowledgement.body
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.comment_moderate(
            comments=[comment], viewer=staff(), status="removed", reason="illegal"
        )
    assert len(mail.outbox) == 1
    for callback in callbacks:
        callback()
    callbacks[-1]()
    decided = [m for m in mail.outbox if m.subject.startswith("Our decision")]
    assert len(decided) == 1 and decided[0].to == ["notice@example.org"]
    assert "no longer published" in decided[0].body and "Illegal content" in decided[0].body
    notice.refresh_from_db()
    assert notice.resolved_by.to_status == CommentStatus.REMOVED


def test_other_reports_send_no_mail(thread, home, django_capture_on_commit_callbacks):
    """Only notices of illegal content carry an address and get e-mails."""
    comment = post(thread)
    with django_capture_on_commit_callbacks(execute=True):
        report(comment, reason=ReportReason.SPAM)
        services.comment_moderate(comments=[comment], viewer=staff(), status="spam")
    assert mail.outbox == []


def _api_client():
    client = Client(enforce_csrf_checks=True)
    client.get("/api/csrf")
    return client


def _csrf(client):
    return {"X-CSRFToken": client.cookies["csrftoken"].value}


def test_reporting_through_the_api(thread):
    """201 with the report; the same reader again: 409; a bad reason: 422; a notice
    without explanation: 400 naming the field; a held comment: 404; no CSRF: 403."""
    comment = post(thread)
    client = _api_client()
    url = f"/api/comments/{comment.pk}/reports"
    created = client.post(
        url, {"reason": "abuse", "note": "Insults."}, "application/json", headers=_csrf(client)
    )
    assert created.status_code == 201, created.content
    assert created.json()["comment"] == comment.pk and created.json()["reason"] == "abuse"
    again = client.post(url, {"reason": "spam"}, "application/json", headers=_csrf(client))
    assert again.status_code == 409 and "already reported" in again.json()["error"]
    other = _api_client()
    bad = client.post(url, {"reason": "nope"}, "application/json", headers=_csrf(other))
    assert bad.status_code in (403, 422)
    bad = other.post(url, {"reason": "nope"}, "application/json", headers=_csrf(other))
    assert bad.status_code == 422 and bad.json()["field"] == "reason"
    notice = other.post(url, {"reason": "illegal"}, "application/json", headers=_csrf(other))
    assert notice.status_code == 400 and notice.json()["field"] == "explanation"
    assert other.post(url, {"reason": "spam"}, "application/json").status_code == 403
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.PENDING)
    gone = other.post(url, {"reason": "spam"}, "application/json", headers=_csrf(other))
    assert gone.status_code == 404
    assert Report.objects.count() == 1


def test_the_api_schema_documents_reports(client):
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/comments/{comment_id}/reports"]["post"]
    assert {"201", "409", "400", "404", "429"} <= set(operation["responses"])


def test_the_card_offers_report_on_published_comments(client, thread):
    """Every reader's card of a published comment links to its report page."""
    comment = post(thread, body="Reportable.")
    html = client.get(thread.article.url).content.decode()
    assert f'href="{reverse("discussion:report", args=[comment.pk])}"' in html


def test_reporting_without_javascript(client, thread):
    """The report page shows the comment and the form; a refusal keeps what the reader
    typed; a sent report redirects to the comment with the thanks."""
    comment = post(thread, body="Look at this.")
    url = reverse("discussion:report", args=[comment.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Look at this." in page.content.decode()
    refused = client.post(url, {"reason": "illegal", "explanation": "Libel of my neighbour."})
    assert refused.status_code == 400
    assert "Libel of my neighbour." in refused.content.decode()
    assert "e-mail address" in refused.content.decode()
    sent = client.post(url, {"reason": "abuse"}, follow=True)
    assert sent.redirect_chain[0][0].endswith(f"?comment={comment.pk}#comment-{comment.pk}")
    assert "Thanks, a moderator will look at it." in sent.content.decode()
    assert Report.objects.get().reason == ReportReason.ABUSE


def test_reporting_with_htmx_swaps_a_thank_you_in_place(client, thread):
    """With htmx the link is replaced by the form, and the form by the thanks."""
    comment = post(thread)
    url = reverse("discussion:report", args=[comment.pk])
    htmx = {"HX-Request": "true"}
    form = client.get(url, headers=htmx).content.decode()
    assert form.lstrip().startswith("<form") and 'hx-post="' in form
    refused = client.post(url, {"reason": "x"}, headers=htmx)
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    sent = client.post(url, {"reason": "spam"}, headers=htmx).content.decode()
    assert "Thanks, a moderator will look at it." in sent
    again = client.post(url, {"reason": "spam"}, headers=htmx).content.decode()
    assert "already reported" in again


def test_the_report_page_of_a_hidden_comment_is_not_found(client, thread):
    comment = post(thread)
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.SPAM)
    assert client.get(reverse("discussion:report", args=[comment.pk])).status_code == 404
    assert (
        client.post(reverse("discussion:report", args=[comment.pk]), {"reason": "spam"}).status_code
        == 404
    )
