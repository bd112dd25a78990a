"""Threads: comment counts of many threads at once (for lists of articles)."""

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from rostra.discussion import selectors
from rostra.discussion.api.schemas import ThreadKey, refusals

router = Router()


@router.get(
    "/counts",
    response={200: dict[str, int], **refusals(400, 422)},
    tags=["threads"],
    summary="Counts of many threads",
)
def counts(request, thread: list[ThreadKey] = Query(...)):  # noqa: B008 - ninja's style
    """Visible comment counts for up to 100 threads in one request."""
    if len(thread) > 100:
        raise HttpError(400, _("Ask for at most %(limit)s threads at once.") % {"limit": 100})
    return selectors.comment_counts(thread)
