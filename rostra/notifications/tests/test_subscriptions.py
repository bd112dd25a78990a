"""“Notify of”: opt-in, e-mails with one-click unsubscribe, and clear pages for bad links."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.signing import TimestampSigner
from django.utils import timezone

from rostra.discussion import services as discussion
from rostra.discussion.models import CommentStatus
from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import TEST_POLICY, guest, post, staff
from rostra.notifications import services
from rostra.notifications.models import ConfirmationSent, Subscription
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(home):
    from rostra.publishing.testing import make_section

    return make_article(make_section(home, "World"), "Harbour road closes on Sundays")


def _link(message, name):
    return re.search(
        rf"http://127\.0\.0\.1:8000(/notifications/{name}/[^\s/]+/)", message.body
    ).group(1)


def _subscribe(client, article, **data):
    return client.post(f"/notifications/subscribe/{article.pk}/", {"kind": "thread", **data})


def test_guest_confirms_by_email_then_gets_new_comments_with_unsubscribe_headers(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, article, email="Reader@Example.org")
    assert response.status_code == 302
    assert "we sent a confirmation link" in client.get(article.url).content.decode()
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    confirm = _link(mail.outbox[0], "confirm")
    assert "Yes, send me notifications" in client.get(confirm).content.decode()
    assert "Subscription confirmed" in client.post(confirm).content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(thread_for_article(article), body="A *new* voice", name="Bea")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "New comment on “Harbour road closes on Sundays”"
    assert "A *new* voice" in message.body and f"/comments/{comment.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "<em>new</em>" in html
    unsubscribe = _link(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    one_click = client.post(unsubscribe, "List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert one_click.status_code == 200
    assert "Already unsubscribed" in client.post(unsubscribe).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(thread_for_article(article), body="Another", name="Cy")
    assert mail.outbox == []


def test_no_second_confirmation_email_within_a_day(
    client, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, article, email="a@example.org")
        _subscribe(client, article, email="a@example.org")
    assert len(mail.outbox) == 1
    ConfirmationSent.objects.update(sent_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, article, email="a@example.org")
    assert len(mail.outbox) == 2


def test_unconfirmed_subscribers_get_nothing(client, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, article, email="a@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(thread_for_article(article), body="Hello")
    assert mail.outbox == []


def test_replies_to_my_comments_reach_me_but_never_my_own(
    client, article, django_capture_on_commit_callbacks
):
    thread = thread_for_article(article)
    me = guest("me")
    mine = post(thread, me, body="My point", email="me@example.org")
    services.subscription_request(email="me@example.org", kind="replies", author_key=me.key,
                                  thread=thread)  # fmt: skip
    Subscription.objects.update(confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, me, body="Adding to my own point", parent_id=mine.pk, email="me@example.org")
    assert mail.outbox == [], "nobody is told about their own comment"
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, body="I disagree", name="Bea", parent_id=mine.pk)
    assert [m.subject for m in mail.outbox] == ["Bea replied to your comment"]


def test_pending_comment_notifies_when_approved(
    client, article, django_capture_on_commit_callbacks
):
    thread = thread_for_article(article)
    services.subscription_request(email="f@example.org", kind="thread", thread=thread)
    Subscription.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()
    from dataclasses import replace

    with django_capture_on_commit_callbacks(execute=True):
        pending = post(thread, body="Held back", policy=replace(TEST_POLICY, moderation="first"))
    assert pending.status == CommentStatus.PENDING and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        discussion.comment_moderate(
            comments=[pending], viewer=staff(), status=CommentStatus.APPROVED
        )
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("kind", ["forged", "expired", "garbage"])
def test_bad_links_get_a_clear_page_not_an_error(client, article, kind):
    requested = services.subscription_request(email="a@example.org", kind="thread",
                                              thread=thread_for_article(article))  # fmt: skip
    subscription = requested.subscription
    token = services.confirm_token(subscription)
    if kind == "forged":
        token = TimestampSigner(salt="other").sign_object(subscription.pk)
    elif kind == "expired":
        services.CONFIRM_MAX_AGE, saved = timedelta(seconds=-1), services.CONFIRM_MAX_AGE
    else:
        token = "not-a-token"
    try:
        response = client.post(f"/notifications/confirm/{token}/")
    finally:
        if kind == "expired":
            services.CONFIRM_MAX_AGE = saved
    assert response.status_code == 400
    text = response.content.decode()
    assert ("has expired" in text) if kind == "expired" else ("is not valid" in text)
    assert Subscription.objects.get().confirmed_at is None


def test_manage_page_lists_and_unsubscribes(client, article):
    thread = thread_for_article(article)
    subscription = services.subscription_request(
        email="m@example.org", kind="thread", thread=thread
    ).subscription
    page = client.get(f"/notifications/manage/{services.manage_token('m@example.org')}/")
    assert "New comments on “Harbour road closes on Sundays”" in page.content.decode()
    client.post(f"/notifications/unsubscribe/{services.unsubscribe_token(subscription)}/")
    page = client.get(f"/notifications/manage/{services.manage_token('m@example.org')}/")
    assert "No active subscriptions." in page.content.decode()


def test_invalid_email_is_refused_with_a_message(client, article):
    """An address that is not one answers 400 with the message, keeping the typed text."""
    response = _subscribe(client, article, email="not-an-email")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please give a valid e-mail address" in html
    assert 'value="not-an-email"' in html
    assert not Subscription.objects.exists()


def test_an_address_longer_than_the_column_is_refused_not_a_500(client, article):
    """Django's check lets 320 characters through; the column holds 254 (PostgreSQL 500)."""
    email = "a" * 64 + "@" + ".".join(["b" * 63, "c" * 63, "d" * 60]) + ".org"
    assert len(email) > 254
    response = _subscribe(client, article, email=email)
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 254 characters" in html
    assert f'value="{email}"' in html
    assert not Subscription.objects.exists()


def test_signed_in_reader_follows_replies_on_every_article(
    client, article, section, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    from rostra.discussion.identity import Viewer

    user = get_user_model().objects.create_user("una", "una@example.org", "pw-123-long")
    client.force_login(user)
    html = client.get(article.url).content.decode()
    assert "replies to my comments on every article" in html and "Your subscriptions" in html
    client.post(f"/notifications/subscribe/{article.pk}/", {"kind": "replies_everywhere"})
    subscription = Subscription.objects.get()
    assert subscription.thread is None and subscription.is_active, "no opt-in e-mail needed"

    other = make_article(section, "Another article")
    me = Viewer(key=f"u:{user.pk}", user_id=user.pk, display_name="una", email="una@example.org")
    mine = post(thread_for_article(other), me, body="Una's comment")
    with django_capture_on_commit_callbacks(execute=True):
        post(thread_for_article(other), body="Answer", name="Bea", parent_id=mine.pk)
    assert [m.to for m in mail.outbox] == [["una@example.org"]]
