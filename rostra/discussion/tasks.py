"""Background work of the discussion."""

from django_tasks import task

from rostra.core import queues
from rostra.discussion.inline import anchors_follow_article
from rostra.publishing.models import ArticlePage


@task(queue_name=queues.DEFAULT)
def reanchor_task(*, article_id: int, revision_id: int | None = None) -> dict:
    """After a new revision is published: move passage comments with their passages."""
    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        return {}
    return dict(anchors_follow_article(article, revision_id=revision_id))
