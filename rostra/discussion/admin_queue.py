"""The moderation queue: the admin's comment list, opened on what needs attention
(held, or reported since the last decision), oldest first. Each row shows the comment
as readers see it (the sanitised HTML, cut at a word), where it stands and what it
answers, its reports, why it was held (suspect terms, the link limit, the spam filter's
scores), the commenter's history, and one-click actions over htmx with an Undo
(services.queue_actions, answered by admin_views.queue_action); j/k, a, r, s, u from the
keyboard (discussion/admin_queue.js).
"""

import json

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import IndexView

from rostra.discussion import selectors
from rostra.discussion.models import Comment, CommentStatus, ModerationTrigger

ATTENTION = "attention"  # the status filter's default: held, or reported
ANY_STATUS = "any"
EXCERPT_WORDS = 80


class QueueColumn(Column):
    """The comment, its context and its actions, in one cell."""

    cell_template_name = "discussion/admin/queue_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context.update(row_context(instance, request))
        return context


def in_context_url(comment: Comment, request) -> str:
    """Where readers see `comment` in its discussion ("" for a thread without a page)."""
    article = comment.thread.article
    article_url = article.get_url(request) if article is not None else comment.thread.url
    return f"{article_url}?comment={comment.pk}#comment-{comment.pk}" if article_url else ""


def history_url(comment: Comment) -> str:
    """The comment list filtered on every comment of its author."""
    return (
        f"{reverse('wagtailsnippets_discussion_comment:list')}"
        f"?status={ANY_STATUS}&author_key={comment.author_key}"
    )


def row_context(comment: Comment, request) -> dict:
    facts = getattr(comment, "queue_facts", None)
    in_context = in_context_url(comment, request)
    return {
        "comment": comment,
        "excerpt": Truncator(comment.body_html).words(EXCERPT_WORDS, html=True, truncate="…"),
        "parent_excerpt": (
            Truncator(comment.parent.body_html).words(20, html=True, truncate="…")
            if comment.parent_id
            else ""
        ),
        "in_context": in_context,
        "facts": facts,
        "history_url": history_url(comment),
        "actions": actions_context(comment, facts),
    }


def actions_context(comment: Comment, facts) -> dict:
    """The buttons the row offers: "Not spam" in place of Approve for what the spam
    filter held or marked."""
    by_filter = (
        facts is not None
        and facts.held_by is not None
        and (facts.held_by.trigger == ModerationTrigger.FILTER)
    )
    approve = "not-spam" if by_filter or comment.status == CommentStatus.SPAM else "approve"
    return {
        "url": reverse("discussion_queue_act", args=[comment.pk]),
        "approve": approve,
        "approve_label": (
            _("Not spam")
            if approve == "not-spam"
            else pgettext("button: approve a comment", "Approve")
        ),
        "status": comment.status,
    }


class CommentIndexView(IndexView):
    """The snippet list with the queue's rows: their facts read for the whole page at
    once (selectors.queue), oldest first while it shows what needs attention."""

    def get_ordering(self):
        if "ordering" not in self.request.GET and self._showing_attention():
            return "created_at"
        return super().get_ordering()

    def _showing_attention(self) -> bool:
        return self.request.GET.get("status", ATTENTION) == ATTENTION

    def get_table(self, object_list):
        comments = list(object_list)
        facts = selectors.queue_facts(comments)
        for comment in comments:
            comment.queue_facts = facts[comment.pk]
        table = super().get_table(comments)
        # htmx sends the CSRF token of the admin's session with each row's action.
        table.base_attrs = {
            **table.base_attrs,
            "data-moderation-queue": "",
            "hx-headers": json.dumps({"X-CSRFToken": get_token(self.request)}),
        }
        return table
