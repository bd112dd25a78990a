from django.template.loader import render_to_string

from rostra.core import slots


@slots.register("discussion.header")
def notify_control(context):
    request, article = context.get("request"), context.get("article")
    if request is None or article is None:
        return None
    return render_to_string(
        "notifications/notify_control.html", {"article": article}, request=request
    )
