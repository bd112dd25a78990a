"""The moderators' side in the site's language (#19): alert e-mails, sent by the worker
outside any request, follow the active language (LANGUAGE_CODE there) with its date
format; a ban's refusal names its end in that format; counts in the ban form's message
and the bulk actions' message are plurals, not "(s)"."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from rostra.discussion.admin_bans import _commenter_banned
from rostra.discussion.admin_views import ApproveBulkAction
from rostra.discussion.alert_mail import alert_emails_send, digests_send
from rostra.discussion.models import (
    AlertFrequency,
    BanDuration,
    BanKind,
    Comment,
    CommentStatus,
    ModeratorAlert,
    ThreadHold,
)
from rostra.discussion.services import DiscussionError, alert_preference_set
from rostra.discussion.services.bans import ban_check, ban_create
from rostra.discussion.services.roles import moderators_group_ensure
from rostra.discussion.testing import guest, post, staff

pytestmark = pytest.mark.django_db
POSTED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# Django's own German formats and month names: "j. F Y H:i" for DATETIME_FORMAT.
GERMAN_POSTED = "1. März 2026"


@pytest.fixture
def held_comment(thread, django_capture_on_commit_callbacks, django_user_model):
    thread.hold_mode = ThreadHold.HOLD_ALL
    thread.save()
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread, body="Wait for a moderator, please.")
    assert comment.status == CommentStatus.PENDING
    Comment.objects.filter(pk=comment.pk).update(created_at=POSTED)
    return comment


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    user.groups.add(moderators_group_ensure())
    return user


def test_an_alert_email_dates_the_comment_in_the_active_languages_format(held_comment, moderator):
    """Rendered under German, the alert's date is German ("1. März 2026"), not a fixed
    English pattern ("1 March 2026" / "1 März 2026, 12:00")."""
    alert_preference_set(user=moderator, frequency=AlertFrequency.EACH)
    alert = ModeratorAlert.objects.get(comment=held_comment)
    with translation.override("de"):
        assert alert_emails_send([alert.pk], owner="test") == 1
    (message,) = mail.outbox
    assert GERMAN_POSTED in message.body and "Wait for a moderator, please." in message.body


def test_the_hourly_digest_follows_language_code_when_no_language_is_active(
    held_comment, moderator
):
    """The worker activates no language: the digest follows LANGUAGE_CODE (nothing
    forces English), here German dates."""
    alert_preference_set(user=moderator, frequency=AlertFrequency.HOURLY)
    ModeratorAlert.objects.filter(comment=held_comment).update(created_at=POSTED)
    with override_settings(LANGUAGE_CODE="de"):  # resets the active language too
        assert translation.get_language() == "de"
        assert digests_send(datetime(2026, 3, 1, 13, 5, tzinfo=UTC), owner="test") == 1
    (message,) = mail.outbox
    assert GERMAN_POSTED in message.body


def test_a_timed_ban_names_its_end_in_the_active_languages_date_format():
    """A banned reader is told until when, as their language writes a date."""
    reader = guest()
    ban_create(
        viewer=staff(),
        kind=BanKind.GUEST,
        value=reader.key,
        duration=BanDuration.DAY,
        now=datetime(2026, 2, 28, 12, 0, tzinfo=UTC),
    )
    with translation.override("de"), pytest.raises(DiscussionError) as refused:
        ban_check(reader, "", datetime(2026, 2, 28, 13, 0, tzinfo=UTC))
    assert refused.value.status == 403 and GERMAN_POSTED in refused.value.message


def test_counts_in_moderators_messages_are_plurals():
    """One ban reads "1 ban added", several "2 bans added"; one comment "1 comment"."""
    keep = {"remove_everything": False}
    remove = {"remove_everything": True}
    assert _commenter_banned("Ann", 1, keep) == "Ann: 1 ban added."
    assert _commenter_banned("Ann", 2, remove) == "Ann: 2 bans added, their comments removed."
    assert _commenter_banned("Ann", 0, remove) == "Ann: their comments removed."
    action = ApproveBulkAction.__new__(ApproveBulkAction)
    assert action.get_success_message(1, 0) == "1 comment now: Approved."
    assert action.get_success_message(3, 0) == "3 comments now: Approved."
