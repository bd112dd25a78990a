"""Where the apps above core add to what core runs, without core importing them.

Core is the bottom layer (see the import-linter contract in pyproject.toml and
docs/ARCHITECTURE.md): it never imports publishing, discussion, funding, notifications
or transfer. When a core feature needs their part, each app registers a function under
one of the names below with Wagtail's hooks, in its `wagtail_hooks.py` (as it fills
template slots, rostra/core/slots.py), and core calls whatever is registered, in the
order of INSTALLED_APPS.
"""

from collections.abc import Callable

from wagtail import hooks

HOOKS = {
    "rostra_setup": "`rostra setup`, after migrating: fn() makes the site usable "
    "(publishing: the home page; discussion: the Moderators group)",
    "rostra_load_demo": "`rostra demo`: fn() adds the app's demo content, returns a summary",
    "rostra_prune": "retention (rostra.core.retention): fn(now, dry_run) removes the app's "
    "rows past their window, returns {kind: count}",
    "rostra_metrics": "/metrics (rostra.core.metrics): fn() yields the lines of the app's "
    "metric families",
    "rostra_backup_counts": "a backup's manifest (rostra.core.backup): fn() returns "
    "[(label, model)] whose rows are counted",
    "rostra_page_version": "public page validators (rostra.core.page_cache): fn(page) "
    "returns a query of one value (or a list of them) that changes whenever what the app "
    "shows on `page` changes",
    "rostra_csrf_refused": "a form posted without its token (rostra.core.form_tokens): "
    "fn(request) returns the form again with a token, or None",
    "rostra_comment_filter": "posting a comment (rostra.discussion.filtering): "
    "fn(submission) returns a Verdict (hold, mark spam, what to record) or None",
    "rostra_queue_notes": "the moderation queue (rostra.discussion.selectors.queue): "
    "fn(comment_ids) returns {comment id: a line explaining it to moderators}",
    "rostra_schedule": "the worker, when it starts (rostra.core.worker): fn() queues the "
    "app's recurring task unless one is already waiting",
    "rostra_supporter": "posting to a supporters-only discussion (rostra.discussion."
    "supporters): fn(user_id) returns whether the account supports the newsroom",
    "rostra_comment_badges": "comment cards (rostra.discussion.selectors.badges): "
    "fn(user_ids) returns {user id: badge label} for the accounts the app vouches for",
}


def registered(name: str) -> list[Callable]:
    """The functions apps registered under `name`, a name from HOOKS."""
    if name not in HOOKS:
        raise KeyError(f"unknown hook {name!r}; known: {', '.join(sorted(HOOKS))}")
    return hooks.get_hooks(name)
