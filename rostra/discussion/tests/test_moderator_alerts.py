"""Moderators are alerted when a comment is held (or reported): an e-mail at once or an
hourly digest for those who opted in, one-click signed Approve / Reject links that act
once, as their moderator, after a confirmation page; a dashboard panel; a webhook."""

import json
import re
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from rostra.discussion import services
from rostra.discussion.alert_links import alert_link_token
from rostra.discussion.alert_mail import digests_send
from rostra.discussion.models import (
    AlertFrequency,
    Comment,
    CommentStatus,
    ModerationDecision,
    ModerationTrigger,
    ModeratorAlert,
    ModeratorAlertPreference,
    ThreadHold,
)
from rostra.discussion.services import DiscussionError
from rostra.discussion.services.roles import moderators_group_ensure
from rostra.discussion.testing import TEST_POLICY, guest, post

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://\S+/comments/alerts/(\S+)/")


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mo", "mo@example.org", "pw")
    user.groups.add(moderators_group_ensure())
    return user


def opt_in(user, frequency=AlertFrequency.EACH):
    return services.alert_preference_set(user=user, frequency=frequency)


@pytest.fixture
def held_thread(thread):
    thread.hold_mode = ThreadHold.HOLD_ALL
    thread.save()
    return thread


def hold(thread, callbacks, body="Please read me first."):
    with callbacks(execute=True):
        comment = post(thread, body=body)
    assert comment.status == CommentStatus.PENDING
    return comment


def links(message) -> dict[str, str]:
    """The message's Approve and Reject tokens."""
    found = dict(re.findall(rf"^(Approve|Reject): {LINK.pattern}$", message.body, re.M))
    return {"approve": found["Approve"], "reject": found["Reject"]}


def test_a_held_comment_emails_each_opted_in_moderator_with_approve_and_reject_links(
    held_thread, moderator, django_user_model, django_capture_on_commit_callbacks
):
    """Only moderators who chose alerts get one; not moderators who did not, nor users
    without the moderation permission whatever their stored choice."""
    opt_in(moderator)
    quiet = django_user_model.objects.create_user("q", "q@example.org", "pw")
    quiet.groups.add(moderators_group_ensure())
    outsider = django_user_model.objects.create_user("o", "o@example.org", "pw", is_staff=True)
    ModeratorAlertPreference.objects.create(user=outsider, frequency=AlertFrequency.EACH)
    comment = hold(held_thread, django_capture_on_commit_callbacks, "Held for the moderators.")
    (message,) = mail.outbox
    assert message.to == ["mo@example.org"]
    assert "Held for the moderators." in message.body and "(hold mode)" in message.subject
    assert set(links(message)) == {"approve", "reject"}
    assert ModeratorAlert.objects.get().comment_id == comment.pk


def test_no_alert_for_a_published_comment(thread, moderator, django_capture_on_commit_callbacks):
    opt_in(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, body="Published at once.")
    assert mail.outbox == [] and not ModeratorAlert.objects.exists()


def test_nothing_is_sent_when_the_holding_transaction_rolls_back(
    held_thread, moderator, django_capture_on_commit_callbacks
):
    opt_in(moderator)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        post(held_thread, body="Never saved.")
        raise RuntimeError
    assert mail.outbox == []


def test_only_moderators_may_opt_in(django_user_model, moderator):
    outsider = django_user_model.objects.create_user("o", "o@example.org", "pw", is_staff=True)
    with pytest.raises(DiscussionError) as refused:
        opt_in(outsider)
    assert refused.value.status == 403
    assert services.alert_preference_set(user=outsider, frequency="off")
    with pytest.raises(DiscussionError):
        opt_in(moderator, "weekly")


