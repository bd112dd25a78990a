"""Badges on comment cards, from server data only (accounts, the article, app hooks),
never from what a commenter typed: "Staff" for staff accounts, "Author" for the
article's author, and what apps above add (funding: "Supporter").

The article's author is its page's owner (the editor who created it), or a staff
account whose full name is the byline (the byline is text; only staff accounts are
trusted to carry it, so a reader cannot take the badge by naming themselves after the
author). Badges are the same for every reader, so they are in the shared, cached cards:
changes of what they are made of move the threads' versions (discussion.receivers).
"""

from django.contrib.auth import get_user_model

from rostra.core import app_hooks
from rostra.discussion.models import Thread
from rostra.publishing.models import ArticlePage

STAFF, AUTHOR = "Staff", "Author"
BADGES_HOOK = "rostra_comment_badges"


def _full_name(first: str, last: str) -> str:
    return " ".join(f"{first} {last}".split()).casefold()


def comment_badges(thread: Thread, user_ids) -> dict[int, tuple[str, ...]]:
    """The badges of the accounts `user_ids` on `thread`: {user id: labels}, only those
    with any. Two queries (none without accounts), plus the apps' hooks."""
    user_ids = {pk for pk in user_ids if pk is not None}
    if not user_ids:
        return {}
    owner_id, byline = None, ""
    if thread.article_id is not None:
        found = ArticlePage.objects.filter(pk=thread.article_id).values_list("owner_id", "byline")
        owner_id, byline = next(iter(found), (None, ""))
    byline = " ".join(byline.split()).casefold()
    badges: dict[int, list[str]] = {}
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    for pk, is_staff, first, last in users.values_list("pk", "is_staff", "first_name", "last_name"):
        labels = badges.setdefault(pk, [])
        if is_staff:
            labels.append(STAFF)
        if pk == owner_id or (is_staff and byline and _full_name(first, last) == byline):
            labels.append(AUTHOR)
    for added in app_hooks.registered(BADGES_HOOK):
        for pk, label in added(sorted(user_ids)).items():
            if pk in badges:
                badges[pk].append(label)
    return {pk: tuple(labels) for pk, labels in badges.items() if labels}
