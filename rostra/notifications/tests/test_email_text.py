"""Plain-text e-mail is not HTML: names and titles read as typed there and in subjects,
while the HTML part keeps escaping them."""

import pytest
from django.core import mail
from django.utils import timezone

from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import guest, post
from rostra.notifications import services
from rostra.notifications.models import DigestItem, Subscription
from rostra.notifications.tasks import send_digests
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db

NAME = "O'Brien <b>&"
TITLE = "Fish & chips: Bea's <i>view</i>"


def _html(message) -> str:
    return message.alternatives[0][0]


def test_names_and_titles_are_literal_in_plain_text_and_subjects_escaped_in_html(
    section, django_capture_on_commit_callbacks
):
    """A commenter called `O'Brien <b>&` on an article titled with `&`, `'` and `<i>`
    appears exactly so in the confirmation, reply and digest e-mails' text and subjects,
    and escaped in their HTML."""
    thread = thread_for_article(make_article(section, TITLE))
    me = guest("me")
    mine = post(thread, me, body="My point", email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_request(email="me@example.org", kind="replies",
                                      author_key=me.key, thread=thread)  # fmt: skip
        services.subscription_request(email="late@example.org", kind="thread", thread=thread,
                                      frequency="daily")  # fmt: skip
    (confirmation,) = [m for m in mail.outbox if m.to == ["late@example.org"]]
    assert f"new comments on “{TITLE}”" in confirmation.body
    assert "Fish &amp; chips: Bea&#x27;s &lt;i&gt;view&lt;/i&gt;" in _html(confirmation)

    Subscription.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, body="I disagree", name=NAME, parent_id=mine.pk)
    (reply,) = mail.outbox
    assert reply.subject == f"{NAME} replied to your comment"
    assert f"{NAME} replied to your comment on “{TITLE}”:" in reply.body
    assert "&#x27;" not in reply.body and "&amp;" not in reply.body and "&lt;" not in reply.body
    assert "<strong>O&#x27;Brien &lt;b&gt;&amp;</strong> replied" in _html(reply)
    assert "<b>&" not in _html(reply)

    mail.outbox.clear()
    DigestItem.objects.update(due_at=timezone.now())
    send_digests()
    (digest,) = mail.outbox
    assert f"{NAME} on “{TITLE}”:" in digest.body
    assert "O&#x27;Brien &lt;b&gt;&amp;" in _html(digest)
    for message in (confirmation, reply, digest):
        assert "\n" not in message.subject and "&#" not in message.subject
