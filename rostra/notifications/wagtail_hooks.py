from django.template.loader import render_to_string
from django.urls import reverse

from rostra.core import slots
from rostra.notifications.feeds import replies_feed_token


@slots.register("discussion.header")
def notify_control(context):
    request, article = context.get("request"), context.get("article")
    if request is None or article is None:
        return None
    viewer = context.get("viewer")
    replies_feed = None
    if viewer is not None:
        replies_feed = reverse("notifications:replies_feed", args=[replies_feed_token(viewer.key)])
    return render_to_string(
        "notifications/notify_control.html",
        {"article": article, "replies_feed": replies_feed},
        request=request,
    )
