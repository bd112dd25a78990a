"""The filter's page in the admin (Reports → Spam filter): how well the current version
does on decisions it was not trained on, what it would have held last week, the
trade-off of its thresholds, and a button to train now. Moderators only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rostra.spamfilter import selectors, services


def _moderator(request) -> None:
    if not request.user.has_perm(services.MODERATE_PERMISSION):
        raise PermissionDenied(_("Only moderators can see the spam filter."))


def filter_report(request):
    _moderator(request)
    return TemplateResponse(
        request, "spamfilter/admin/report.html", selectors.filter_report(timezone.now())
    )


@require_POST
def filter_train_now(request):
    try:
        services.filter_train_request(user=request.user)
    except services.FilterError as error:
        raise PermissionDenied(str(error)) from None
    messages.success(
        request,
        _(
            "Training has started in the background: the new version appears here when it "
            "is done (seconds for a few thousand decisions)."
        ),
    )
    return redirect("spamfilter_report")
