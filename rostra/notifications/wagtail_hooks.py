from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from rostra.core import slots
from rostra.core.compiled_queries import CompiledQuery
from rostra.core.fragments import Fragments
from rostra.core.stored_pages import STORED_SECONDS
from rostra.discussion import section_frames
from rostra.notifications import retention
from rostra.notifications.feeds import replies_feed_version
from rostra.notifications.models import LiveEvent
from rostra.notifications.views import NOTIFY_SESSION_KEY, notify_answer, notify_links
from rostra.publishing.models import ArticlePage

# The live stream's start: the thread's newest event (compiled once, as it is asked
# on every article page).
_NEWEST_EVENT = CompiledQuery(
    lambda thread_id: LiveEvent.objects.filter(thread_id=thread_id).order_by("-id").only("id")[:1],
    [int],
)


def _live_since(thread) -> int:
    newest = _NEWEST_EVENT.first(thread.pk) if thread is not None else None
    return newest.pk if newest is not None else 0


@slots.register("discussion.header")
def notify_control(context):
    """The Notify-of row; what is one signed-in reader's own in it is marked as their
    parts of the comment section (rostra.discussion.section_frames)."""
    request, article = context.get("request"), context.get("article")
    if request is None or article is None:
        return None
    thread_page = context.get("thread_page")
    thread = getattr(thread_page, "thread", None)
    return render_to_string(
        "notifications/notify_control.html",
        {"article": article, "thread": thread, "live_since": _live_since(thread),
         "notify": notify_answer(request), "reader_parts": context.get("reader_parts"),
         **notify_links(request, context.get("viewer"))},
        request=request,
    )  # fmt: skip


@section_frames.register_part("notify_answer", kept_only_empty=True)
def notify_answer_part(reader):
    """Nothing, unless the reader has an answer to their last Notify-of waiting: then
    their section is rendered for them (it shows the answer, once)."""
    request = reader.request
    if getattr(request, "notify_answer", None) or NOTIFY_SESSION_KEY in request.session:
        return None
    return ""


# Kept per reader, e-mail address and feed version (rostra.core.fragments): a reset of
# the feed retires its kept link at once; the signed links age STORED_SECONDS at most.
_OWN_LINKS = Fragments(seconds=STORED_SECONDS)


@section_frames.register_part("notify_links")
def notify_links_part(reader):
    request, viewer = reader.request, reader.viewer
    version = replies_feed_version(viewer.key) if viewer is not None else None
    email = request.user.email if request.user.is_authenticated else None
    return _OWN_LINKS.html(
        (getattr(viewer, "key", None), version, email),
        lambda: render_to_string(
            "notifications/notify_own_links.html",
            notify_links(request, viewer, feed_version=version),
        ),
    )


section_frames.register_part("live_since")(lambda reader: str(_live_since(reader.thread)))


@slots.register("base.body_end")
def live_script(context):
    if not isinstance(context.get("page"), ArticlePage):
        return None
    return format_html('<script src="{}" defer></script>', static("notifications/live.js"))


hooks.register("rostra_prune", retention.prune)
