"""E-mails follow the discussion's access rule: nothing about the comments of an article
readers may not see (unpublished or private) goes out."""

import pytest
from django.core import mail
from django.utils import timezone

from rostra.discussion import services as discussion
from rostra.discussion.models import CommentStatus
from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import post, staff
from rostra.notifications import services
from rostra.notifications.models import DigestItem, Subscription
from rostra.notifications.tasks import send_digests
from rostra.publishing.testing import make_article

pytestmark = pytest.mark.django_db


def _subscribed_thread(section, frequency="immediate"):
    article = make_article(section, "Harbour sale", text="The harbour was sold.")
    thread = thread_for_article(article)
    services.subscription_request(
        email="sub@example.org", kind="thread", thread=thread, frequency=frequency
    )
    Subscription.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()
    return article, thread


def test_approving_a_comment_of_an_unpublished_article_emails_nobody(
    section, django_capture_on_commit_callbacks
):
    """Staff may still moderate it in the admin; subscribers hear nothing, though the
    approval's after-commit work runs."""
    article, thread = _subscribed_thread(section)
    held = post(thread, body="Held back")
    discussion.comment_moderate(comments=[held], viewer=staff(), status=CommentStatus.PENDING)
    article.unpublish()
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        discussion.comment_moderate(comments=[held], viewer=staff(), status=CommentStatus.APPROVED)
    assert after_commit
    assert mail.outbox == []


def test_digest_items_of_an_unpublished_article_wait_until_it_is_public_again(
    section, django_capture_on_commit_callbacks
):
    article, thread = _subscribed_thread(section, frequency="hourly")
    with django_capture_on_commit_callbacks(execute=True):
        post(thread, body="In the digest")
    due = DigestItem.objects.get().due_at
    article.unpublish()
    assert send_digests(now=due) == 0
    article.save_revision().publish()
    assert send_digests(now=due) == 1
    assert "In the digest" in mail.outbox[-1].body