def test_the_approve_link_shows_a_confirmation_page_then_publishes_once_as_its_moderator(
    client, held_thread, moderator, django_capture_on_commit_callbacks
):
    """GET changes nothing (mail scanners fetch links); POST approves it, logged as the
    moderator with the trigger "email"; the same link then refuses (410)."""
    opt_in(moderator)
    comment = hold(held_thread, django_capture_on_commit_callbacks, "Approve me by mail.")
    url = f"/comments/alerts/{links(mail.outbox[0])['approve']}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Approve me by mail." in page.content
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "same-origin"
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    done = client.post(url)
    assert done.status_code == 200 and b"approved" in done.content
    comment.refresh_from_db()
    assert comment.status == CommentStatus.APPROVED
    entry = ModerationDecision.objects.filter(comment=comment).latest("pk")
    assert (entry.trigger, entry.moderator_id) == (ModerationTrigger.EMAIL, moderator.pk)
    assert client.post(url).status_code == 410
    assert client.get(url).status_code == 410


def test_the_reject_link_removes_the_comment(
    held_thread, moderator, django_capture_on_commit_callbacks
):
    opt_in(moderator)
    comment = hold(held_thread, django_capture_on_commit_callbacks)
    services.alert_link_use(links(mail.outbox[0])["reject"])
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED


def test_a_forged_or_tampered_link_is_refused_and_changes_nothing(
    client, held_thread, moderator, django_capture_on_commit_callbacks
):
    opt_in(moderator)
    comment = hold(held_thread, django_capture_on_commit_callbacks)
    token = links(mail.outbox[0])["approve"]
    rest = token.split(":", 1)[1]
    for forged in (token[:-2] + "xx", "e30:" + rest, "nonsense"):
        assert client.post(f"/comments/alerts/{forged}/").status_code == 400
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_an_expired_link_is_refused(held_thread, moderator):
    comment = post(held_thread)
    token = alert_link_token(moderator_id=moderator.pk, comment_id=comment.pk, action="approve")
    with (
        override_settings(MODERATOR_ALERT_LINK_MAX_AGE=timedelta(seconds=-1)),
        pytest.raises(DiscussionError) as refused,
    ):
        services.alert_link_use(token)
    assert refused.value.status == 410 and "expired" in refused.value.message
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_a_link_acts_only_for_a_moderator_who_still_may_moderate(
    held_thread, moderator, django_user_model
):
    """The link names its moderator: one who lost the permission, or a user who never
    had it, cannot act with it (the moderation service checks it)."""
    comment = post(held_thread)
    outsider = django_user_model.objects.create_user("o", "o@example.org", "pw")
    for user in (outsider, moderator):
        token = alert_link_token(moderator_id=user.pk, comment_id=comment.pk, action="approve")
        if user == moderator:
            moderator.groups.clear()
        with pytest.raises(DiscussionError) as refused:
            services.alert_link_use(token)
        assert refused.value.status == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_a_link_does_not_overturn_a_later_decision(held_thread, moderator):
    comment = post(held_thread)
    token = alert_link_token(moderator_id=moderator.pk, comment_id=comment.pk, action="approve")
    Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.SPAM)
    with pytest.raises(DiscussionError) as refused:
        services.alert_link_use(token)
    assert refused.value.status == 409


def test_the_hourly_digest_lists_the_last_hours_alerts_once(
    held_thread, moderator, django_capture_on_commit_callbacks
):
    """Hourly moderators get nothing at once; the digest after the hour lists what still
    waits, each with its links; running it twice sends it once."""
    opt_in(moderator, AlertFrequency.HOURLY)
    first = hold(held_thread, django_capture_on_commit_callbacks, "First held.")
    hold(held_thread, django_capture_on_commit_callbacks, "Second held.")
    decided = hold(held_thread, django_capture_on_commit_callbacks, "Decided already.")
    Comment.objects.filter(pk=decided.pk).update(status=CommentStatus.APPROVED)
    assert mail.outbox == []
    later = timezone.now() + timedelta(hours=1)
    assert digests_send(later, owner="run-1") == 1
    assert digests_send(later, owner="run-2") == 0
    assert digests_send(later + timedelta(minutes=5), owner="run-3") == 0
    (digest,) = mail.outbox
    assert "2 comments waiting" in digest.subject
    assert "First held." in digest.body and "Second held." in digest.body
    assert "Decided already." not in digest.body
    assert len(LINK.findall(digest.body)) == 4
    assert ModeratorAlert.objects.filter(comment=first).exists()


