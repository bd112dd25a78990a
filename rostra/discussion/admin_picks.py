"""Editor's picks in the admin: "Feature or pin" in a comment's row menu opens a page
with the comment and its choices; they go through `services.comment_pick` and
`services.comment_pin`, which check the permission."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import ListingButton

from rostra.discussion import services
from rostra.discussion.identity import staff_viewer
from rostra.discussion.models import Comment
from rostra.discussion.permissions import PICK, permissions_of
from rostra.discussion.services import DiscussionError

# action: (service, its options, what the list says after, with the author's %(name)s)
ACTIONS = {
    "pick": (
        "comment_pick",
        {"picked": True},
        gettext_lazy("The comment by %(name)s is an editor's pick."),
    ),
    "unpick": (
        "comment_pick",
        {"picked": False},
        gettext_lazy("The comment by %(name)s is no longer an editor's pick."),
    ),
    "pin": (
        "comment_pin",
        {"pinned": True},
        gettext_lazy("The comment by %(name)s is pinned to the top of its discussion."),
    ),
    "unpin": (
        "comment_pin",
        {"pinned": False},
        gettext_lazy("The comment by %(name)s is no longer pinned."),
    ),
}


def feature_comment(request, comment_id: int):
    if PICK not in permissions_of(request.user):
        raise PermissionDenied
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=comment_id)
    error = ""
    if request.method == "POST" and request.POST.get("action") in ACTIONS:
        service, options, done = ACTIONS[request.POST["action"]]
        try:
            getattr(services, service)(
                comment=comment, viewer=staff_viewer(request.user), **options
            )
        except DiscussionError as refusal:
            error = refusal.message
        else:
            messages.success(request, str(done) % {"name": comment.author_name})
            return redirect("wagtailsnippets_discussion_comment:list")
    return TemplateResponse(
        request,
        "discussion/admin/feature_comment.html",
        {
            "comment": comment,
            "error": error,
            "is_pinned": comment.thread.pinned_comment_id == comment.pk,
        },
    )


def picks_urls():
    return [
        path(
            "discussion/comments/<int:comment_id>/feature/",
            feature_comment,
            name="discussion_feature_comment",
        )
    ]


def pick_buttons(snippet, user, next_url=None):
    """ "Feature or pin" in the comment list's row menu."""
    if isinstance(snippet, Comment) and PICK in permissions_of(user):
        yield ListingButton(
            _("Feature or pin"),
            url=reverse("discussion_feature_comment", args=[snippet.pk]),
            icon_name="pick",
            priority=40,
        )
