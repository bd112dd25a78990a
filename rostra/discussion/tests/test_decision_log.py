"""Every moderation decision is logged: who, when, from which status to which, why and
what set it off; authors of rejected comments may be told why (statement of reasons)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail

from rostra.discussion import selectors, services
from rostra.discussion.admin_views import staff_viewer
from rostra.discussion.identity import Viewer
from rostra.discussion.models import (
    Comment,
    CommentStatus,
    ModerationDecision,
    ModerationReason,
    ModerationTrigger,
)
from rostra.discussion.services import DiscussionError
from rostra.discussion.testing import guest, post, site_settings_save, staff

pytestmark = pytest.mark.django_db


def test_each_decision_records_who_when_from_to_reason_and_trigger(thread):
    """One entry per comment: the moderator's name, the status before and after, the
    preset reason, the note and "a moderator" as the trigger."""
    first, second = post(thread, body="One."), post(thread, body="Two.")
    Comment.objects.filter(pk=second.pk).update(status=CommentStatus.PENDING)
    services.comment_moderate(
        comments=[first, second],
        viewer=staff(),
        status=CommentStatus.SPAM,
        reason=ModerationReason.SPAM,
        note="Pills again.",
    )
    log = list(ModerationDecision.objects.order_by("comment_id"))
    assert [(d.comment_id, d.from_status, d.to_status) for d in log] == [
        (first.pk, CommentStatus.APPROVED, CommentStatus.SPAM),
        (second.pk, CommentStatus.PENDING, CommentStatus.SPAM),
    ]
    entry = log[0]
    assert entry.moderator_name == "Editor" and entry.moderator_id == staff().user_id
    assert (entry.reason, entry.note) == (ModerationReason.SPAM, "Pills again.")
    assert entry.trigger == ModerationTrigger.MODERATOR
    assert entry.author_key == first.author_key and entry.decided_at is not None


def test_a_later_decision_keeps_the_earlier_ones(thread):
    """The status is overwritten; the history is not."""
    comment = post(thread, body="Borderline.")
    for status in (CommentStatus.REMOVED, CommentStatus.APPROVED):
        services.comment_moderate(comments=[comment], viewer=staff(), status=status)
    steps = [(d.from_status, d.to_status) for d in selectors.comment_decisions(comment.pk)]
    assert steps == [
        (CommentStatus.APPROVED, CommentStatus.REMOVED),
        (CommentStatus.REMOVED, CommentStatus.APPROVED),
    ]


def test_moderating_needs_the_moderation_permission_not_only_staff(thread):
    """A staff flag without the permission, or a reader, is refused and nothing is
    changed or logged; an unknown reason is refused too."""
    comment = post(thread, body="Keep me.")
    for viewer in (Viewer(key="u:5", user_id=5, is_staff=True), guest()):
        with pytest.raises(DiscussionError) as refused:
            services.comment_moderate(comments=[comment], viewer=viewer, status="spam")
        assert refused.value.status == 403
    with pytest.raises(DiscussionError):
        services.comment_moderate(
            comments=[comment], viewer=staff(), status="spam", reason="because"
        )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    assert not ModerationDecision.objects.exists()


def test_the_admin_viewer_carries_the_permissions_of_the_moderators_group(db):
    """A user given the comment permission through a group may moderate; a plain staff
    user may not."""
    users = get_user_model().objects
    plain = users.create_user("plain", "p@example.org", "pw", is_staff=True)
    moderator = users.create_user("mod", "m@example.org", "pw")
    moderator.user_permissions.add(
        Permission.objects.get(codename="change_comment", content_type__app_label="discussion")
    )
    moderator = users.get(pk=moderator.pk)  # permissions are cached per instance
    assert not staff_viewer(plain).may("discussion.change_comment")
    assert staff_viewer(moderator).may("discussion.change_comment")


def test_the_commenters_history_counts_approved_held_and_rejected(thread):
    author = guest("Rita")
    comments = [post(thread, author, body=f"Comment {n}.") for n in range(4)]
    services.comment_moderate(comments=comments[:2], viewer=staff(), status="spam")
    Comment.objects.filter(pk=comments[2].pk).update(status=CommentStatus.PENDING)
    history = selectors.commenter_history(author.key)
    assert (history.approved, history.pending, history.rejected) == (1, 1, 2)


@pytest.fixture
def statement_of_reasons(home):
    return site_settings_save(statement_of_reasons=True)


def reject(comment, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comments=[comment], viewer=staff(), status="removed", **kwargs)


def test_a_statement_of_reasons_tells_the_author_why_after_the_commit(
    thread, statement_of_reasons, django_capture_on_commit_callbacks
):
    """With the setting on, the author who left an e-mail address is sent the preset
    reason and the note, once; nothing leaves before the commit."""
    comment = post(thread, body="You are all idiots.", email="rita@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.comment_moderate(
            comments=[comment],
            viewer=staff(),
            status="removed",
            reason=ModerationReason.ABUSE,
            note="Insults other readers.",
        )
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    callbacks[0]()  # a task run twice sends once
    (message,) = mail.outbox
    assert message.to == ["rita@example.org"]
    assert "was not published" in message.subject
    assert "Abuse or harassment" in message.body and "Insults other readers." in message.body
    assert "You are all idiots." in message.body


def test_no_statement_without_the_setting_an_address_or_a_rejection(
    thread, django_capture_on_commit_callbacks, statement_of_reasons
):
    """Approving sends nothing; neither does a rejection of a comment without an
    address, nor any rejection once the setting is off."""
    with_address = post(thread, body="Fine.", email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_moderate(comments=[with_address], viewer=staff(), status="approved")
    reject(post(thread, body="No address."), django_capture_on_commit_callbacks)
    assert mail.outbox == []
    statement_of_reasons.statement_of_reasons = False
    statement_of_reasons.save()
    reject(with_address, django_capture_on_commit_callbacks)
    assert mail.outbox == []


@pytest.fixture
def moderator_client(client):
    user = get_user_model().objects.create_superuser("moderator", "m@example.org", "pw")
    client.force_login(user)
    return client


def test_the_admin_logs_the_reason_and_shows_the_log_on_the_comment(moderator_client, thread):
    """Saving a status with a reason and a note logs them under the moderator's name;
    the comment's edit and inspect views show the log and the commenter's history."""
    comment = post(thread, body="Off topic rant.")
    url = f"/admin/snippets/discussion/comment/edit/{comment.pk}/"
    response = moderator_client.post(
        url, {"status": "removed", "reason": "off-topic", "note": "Not about the road."}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    (entry,) = ModerationDecision.objects.all()
    assert (entry.moderator_name, entry.reason, entry.note) == (
        "moderator",
        ModerationReason.OFF_TOPIC,
        "Not about the road.",
    )
    for page in (url, f"/admin/snippets/discussion/comment/inspect/{comment.pk}/"):
        html = moderator_client.get(page).content.decode()
        assert "Decision log" in html and "Not about the road." in html, page
        assert "0 approved, 0 awaiting moderation, 1 rejected" in html, page
