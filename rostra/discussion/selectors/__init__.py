"""Read side of the discussion: who may read a thread (`access`), and a page of it, as
a tree, with the viewer's votes (`pages`); counts over many threads or the site
(`counts`); inline feedback on passages (`inline`); the site's settings for work
outside a request (`site`); the decision log and commenters' histories, for
moderators (`moderation`); the moderation queue's rows (`queue`).

Access has one rule, applied by every entry point through the `*_for_reader` functions
and `readable_thread_q`: an article's thread is readable while its article is live and
public (`publishing.selectors.readable_q`); otherwise it is invisible and closed to
readers, whatever the address. Staff keep it in the admin, which does not use these.

`thread_version` reads the version every visible write bumps (`discussion.versions`),
the key of caches of the thread.

`thread_page` costs the same handful of queries for 5 comments or 5,000: one count,
one page of top-level comments, one query for all their replies (ordered by path),
one for the viewer's votes on everything shown. `thread_rows` is the same page in plain
rows (no model objects), the thread API's lean path (`comment_scores` what a vote
changes in it); `viewer_state` is what of a thread
is one reader's own (votes, comments they may change), laid over the API's shared copy.
"""

from rostra.discussion.models import SortOrder
from rostra.discussion.selectors.access import (
    ARTICLE_KEY_PREFIX,
    ARTICLE_PUBLISHED_AT,
    ARTICLE_URL_PATH,
    MAX_ID,
    ThreadKeyError,
    article_for_reader,
    comment_for_reader,
    parse_thread_key,
    public_comments,
    readable_thread_q,
    readable_threads,
    thread_for_reader,
    thread_of,
    thread_of_readable_article,
    visible_to,
)
from rostra.discussion.selectors.badges import comment_badges
from rostra.discussion.selectors.counts import comment_counts, comment_totals_by_status, vote_totals
from rostra.discussion.selectors.inline import (
    inline_comments,
    inline_count,
    inline_overview,
    inline_passages,
)
from rostra.discussion.selectors.moderation import (
    CommenterHistory,
    comment_decisions,
    commenter_history,
    inspected_comments,
)
from rostra.discussion.selectors.pages import (
    MAX_PAGE,
    SORT_KEYS,
    CommentNode,
    ThreadPage,
    parse_sort,
    root_page_number,
    thread_page,
    visible_count,
)
from rostra.discussion.selectors.queue import (
    all_reports,
    needs_attention_q,
    queue_comments,
    queue_facts,
)
from rostra.discussion.selectors.rows import ThreadRows, comment_scores, thread_rows
from rostra.discussion.selectors.site import site_policy
from rostra.discussion.selectors.versions import (
    article_thread_version,
    article_thread_version_query,
    thread_version,
)
from rostra.discussion.selectors.viewer_state import ViewerState, viewer_state

__all__ = [
    "ARTICLE_KEY_PREFIX",
    "ARTICLE_PUBLISHED_AT",
    "ARTICLE_URL_PATH",
    "MAX_ID",
    "MAX_PAGE",
    "SORT_KEYS",
    "CommentNode",
    "CommenterHistory",
    "SortOrder",
    "ThreadKeyError",
    "ThreadPage",
    "ThreadRows",
    "ViewerState",
    "all_reports",
    "article_for_reader",
    "article_thread_version",
    "article_thread_version_query",
    "comment_badges",
    "comment_counts",
    "comment_decisions",
    "comment_for_reader",
    "comment_scores",
    "comment_totals_by_status",
    "commenter_history",
    "inline_comments",
    "inline_count",
    "inline_overview",
    "inline_passages",
    "inspected_comments",
    "needs_attention_q",
    "parse_sort",
    "parse_thread_key",
    "public_comments",
    "queue_comments",
    "queue_facts",
    "readable_thread_q",
    "readable_threads",
    "root_page_number",
    "site_policy",
    "thread_for_reader",
    "thread_of",
    "thread_of_readable_article",
    "thread_page",
    "thread_rows",
    "thread_version",
    "viewer_state",
    "visible_count",
    "visible_to",
    "vote_totals",
]
