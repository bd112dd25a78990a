"""What an API request may reach: the thread or comment it names, through the one
access rule (selectors), and the CSRF check every write makes first."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.utils import check_csrf

from rostra.discussion import selectors, services
from rostra.discussion.identity import viewer_from_request
from rostra.discussion.models import Comment, Thread


def require_csrf(request: HttpRequest) -> None:
    if check_csrf(request) is not None:
        raise HttpError(403, _("CSRF token missing or incorrect."))


def thread_named(key: str, *, create: bool = False) -> Thread | None:
    """The thread a reader may reach under `key` (a validated ThreadKey), through the
    one access rule, with its article's `published_at` (`selectors.ARTICLE_PUBLISHED_AT`)
    and no Wagtail page object, except for a thread this call creates. None for a
    readable article without comments yet, unless `create`.
    """
    key, article_id = selectors.parse_thread_key(key)
    if article_id is None:
        thread = selectors.thread_for_reader(key)
        if thread is None:
            raise HttpError(404, _("No discussion %(key)r.") % {"key": key})
        return thread
    thread = selectors.thread_of_readable_article(article_id)
    if thread is not None:  # the thread alone; else the article's state tells why not
        return thread
    article = selectors.article_for_reader(article_id)
    if article is None:
        raise HttpError(404, _("No discussion %(key)r.") % {"key": key})
    thread = selectors.thread_of(article)
    if thread is None and create:
        thread = services.thread_for_article(article)
    return thread


def comment_named(request, comment_id: int) -> Comment:
    """A comment this reader may see, of a readable thread (the one access rule), with
    its thread and no article page object (`selectors.comment_for_reader`)."""
    comment = selectors.comment_for_reader(comment_id, viewer_from_request(request), article=False)
    if comment is None:
        raise HttpError(404, _("No such comment."))
    return comment
