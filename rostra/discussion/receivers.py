"""The discussion listens to publishing: a new revision may move quoted passages."""

from django.dispatch import receiver
from wagtail.signals import page_published

from rostra.core.tasks import enqueue_on_commit
from rostra.discussion.models import CommentAnchor
from rostra.discussion.tasks import reanchor_task


@receiver(page_published)
def reanchor_after_publish(sender, instance, revision=None, **kwargs):
    if not CommentAnchor.objects.filter(thread__article_id=instance.pk).exists():
        return
    enqueue_on_commit(
        reanchor_task, article_id=instance.pk, revision_id=revision.pk if revision else None
    )
