"""Nobody can use “Notify of” to flood someone's inbox: at most one confirmation e-mail
a day reaches an address, and one connection can only ask so often."""

import re

import pytest
from django.core import mail

from rostra.notifications.models import ConfirmationSent, Subscription
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


def _subscribe(client, article, *, ip="198.51.100.7", **data):
    return client.post(
        f"/notifications/subscribe/{article.pk}/", {"kind": "thread", **data}, REMOTE_ADDR=ip
    )


def _messages(client, article) -> str:
    """What the reader is told beside the “Notify of” control (#17: not at the top)."""
    html = client.get(article.url).content.decode()
    return " ".join(re.findall(r'class="notify__message[^>]*>([^<]*)<', html))


def test_twenty_requests_for_one_address_send_one_confirmation_email(
    client, section, django_capture_on_commit_callbacks
):
    """Twenty requests for one victim, across articles, kinds, spellings of the address
    and connections, send exactly one e-mail; every request is still recorded, the
    reader is told honestly why no second e-mail came, and the database keeps only a
    keyed hash of the address for the limit."""
    articles = [make_article(section, f"Story {n}") for n in range(10)]
    spellings = ["victim@example.org", "Victim@Example.org", "victim+news@example.org"]
    for n in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            response = _subscribe(
                client,
                articles[n % 10],
                kind="thread" if n < 10 else "replies",
                email=spellings[n % 3],
                ip=f"203.0.113.{n + 1}",
            )
        assert response.status_code == 302
        told = _messages(client, articles[n % 10])
        if n == 0:
            assert "we sent a confirmation link" in told
        else:
            assert "at most one confirmation e-mail a day" in told, told
    assert len(mail.outbox) == 1
    assert Subscription.objects.count() == 20
    assert Subscription.objects.filter(confirmation_sent_at__isnull=False).count() == 1
    (record,) = ConfirmationSent.objects.all()
    assert "victim" not in record.address_hash and "example" not in record.address_hash


def test_a_request_held_back_today_is_confirmed_from_the_subscriptions_page(
    client, section, django_capture_on_commit_callbacks
):
    """The second article followed on the same day gets no e-mail of its own: the first
    confirmation e-mail links to the subscriptions page, where it can be confirmed."""
    first, second = make_article(section, "First"), make_article(section, "Second")
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, first, email="reader@example.org")
        _subscribe(client, second, email="reader@example.org")
    (message,) = mail.outbox
    manage = re.search(r"http://127\.0\.0\.1:8000(/notifications/manage/[^\s/]+/)", message.body)
    page = client.get(manage.group(1)).content.decode()
    assert "“Second”" in page and "awaiting confirmation" in page
    held = Subscription.objects.get(thread__key=f"article:{second.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage.group(1), {"action": "confirm", "subscription": held.pk})
    held.refresh_from_db()
    assert held.is_active
    assert len(mail.outbox) == 1


def test_one_connection_asking_too_often_gets_429_and_keeps_its_text(
    client, section, settings, django_capture_on_commit_callbacks
):
    """Past the per-connection limit the answer is 429 with a clear message, the typed
    address stays in the form, and nothing is recorded."""
    settings.SUBSCRIPTION_RATE_LIMIT = (3, 3600)
    article = make_article(section, "Story")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert _subscribe(client, article, email=f"person{n}@example.org").status_code == 302
        response = _subscribe(client, article, email="fourth@example.org")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many subscription requests came from your connection" in html
    assert 'value="fourth@example.org"' in html
    assert not Subscription.objects.filter(email="fourth@example.org").exists()
    assert len(mail.outbox) == 3
    other = _subscribe(client, article, email="fourth@example.org", ip="192.0.2.44")
    assert other.status_code == 302, "another connection is not held back"