class WebhookReceiver(BaseHTTPRequestHandler):
    """Stands where Slack or Matrix would: keeps each JSON body POSTed to it."""

    received: list

    def do_POST(self):
        self.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    handler = type("Receiver", (WebhookReceiver,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    with override_settings(MODERATION_WEBHOOK_URL=url):
        yield handler.received
    server.shutdown()
    server.server_close()


def test_the_webhook_is_posted_after_the_commit_with_text_and_fields(
    held_thread, webhook, django_capture_on_commit_callbacks
):
    """Nothing leaves inside the transaction; after it, one POST with a `text` that
    Slack and Matrix show (reader text defused) and the comment's facts as fields."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = post(held_thread, body="<!channel> look at <http://spam|this>", name="Mallory")
    assert webhook == []
    for callback in callbacks:
        callback()
    (payload,) = webhook
    assert "1 comment on" in payload["text"] and "<!channel>" not in payload["text"]
    assert "&lt;!channel&gt;" in payload["text"]
    (fields,) = payload["comments"]
    assert fields["id"] == comment.pk and fields["trigger"] == ModerationTrigger.HOLD_MODE
    assert fields["author"] == "Mallory" and fields["admin_url"].endswith(f"/{comment.pk}/")
    from rostra.discussion.tasks import moderation_webhook_task

    moderation_webhook_task.call(alert_ids=[ModeratorAlert.objects.get().pk])
    assert len(webhook) == 1  # a second run posts nothing again


def test_the_dashboard_panel_shows_held_and_reported_comments_and_the_way_to_the_queue(
    client, thread, moderator
):
    """Held comments, published ones with open reports, the oldest held; the link opens
    the queue on what needs attention (its default)."""
    published = post(thread, body="Reported, still published.")
    post(thread, body="Published, not reported.")
    services.comment_report(comment=published, viewer=guest(), policy=TEST_POLICY, reason="spam")
    thread.hold_mode = ThreadHold.HOLD_ALL
    thread.save()
    post(thread, body="Waiting.")
    post(thread, body="Waiting too.")
    client.force_login(moderator)
    page = client.get("/admin/")
    text = page.content.decode()
    assert "Comments waiting for a moderator" in text
    assert "<strong>2</strong> held, <strong>1</strong> reported" in text
    assert "The oldest held comment has waited since" in text
    assert 'href="/admin/snippets/discussion/comment/"' in text


def test_a_readers_report_alerts_the_moderators_after_the_commit(
    thread, moderator, django_capture_on_commit_callbacks
):
    """A report is an alert like a hold: e-mailed (after the commit) to moderators who
    chose alerts, with its Approve and Reject links."""
    opt_in(moderator)
    comment = post(thread, body="Is this allowed?")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_report(comment=comment, viewer=guest(), policy=TEST_POLICY, reason="abuse")
    (message,) = mail.outbox
    assert message.to == ["mo@example.org"] and "Is this allowed?" in message.body
    assert set(links(message)) == {"approve", "reject"}
    assert ModeratorAlert.objects.get().trigger == ModerationTrigger.REPORT


def test_a_moderator_chooses_alerts_in_their_account_settings(client, moderator):
    """A panel of Wagtail's account settings, shown to moderators, saved with the rest."""
    client.force_login(moderator)
    page = client.get("/admin/account/")
    assert "Moderation alerts" in page.content.decode()
    form = {
        name: value
        for form in page.context["panels_by_tab"].values()
        for panel in form
        for name, value in _initial_data(panel.get_form()).items()
    }
    form["moderation_alerts-frequency"] = "hourly"
    form |= {"name_email-first_name": "Mo", "name_email-last_name": "Derator"}
    assert client.post("/admin/account/", form).status_code == 302
    assert ModeratorAlertPreference.objects.get(user=moderator).frequency == "hourly"


def _initial_data(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if value not in (None, ""):
            data[bound.html_name] = value
    return data
