from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from rostra.core import slots
from rostra.notifications import retention
from rostra.notifications.models import LiveEvent
from rostra.notifications.views import notify_answer, notify_links
from rostra.publishing.models import ArticlePage


@slots.register("discussion.header")
def notify_control(context):
    request, article = context.get("request"), context.get("article")
    if request is None or article is None:
        return None
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
        {"article": article, "thread": thread, "live_since": live_since,
         "notify": notify_answer(request), **notify_links(request, context.get("viewer"))},
        request=request,
    )  # fmt: skip


@slots.register("base.body_end")
def live_script(context):
    if not isinstance(context.get("page"), ArticlePage):
        return None
    return format_html('<script src="{}" defer></script>', static("notifications/live.js"))


hooks.register("rostra_prune", retention.prune)
