"""Digest subscribers get one e-mail per window, not one per comment."""

from datetime import datetime

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import post
from rostra.notifications import services
from rostra.notifications.models import DigestItem, Subscription
from rostra.notifications.tasks import send_digests
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


def at(hour, minute=0, day=14):
    return timezone.make_aware(datetime(2025, 3, day, hour, minute))


def test_window_ends(settings):
    assert services.digest_due_at("hourly", at(10, 5)) == at(11)
    assert services.digest_due_at("hourly", at(10, 59)) == at(11)
    assert services.digest_due_at("daily", at(23, 59)) == at(0, day=15)


def test_hourly_digest_batches_the_window(client, section, django_capture_on_commit_callbacks):
    article = make_article(section, "Busy article")
    thread = thread_for_article(article)
    requested = services.subscription_request(email="d@example.org", kind="thread",
                                              thread=thread, frequency="hourly")  # fmt: skip
    subscription = requested.subscription
    Subscription.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            post(thread, body=f"comment {n}", name=f"R{n}")
    assert mail.outbox == [], "no e-mail per comment"
    assert DigestItem.objects.filter(subscription=subscription).count() == 5
    due = DigestItem.objects.first().due_at

    assert send_digests(now=due - timezone.timedelta(seconds=1)) == 0
    assert send_digests(now=due) == 1
    message = mail.outbox[0]
    assert message.subject == "5 new comments at Rostra"
    assert "comment 0" in message.body and "comment 4" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert send_digests(now=due) == 0, "each item goes out once"


def test_send_digests_command(client, one_due_digest):
    call_command("send_digests")
    assert len(mail.outbox) == 1


def test_reader_changes_frequency_on_the_manage_page(client, section):
    thread = thread_for_article(make_article(section, "Any"))
    subscription = services.subscription_request(
        email="f@example.org", kind="thread", thread=thread
    ).subscription
    url = f"/notifications/manage/{services.manage_token('f@example.org')}/"
    client.post(url, {"subscription": subscription.pk, "frequency": "daily"})
    subscription.refresh_from_db()
    assert subscription.frequency == "daily"
    other = services.subscription_request(
        email="x@example.org", kind="thread", thread=thread
    ).subscription
    client.post(url, {"subscription": other.pk, "frequency": "daily"})
    other.refresh_from_db()
    assert other.frequency == "immediate", "a manage link only changes its own address"


class TransactionWatchingBackend(locmem.EmailBackend):
    """Django's in-memory backend, noting whether a database transaction was open."""

    atomic_depths: list[int] = []

    def send_messages(self, messages):
        TransactionWatchingBackend.atomic_depths.append(len(connection.atomic_blocks))
        return super().send_messages(messages)


class RefusingBackend(locmem.EmailBackend):
    """An SMTP server that is down: every send fails."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def one_due_digest(section, django_capture_on_commit_callbacks):
    """A daily subscriber whose digest of one comment is due now."""
    thread = thread_for_article(make_article(section, "Digest article"))
    services.subscription_request(email="t@example.org", kind="thread", thread=thread,
                                  frequency="daily")  # fmt: skip
    Subscription.objects.update(confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, body="one")
    DigestItem.objects.update(due_at=timezone.now())
    mail.outbox.clear()


def test_digest_mail_is_sent_outside_any_database_transaction(one_due_digest, settings):
    """The SMTP round trip never holds the database's write lock: no transaction of the
    digest's own is open while it is sent (the test's wrapping one is the baseline)."""
    settings.EMAIL_BACKEND = f"{__name__}.TransactionWatchingBackend"
    TransactionWatchingBackend.atomic_depths.clear()
    baseline = len(connection.atomic_blocks)
    assert send_digests() == 1
    assert TransactionWatchingBackend.atomic_depths == [baseline]
    assert DigestItem.objects.filter(sent_at__isnull=True).count() == 0


def test_a_digest_that_could_not_be_sent_is_sent_by_the_next_run(one_due_digest, settings):
    """Items stay unsent when the mail server fails, so the next run sends them."""
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with pytest.raises(ConnectionRefusedError):
        send_digests()
    assert DigestItem.objects.filter(sent_at__isnull=True).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digests() == 1
    assert send_digests() == 0
    assert len(mail.outbox) == 1
