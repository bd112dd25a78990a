"""Every change to the discussion goes through these functions: the article page, its
htmx requests, the JSON API, management commands and importers all call them.

Each function checks first (raising `DiscussionError` with a message for the reader)
and only then writes, inside one transaction. One module per kind of change:

- `posting`: a reader's comment or reply (rate limits, repeats, first-time hold);
- `editing`: authors editing and deleting their comments;
- `votes`: up, down and withdrawn votes with exact counters;
- `moderation`: comment status and closing a discussion (staff);
- `reports`: readers reporting a comment (and the hold enough reports set off);
- `alerts`: moderators alerted of held and reported comments (`moderators_alert`), and
  the one-click links of their e-mails;
- `picks`: editor's picks and the pinned comment (staff);
- `imports`: comments from another system, as they were;
- `tree`: places in a thread's tree, and moving an imported reply under its parent;
- `threads`, `access`, `cleaning`, `errors`: what the others share.

Callers may import every public name from this package.
"""

from rostra.discussion.policy import Policy
from rostra.discussion.services.access import comment_can_change, comment_is_visible
from rostra.discussion.services.alerts import (
    alert_link_check,
    alert_link_use,
    alert_preference_set,
    moderators_alert,
)
from rostra.discussion.services.cleaning import MAX_NAME_LENGTH
from rostra.discussion.services.editing import comment_delete, comment_edit
from rostra.discussion.services.errors import DiscussionError
from rostra.discussion.services.imports import (
    ImportedComment,
    ImportedThread,
    comment_update_imported,
    comments_import,
    imported_guest_details,
    thread_import,
    thread_update_imported,
    votes_import,
)
from rostra.discussion.services.moderation import comment_moderate, thread_set_closed
from rostra.discussion.services.picks import comment_pick, comment_pin
from rostra.discussion.services.posting import comment_post
from rostra.discussion.services.reports import ReportOutcome, comment_report, report_restore
from rostra.discussion.services.threads import thread_for_article, thread_is_open
from rostra.discussion.services.tree import TreePlace, comment_reparent, tree_places
from rostra.discussion.services.votes import comment_vote

__all__ = [
    "MAX_NAME_LENGTH",
    "DiscussionError",
    "ImportedComment",
    "ImportedThread",
    "Policy",
    "ReportOutcome",
    "TreePlace",
    "alert_link_check",
    "alert_link_use",
    "alert_preference_set",
    "comment_can_change",
    "comment_delete",
    "comment_edit",
    "comment_is_visible",
    "comment_moderate",
    "comment_pick",
    "comment_pin",
    "comment_post",
    "comment_reparent",
    "comment_report",
    "comment_update_imported",
    "comment_vote",
    "comments_import",
    "imported_guest_details",
    "moderators_alert",
    "report_restore",
    "thread_for_article",
    "thread_import",
    "thread_is_open",
    "thread_set_closed",
    "thread_update_imported",
    "tree_places",
    "votes_import",
]
