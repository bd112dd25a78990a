from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from rostra.discussion.identity import remember_guest, viewer_from_request
from rostra.discussion.services import thread_for_article
from rostra.notifications import services
from rostra.notifications.models import Frequency, Subscription, SubscriptionKind
from rostra.notifications.services import SubscriptionError
from rostra.publishing.models import ArticlePage


@require_POST
def subscribe(request, article_id: int):
    """The “Notify of” control under the comment section's heading."""
    article = get_object_or_404(ArticlePage.objects.live().public(), pk=article_id)
    viewer = viewer_from_request(request, create_guest=True)
    user = request.user if request.user.is_authenticated else None
    kind = request.POST.get("kind", "")
    email = (user.email if user else "") or request.POST.get("email", "")
    # Following replies on every article is for signed-in readers: a guest's identity
    # lives in one browser's cookie.
    everywhere = kind == "replies_everywhere" and user is not None
    if everywhere:
        kind = SubscriptionKind.REPLIES
    try:
        subscription = services.subscription_request(
            email=email,
            kind=kind,
            thread=None if everywhere else thread_for_article(article),
            author_key=viewer.key if kind == SubscriptionKind.REPLIES else "",
            user=user,
        )
    except SubscriptionError as error:
        messages.error(request, str(error))
    else:
        if subscription.is_active:
            messages.success(request, "You are subscribed. We will e-mail you.")
        else:
            messages.success(
                request,
                f"Almost done: we sent a confirmation link to {subscription.email}.",
            )
    response = HttpResponseRedirect(f"{article.url}#comments")
    remember_guest(response, viewer)
    return response


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    # GET only shows a button: link scanners in mail systems must not confirm for people.
    if request.method == "GET":
        return render(request, "notifications/confirm.html", {"token": token})
    result = services.subscription_confirm(token)
    return render(request, "notifications/result.html", {"result": result, "action": "confirm"},
                  status=200 if result.subscription else 400)  # fmt: skip


@csrf_exempt  # RFC 8058 one-click POSTs come from mail clients; the token authenticates
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", {"token": token})
    result = services.subscription_unsubscribe(token)
    return render(request, "notifications/result.html", {"result": result, "action": "unsubscribe"},
                  status=200 if result.subscription else 400)  # fmt: skip


@require_http_methods(["GET", "POST"])
def manage(request, token: str):
    email = services.email_from_manage_token(token)
    if email is not None and request.method == "POST":
        try:
            services.subscription_set_frequency(
                email=email,
                subscription_id=int(request.POST.get("subscription", 0)),
                frequency=request.POST.get("frequency", ""),
            )
            messages.success(request, "Saved.")
        except (SubscriptionError, ValueError) as error:
            messages.error(request, str(error) or "That did not work.")
        return HttpResponseRedirect(request.path)
    if email is None:
        return render(request, "notifications/result.html",
                      {"result": services.TokenResult(None, "invalid"), "action": "manage"},
                      status=400)  # fmt: skip
    subscriptions = Subscription.objects.filter(email=email, unsubscribed_at__isnull=True)
    rows = [(s, services.unsubscribe_token(s)) for s in subscriptions.select_related("thread")]
    return render(
        request,
        "notifications/manage.html",
        {"email": email, "rows": rows, "frequencies": Frequency.choices},
    )
