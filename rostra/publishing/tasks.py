"""Background work of publishing."""

from django_tasks import task
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from rostra.core import queues

INDEX_BATCH = 500


@task(queue_name=queues.SEARCH)
def index_pages_task(*, page_ids: list[int]) -> int:
    """Add pages written in bulk (imports) to the search index."""
    indexed = 0
    for start in range(0, len(page_ids), INDEX_BATCH):
        pages = list(Page.objects.filter(pk__in=page_ids[start : start + INDEX_BATCH]).specific())
        by_model: dict[type, list] = {}
        for page in pages:
            by_model.setdefault(type(page), []).append(page)
        for backend in get_search_backends():
            for model, objects in by_model.items():
                backend.add_bulk(model, objects)
        indexed += len(pages)
    return indexed
