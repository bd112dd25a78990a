"""Moderation in the Wagtail admin: a filterable comment list with bulk actions.

The actions call `services.comment_moderate`, the one write path for moderation.
"""

import django_filters
from django.utils.text import capfirst
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from rostra.discussion import services
from rostra.discussion.identity import Viewer
from rostra.discussion.models import Comment, CommentStatus, Thread


def staff_viewer(user) -> Viewer:
    return Viewer(
        key=f"u:{user.pk}",
        user_id=user.pk,
        is_staff=user.is_staff or user.has_perm("discussion.change_comment"),
        display_name=user.get_username(),
    )


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(choices=CommentStatus.choices, empty_label="Any status")
    thread = django_filters.ModelChoiceFilter(queryset=Thread.objects.order_by("-created_at"))

    class Meta:
        model = Comment
        fields = ["status", "thread"]


class CommentEditView(EditView):
    """Editors change a comment's status only, through the moderation service."""

    def save_instance(self):
        services.comment_moderate(
            comments=[self.object],
            viewer=staff_viewer(self.request.user),
            status=self.form.cleaned_data["status"],
        )
        self.object.refresh_from_db()
        return self.object


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_name = "comments"
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_per_page = 50
    ordering = ["-created_at"]
    filterset_class = CommentFilterSet
    search_fields = ["body_source", "author_name", "author_email"]
    list_display = [
        Column("author_name", label="Author", sort_key="author_name"),
        Column("excerpt", label="Comment", accessor=lambda c: c.body_source[:120] or "(deleted)"),
        Column("thread", label="Article"),
        Column("status", accessor="get_status_display", label="Status", sort_key="status"),
        Column("score", label="Score", sort_key="score"),
        DateColumn("created_at", label="Posted", sort_key="created_at"),
    ]
    panels = [FieldPanel("status")]
    edit_view_class = CommentEditView

    def get_queryset(self, request):
        return Comment.objects.select_related("thread")


class ThreadViewSet(SnippetViewSet):
    model = Thread
    icon = "list-ul"
    menu_label = "Discussions"
    add_to_admin_menu = False
    list_display = ["__str__", "key", "is_closed", DateColumn("created_at", label="Started")]
    search_fields = ["title", "key"]
    panels = [FieldPanel("title"), FieldPanel("is_closed")]


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
        label = capfirst(CommentStatus(self.status).label.lower())
        return f"{num_parent_objects} comment(s) now: {label}."

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}


class ApproveBulkAction(ModerateBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve selected comments"
    action_priority = 10
    status = CommentStatus.APPROVED


class SpamBulkAction(ModerateBulkAction):
    display_name = "Spam"
    action_type = "spam"
    aria_label = "Mark selected comments as spam"
    action_priority = 20
    status = CommentStatus.SPAM


class RemoveBulkAction(ModerateBulkAction):
    display_name = "Remove"
    action_type = "remove"
    aria_label = "Remove selected comments"
    action_priority = 25
    status = CommentStatus.REMOVED
    classes = {"serious"}
