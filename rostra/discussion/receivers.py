"""The discussion listens to publishing (a new revision may move quoted passages, or
change the article's author and so the "Author" badge) and to accounts (staff status
and names make the "Staff" and "Author" badges)."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from rostra.core import events
from rostra.core.badges import AccountBadgesChanged
from rostra.core.tasks import enqueue_on_commit
from rostra.discussion.models import Comment, CommentAnchor, Thread
from rostra.discussion.tasks import reanchor_task
from rostra.discussion.versions import thread_version_bump


@receiver(page_published)
def reanchor_after_publish(sender, instance, revision=None, **kwargs):
    if not CommentAnchor.objects.filter(thread__article_id=instance.pk).exists():
        return
    enqueue_on_commit(
        reanchor_task, article_id=instance.pk, revision_id=revision.pk if revision else None
    )


@receiver(page_published)
def badges_follow_article(sender, instance, **kwargs):
    """The article's owner or byline may have changed: its cards are built again."""
    thread_version_bump(*Thread.objects.filter(article_id=instance.pk).values_list("pk", flat=True))


@receiver(post_save, sender=Thread)
def thread_settings_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A discussion's settings saved whole (its admin form: closed, hold mode,
    supporters only) change its page; services' saves name their fields and bump it."""
    if not created and update_fields is None:
        thread_version_bump(instance.pk)


def badges_follow_supporter(event: AccountBadgesChanged) -> None:
    """In the transaction that changed an account's badge (a donor's choice)."""
    threads = Comment.objects.filter(user_id=event.user_id).values_list("thread_id", flat=True)
    thread_version_bump(*threads.distinct())


def register() -> None:
    """Subscribe this app's event recorders; registering again changes nothing."""
    events.record_with(AccountBadgesChanged, badges_follow_supporter)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def badges_follow_account(sender, instance, created=False, update_fields=None, **kwargs):
    """An account's staff status, name or activity may have changed: the threads it
    commented in are built again (signing in, which saves `last_login` alone, is not)."""
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    threads = Comment.objects.filter(user_id=instance.pk).values_list("thread_id", flat=True)
    thread_version_bump(*threads.distinct())
