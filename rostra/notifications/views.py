from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rostra.discussion import selectors
from rostra.discussion.identity import remember_guest, viewer_from_request
from rostra.discussion.services import thread_for_article
from rostra.notifications import services
from rostra.notifications.feeds import replies_feed_token
from rostra.notifications.models import Frequency, Subscription, SubscriptionKind
from rostra.notifications.services import SubscriptionError

CONFIRMATION_TOLD = {
    "not needed": gettext_lazy("You are subscribed. We will e-mail you."),
    "sent": gettext_lazy("Almost done: we sent a confirmation link to %(email)s."),
    "held back": gettext_lazy(
        "Almost done: your request is saved. We send at most one confirmation e-mail a day "
        "to an address, and %(email)s has had one: confirm this request on the subscriptions "
        "page linked from that e-mail, or subscribe again tomorrow."
    ),
}


# Where the “Notify of” answer waits for the page a reader without JavaScript is sent
# back to (a session: the answer names their address, which stays out of the URL).
NOTIFY_SESSION_KEY = "rostra.notify"


@require_POST
def subscribe(request, article_id: int):
    """The “Notify of” control under the comment section's heading. The answer shows
    beside the control, with what the reader chose and typed still in it: swapped in
    place with htmx; otherwise the article at the control (#notify)."""
    article = selectors.article_for_reader(article_id)
    if article is None:
        raise Http404(_("No such article."))
    viewer = viewer_from_request(request, create_guest=True)
    user = request.user if request.user.is_authenticated else None
    kind = request.POST.get("kind", "")
    typed_email = request.POST.get("email", "")
    notify = {"kind": kind, "email": typed_email}
    email = (user.email if user else "") or typed_email
    # Following replies on every article is for signed-in readers: a guest's identity
    # lives in one browser's cookie.
    everywhere = kind == "replies_everywhere" and user is not None
    if everywhere:
        kind = SubscriptionKind.REPLIES
    try:
        requested = services.subscription_request(
            email=email,
            kind=kind,
            thread=None if everywhere else thread_for_article(article),
            author_key=viewer.key if kind == SubscriptionKind.REPLIES else "",
            user=user,
            ip_hash=viewer.ip_hash,
        )
    except SubscriptionError as error:
        notify.update(message=str(error), error=True)
        response = _answer(request, article, notify, viewer, status=error.status)
    else:
        told = CONFIRMATION_TOLD[requested.confirmation]
        notify["message"] = str(told) % {"email": requested.subscription.email}
        response = _answer(request, article, notify, viewer)
    remember_guest(response, viewer)
    return response


def _answer(request, article, notify: dict, viewer, *, status: int = 200):
    """The control with `notify`'s message: the fragment for htmx; without it, a
    refusal shows the article again (the form's action ends in #notify), a success
    goes back to the article at the control."""
    if request.headers.get("HX-Request") == "true":
        context = {"article": article, "notify": notify, **notify_links(request, viewer)}
        html = render_to_string("notifications/notify_form.html", context, request=request)
        return HttpResponse(html, status=status)
    if status == 200:
        request.session[NOTIFY_SESSION_KEY] = notify
        return HttpResponseRedirect(f"{article.url}#notify")
    request.notify_answer = notify
    request.method = "GET"
    response = article.serve(request)
    response.status_code = status
    return response


def notify_answer(request) -> dict | None:
    """The answer to this reader's last “Notify of”, once: in this request (a refusal)
    or waiting in their session (a success). A reader without a session is not given
    one here, so a shared page stays shareable."""
    answer = getattr(request, "notify_answer", None)
    if answer is None and settings.SESSION_COOKIE_NAME in request.COOKIES:
        answer = request.session.pop(NOTIFY_SESSION_KEY, None)
    return answer


def notify_links(request, viewer, *, feed_version: int | None = None) -> dict:
    """The feeds and pages the control links to, for this reader (`feed_version`: their
    replies feed's, when already read)."""
    replies_feed = None
    if viewer is not None:
        token = replies_feed_token(viewer.key, feed_version)
        replies_feed = reverse("notifications:replies_feed", args=[token])
    return {"replies_feed": replies_feed, "manage_url": _manage_url(request)}


def _manage_url(request):
    user = request.user
    if not (user.is_authenticated and user.email):
        return None
    return reverse("notifications:manage", args=[services.manage_token(user.email)])


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    # GET only shows a button: link scanners in mail systems must not confirm for people.
    if request.method == "GET":
        return render(request, "notifications/confirm.html", {"token": token})
    result = services.subscription_confirm(token)
    return _result_page(request, result, "confirm")


@csrf_exempt  # RFC 8058 one-click POSTs come from mail clients; the token authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", {"token": token})
    result = services.subscription_unsubscribe(token)
    return _result_page(request, result, "unsubscribe")


def _result_page(request, result, action: str):
    """How a confirm or unsubscribe link went, leading back to the article the
    subscription is about (the front page when it is about none, or it is gone)."""
    thread = result.subscription.thread if result.subscription else None
    article = (
        selectors.article_for_reader(thread.article_id) if thread and thread.article_id else None
    )
    context = {"result": result, "action": action, "article": article}
    return render(request, "notifications/result.html", context,
                  status=200 if result.subscription else 400)  # fmt: skip


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _manage_action(request, email: str, viewer) -> None:
    """Apply one form of the subscriptions page, telling the reader how it went."""
    action = request.POST.get("action", "frequency")
    subscription_id = _int_or_none(request.POST.get("subscription"))
    try:
        if action == "reset_feed":
            services.replies_feed_reset(email=email, viewer_key=viewer.key if viewer else None)
            told = _("Your private feed has a new address; the old one no longer works.")
        elif action == "confirm":
            services.subscription_confirm_own(email=email, subscription_id=subscription_id)
            told = _("Subscription confirmed.")
        else:
            services.subscription_set_frequency(
                email=email,
                subscription_id=subscription_id,
                frequency=request.POST.get("frequency", ""),
            )
            told = _("Saved.")
    except SubscriptionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, told)


@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    email = services.email_from_manage_token(token)
    if email is None:
        return render(request, "notifications/result.html",
                      {"result": services.TokenResult(None, "invalid"), "action": "manage"},
                      status=400)  # fmt: skip
    viewer = viewer_from_request(request)
    if request.method == "POST":
        _manage_action(request, email, viewer)
        return HttpResponseRedirect(request.path)
    subscriptions = Subscription.objects.filter(email=email, unsubscribed_at__isnull=True)
    rows = [(s, services.unsubscribe_token(s)) for s in subscriptions.select_related("thread")]
    owners = services.replies_feed_owners(email=email, viewer_key=viewer.key if viewer else None)
    replies_feed = None
    if viewer is not None:
        replies_feed = reverse("notifications:replies_feed", args=[replies_feed_token(viewer.key)])
    return render(
        request,
        "notifications/manage.html",
        {
            "email": email,
            "rows": rows,
            "frequencies": Frequency.choices,
            "has_feed": bool(owners),
            "replies_feed": replies_feed,
        },
    )
