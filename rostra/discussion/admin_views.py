"""Moderation in the Wagtail admin: a filterable comment list with bulk actions.

The actions call `services.comment_moderate`, the one write path for moderation.
"""

import django_filters
from django import forms
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import EditView, InspectView, SnippetViewSet

from rostra.discussion import selectors, services
from rostra.discussion.admin_queue import (
    ANY_STATUS,
    ATTENTION,
    CommentIndexView,
    QueueColumn,
    actions_context,
    history_url,
    in_context_url,
)
from rostra.discussion.identity import staff_viewer
from rostra.discussion.models import Comment, CommentStatus, ModerationReason, Thread
from rostra.discussion.permissions import MODERATE, VIEW_DECISIONS, permissions_of
from rostra.discussion.policy import policy_for_request
from rostra.discussion.services import DiscussionError
from rostra.discussion.services.queue_actions import queue_act, queue_undo


class DecisionLogPanel(Panel):
    """The comment's decision log and its author's history, under the status field."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "discussion/admin/decision_log.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            return {
                **super().get_context_data(parent_context),
                **decision_log_context(self.instance, self.request.user),
            }


def decision_log_context(comment: Comment, user) -> dict:
    """What the decision log template shows of `comment`, to `user`."""
    if not permissions_of(user) & {VIEW_DECISIONS, MODERATE}:
        return {"decisions": None, "history": None}
    return {
        "decisions": list(selectors.comment_decisions(comment.pk)),
        "history": selectors.commenter_history(comment.author_key),
        "comment": comment,
    }


class CommentModerationForm(WagtailAdminModelForm):
    """The status, and why: a preset reason and a note, both kept in the decision log."""

    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[("", "—"), *ModerationReason.choices],
        required=False,
        help_text=_(
            "Kept in the decision log, and sent to the author with a statement of "
            "reasons when the site gives one."
        ),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        label=_("Note"),
        help_text=_("Free text for the log (and the statement of reasons)."),
    )


class CommentFilterSet(WagtailFilterSet):
    """Opens on what needs attention (held, or reported since the last decision); the
    other statuses, any, one discussion or one commenter (their history's link)."""

    status = django_filters.ChoiceFilter(
        choices=[
            (ATTENTION, _("Needs attention (held or reported)")),
            *CommentStatus.choices,
            (ANY_STATUS, _("Any status")),
        ],
        label=_("Status"),
        method="filter_status",
        empty_label=None,
        initial=ATTENTION,
    )
    thread = django_filters.ModelChoiceFilter(
        label=_("Discussion"), queryset=Thread.objects.order_by("-created_at")
    )
    author_key = django_filters.CharFilter(label=_("Commenter (their key)"))

    class Meta:
        model = Comment
        fields = ["status", "thread", "author_key"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("status", ATTENTION)
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        if value == ATTENTION:
            return queryset.filter(selectors.needs_attention_q())
        if value == ANY_STATUS:
            return queryset
        return queryset.filter(status=value)


class CommentEditView(EditView):
    """Editors change a comment's status only, through the moderation service."""

    def save_instance(self):
        services.comment_moderate(
            comments=[self.object],
            viewer=staff_viewer(self.request.user),
            status=self.form.cleaned_data["status"],
            reason=self.form.cleaned_data["reason"],
            note=self.form.cleaned_data["note"],
        )
        self.object.refresh_from_db()
        return self.object


class CommentInspectView(InspectView):
    """What an editor needs to judge a comment (`CommentViewSet.inspect_view_fields`):
    who wrote it, where (linked to the comment in place), its status, when, its text as
    readers see it and its reports; then its decision log and its author's history. Not
    the internals: tree columns, Markdown source, identity key, address hash."""

    template_name = "discussion/admin/inspect_comment.html"
    labels = {
        "author": _("Author"),
        "article": _("Article"),
        "status": _("Status"),
        "created_at": pgettext_lazy("column: when a comment was posted", "Posted"),
        "text": pgettext_lazy("noun", "Comment"),
        "reports": _("Readers' reports"),
    }

    def get_object(self, queryset=None):
        return get_object_or_404(selectors.inspected_comments(), pk=self.pk)

    def get_field_label(self, field_name, field):
        return self.labels[field_name]

    def get_author_display_value(self):
        comment = self.object
        return format_html(
            '{name}{email}{website} · <a href="{history}">{all_their_comments}</a>',
            name=comment.author_name,
            email=format_html(" &lt;{}&gt;", comment.author_email) if comment.author_email else "",
            website=format_html(" · {}", comment.website_link) if comment.website_link else "",
            history=history_url(comment),
            all_their_comments=_("all their comments"),
        )

    def get_article_display_value(self):
        url = in_context_url(self.object, self.request)
        title = str(self.object.thread)
        return format_html('<a href="{}">{}</a>', url, title) if url else title

    def get_created_at_display_value(self):
        return date_format(localtime(self.object.created_at), "DATETIME_FORMAT")

    def get_text_display_value(self):
        if self.object.is_deleted:
            return _("(deleted by its author)")
        return mark_safe(self.object.body_html)  # noqa: S308 - sanitised when stored

    def get_reports_display_value(self):
        return render_to_string(
            "discussion/admin/inspect_reports.html", {"reports": self.object.every_report}
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **decision_log_context(self.object, self.request.user),
        }


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Comments")
    menu_name = "comments"
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_per_page = 50
    ordering = ["-created_at"]
    filterset_class = CommentFilterSet
    index_view_class = CommentIndexView
    index_template_name = "discussion/admin/queue_index.html"
    search_fields = ["body_source", "author_name", "author_email"]
    list_display = [
        Column("author_name", label=_("Author"), sort_key="author_name"),
        QueueColumn("queue", label=pgettext_lazy("noun", "Comment")),
        Column("status", accessor="get_status_display", label=_("Status"), sort_key="status"),
        DateColumn(
            "created_at",
            label=pgettext_lazy("column: when a comment was posted", "Posted"),
            sort_key="created_at",
        ),
    ]
    edit_handler = ObjectList(
        [FieldPanel("status"), FieldPanel("reason"), FieldPanel("note"), DecisionLogPanel()],
        base_form_class=CommentModerationForm,
    )
    edit_view_class = CommentEditView
    inspect_view_class = CommentInspectView
    inspect_view_fields = ["author", "article", "status", "created_at", "text", "reports"]

    def get_queryset(self, request):
        return selectors.queue_comments()


class ThreadViewSet(SnippetViewSet):
    model = Thread
    icon = "list-ul"
    menu_label = _("Discussions")
    add_to_admin_menu = False
    list_display = ["__str__", "key", "is_closed", DateColumn("created_at", label=_("Started"))]
    search_fields = ["title", "key"]
    panels = [
        FieldPanel("title"),
        FieldPanel("hold_mode"),
        FieldPanel("is_closed"),
        FieldPanel("supporters_only"),
    ]


class ModerateBulkAction(SnippetBulkAction):
    """Approve, mark as spam or remove the selected comments."""

    models = [Comment]
    template_name = "discussion/admin/confirm_moderation.html"
    status: str = ""

    def check_perm(self, snippet):
        return self.request.user.has_perm("discussion.change_comment")

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        user = user or kwargs["self"].request.user
        count = services.comment_moderate(
            comments=objects, viewer=staff_viewer(user), status=cls.status
        )
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        label = capfirst(str(CommentStatus(self.status).label).lower())
        return ngettext(
            "%(count)d comment now: %(status)s.",
            "%(count)d comments now: %(status)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "status": label}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}


class ApproveBulkAction(ModerateBulkAction):
    display_name = pgettext_lazy("button: approve a comment", "Approve")
    action_type = "approve"
    aria_label = _("Approve selected comments")
    action_priority = 10
    status = CommentStatus.APPROVED


class SpamBulkAction(ModerateBulkAction):
    display_name = pgettext_lazy("button: mark a comment as spam", "Spam")
    action_type = "spam"
    aria_label = _("Mark selected comments as spam")
    action_priority = 20
    status = CommentStatus.SPAM


class RemoveBulkAction(ModerateBulkAction):
    display_name = pgettext_lazy("button: remove a comment", "Remove")
    action_type = "remove"
    aria_label = _("Remove selected comments")
    action_priority = 25
    status = CommentStatus.REMOVED
    classes = {"serious"}


@require_POST
def queue_action(request, comment_id: int):
    """One click of a row's buttons, or its Undo: the row's actions come back as HTML
    (a status and Undo, or the buttons again)."""
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise Http404(_("No such comment."))
    viewer = staff_viewer(request.user)
    policy, _site_settings = policy_for_request(request)
    action = request.POST.get("action", "")
    try:
        if action == "undo":
            queue_undo(
                decision_id=_int(request.POST.get("decision")),
                viewer=viewer,
                ban_ids=[_int(pk) for pk in request.POST.get("bans", "").split(",") if pk],
                undo_window=policy.undo_window,
            )
            comment.refresh_from_db()
            html = render_to_string(
                "discussion/admin/queue_actions.html",
                {"actions": actions_context(comment, None), "comment": comment},
                request=request,
            )
        else:
            outcome = queue_act(
                comment=comment, viewer=viewer, action=action, ban_duration=policy.queue_ban
            )
            html = render_to_string(
                "discussion/admin/queue_done.html",
                {
                    "outcome": outcome,
                    "comment": comment,
                    "url": reverse("discussion_queue_act", args=[comment.pk]),
                    "bans": ",".join(str(pk) for pk in outcome.ban_ids),
                    "undo_seconds": int(policy.undo_window.total_seconds()),
                },
                request=request,
            )
    except DiscussionError as error:
        # htmx swaps successful answers only: the refusal is said in the row.
        status = 200 if request.headers.get("HX-Request") == "true" else error.status
        return HttpResponse(
            render_to_string(
                "discussion/admin/queue_refused.html", {"error": error, "comment": comment}
            ),
            status=status,
        )
    return HttpResponse(html)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def queue_urls():
    return [
        path("discussion/queue/<int:comment_id>/", queue_action, name="discussion_queue_act"),
    ]
