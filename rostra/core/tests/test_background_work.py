"""Tasks run after the transaction commits; e-mail goes out as HTML and plain text."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from rostra.core.email import build_email
from rostra.core.tasks import enqueue_on_commit, send_email_task

pytestmark = pytest.mark.django_db


def _enqueue_test_message(to):
    enqueue_on_commit(
        send_email_task, template="core/email/test_message", template_context={}, to=[to]
    )


def test_task_runs_only_after_commit(django_capture_on_commit_callbacks):
    """A queued e-mail leaves when the transaction commits, not before."""
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        with transaction.atomic():
            _enqueue_test_message("reader@example.org")
        assert mail.outbox == []
    assert len(after_commit) == 1
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]


def test_rolled_back_work_sends_nothing(django_capture_on_commit_callbacks):
    """Work rolled back takes its queued e-mail with it: nothing is left to run at commit."""
    with (
        django_capture_on_commit_callbacks(execute=True) as after_commit,
        pytest.raises(RuntimeError, match="the request failed"),
        transaction.atomic(),
    ):
        _enqueue_test_message("reader@example.org")
        raise RuntimeError("the request failed")
    assert after_commit == []
    assert mail.outbox == []


def test_email_has_subject_text_and_html_parts(settings):
    settings.SITE_NAME = "Harbour Herald"
    message = build_email(
        template="core/email/test_message",
        context={},
        to=["editor@example.org"],
        headers={"X-Rostra": "1"},
    )
    assert message.subject == "Test message from Harbour Herald"
    assert "outgoing mail (EMAIL_URL) works" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<a href=" in html and "Harbour Herald" in html
    assert message.extra_headers["X-Rostra"] == "1"


def test_testmail_command_sends_through_the_configured_backend(capsys):
    call_command("testmail", "operator@example.org")
    assert mail.outbox[0].to == ["operator@example.org"]
    assert "Sent 1 test message" in capsys.readouterr().out
