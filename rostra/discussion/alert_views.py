"""The page an alert e-mail's Approve / Reject link opens: GET shows the comment and
asks to confirm (mail scanners that fetch links decide nothing), POST acts, once, as
the moderator the link was sent to (`services.alert_link_use`)."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from rostra.discussion import services
from rostra.discussion.services import DiscussionError

TEMPLATE = "discussion/alerts/link.html"
# The token is in the address: keep it out of caches and other sites' Referer headers
# ("no-referrer" would make browsers send "Origin: null" with the form, which the CSRF
# check refuses).
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}


def _page(request, status=200, **context):
    response = render(
        request, TEMPLATE, {"site_name": settings.SITE_NAME, **context}, status=status
    )
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def alert_link(request, token: str):
    try:
        if request.method == "GET":
            link, comment = services.alert_link_check(token)
            return _page(request, link=link, comment=comment)
        comment = services.alert_link_use(token)
    except DiscussionError as refusal:
        return _page(request, status=refusal.status, error=refusal.message)
    return _page(request, done=comment)
