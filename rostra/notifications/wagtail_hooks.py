from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks

from rostra.core import slots
from rostra.notifications import retention
from rostra.notifications.feeds import replies_feed_token
from rostra.notifications.models import LiveEvent
from rostra.publishing.models import ArticlePage


def _manage_url(request):
    user = request.user
    if not (user.is_authenticated and user.email):
        return None
    from rostra.notifications.services import manage_token

    return reverse("notifications:manage", args=[manage_token(user.email)])


@slots.register("discussion.header")
def notify_control(context):
    request, article = context.get("request"), context.get("article")
    if request is None or article is None:
        return None
    viewer = context.get("viewer")
    replies_feed = None
    if viewer is not None:
        replies_feed = reverse("notifications:replies_feed", args=[replies_feed_token(viewer.key)])
    thread_page = context.get("thread_page")
    thread = getattr(thread_page, "thread", None)
    live_since = None
    if thread is not None:
        live_since = (
            LiveEvent.objects.filter(thread_id=thread.pk).order_by("-id")
            .values_list("id", flat=True).first()
        ) or 0  # fmt: skip
    return render_to_string(
        "notifications/notify_control.html",
        {"article": article, "replies_feed": replies_feed, "thread": thread,
         "live_since": live_since, "manage_url": _manage_url(request),
         "refusal": getattr(request, "notify_refusal", None)},
        request=request,
    )  # fmt: skip


@slots.register("base.body_end")
def live_script(context):
    if not isinstance(context.get("page"), ArticlePage):
        return None
    return format_html('<script src="{}" defer></script>', static("notifications/live.js"))


hooks.register("rostra_prune", retention.prune)
