"""Donors' self-service under /support/manage/: asking for a link, opening it, and the
page (for the session the link opened) with their gifts, receipts, a year-end summary,
their monthly gifts and their choice of being named. Writes go through
`services.self_service` and `services.donors`."""

from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rostra.core.addresses import client_ip, hash_ip
from rostra.funding import selectors, services
from rostra.funding.models import Donor
from rostra.funding.money import format_money
from rostra.funding.services.self_service import (
    SelfServiceRefused,
    billing_portal_url,
    manage_link_check,
    manage_link_open,
    manage_link_request,
    recurring_gift_cancel,
)

SESSION_KEY = "rostra_donor"
SESSION_LENGTH = timedelta(hours=2)
SAME_ANSWER = gettext_lazy(
    "If this address is on one of our donor records, a link to manage your support is on "
    "its way. It works once, within 7 days. Nothing arrived? Check your spam folder, or "
    "use the address you gave with."
)


def _render_request(request, *, error="", done="", email="", status=200):
    return render(
        request,
        "funding/manage_request.html",
        {"error": error, "done": done, "email": email, "site_name": settings.SITE_NAME},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def manage_request(request):
    """The form: an e-mail address in, the same answer out whether it is known or not."""
    if request.method == "GET":
        return _render_request(request)
    email = request.POST.get("email", "")
    try:
        manage_link_request(email=email, ip_hash=hash_ip(client_ip(request)))
    except SelfServiceRefused as refusal:
        return _render_request(request, error=str(refusal), email=email, status=refusal.status)
    return _render_request(request, done=SAME_ANSWER)


@require_http_methods(["GET", "POST"])
def manage_open(request, token: str):
    """GET asks to open (mail scanners that fetch the link do not spend it); POST opens
    it, once, and starts a short session for the donor."""
    try:
        if request.method == "GET":
            manage_link_check(token)
            return render(request, "funding/manage_open.html", {"site_name": settings.SITE_NAME})
        donor = manage_link_open(token)
    except SelfServiceRefused as refusal:
        return _render_request(request, error=str(refusal), status=refusal.status)
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "id": donor.pk,
        "until": (timezone.now() + SESSION_LENGTH).timestamp(),
    }
    return redirect("funding:manage_gifts")


def session_donor(request) -> Donor | None:
    """The donor whose link opened this session, while it lasts."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or data.get("until", 0) < timezone.now().timestamp():
        return None
    return Donor.objects.filter(
        pk=data.get("id"), merged_into__isnull=True, erased_at__isnull=True
    ).first()


def with_donor(view):
    """The view runs for the session's donor, passed as `donor`; without one, the
    request form says the link has run out (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        donor = session_donor(request)
        if donor is None:
            return _render_request(
                request,
                error=_("Your link has run out. Ask for a new one to manage your support."),
                status=403,
            )
        return view(request, donor, *args, **kwargs)

    return wrapped


@with_donor
def manage_gifts(request, donor):
    gifts = list(selectors.donor_gifts(donor))
    years = sorted({timezone.localtime(g.received_at).year for g in gifts}, reverse=True)
    return render(
        request,
        "funding/manage_page.html",
        {
            "donor": donor,
            "gifts": [(g, format_money(g.amount, g.currency)) for g in gifts],
            "monthly": selectors.donor_monthly_gifts(donor),
            "years": years,
            "site_name": settings.SITE_NAME,
        },
    )


def _refused_on_page(request, refusal: SelfServiceRefused):
    messages.error(request, str(refusal))
    return redirect("funding:manage_gifts")


@require_POST
@with_donor
def manage_cancel(request, donor, gift_id: int):
    try:
        recurring_gift_cancel(donor=donor, gift_id=gift_id)
    except SelfServiceRefused as refusal:
        return _refused_on_page(request, refusal)
    messages.success(request, _("Your monthly gift is cancelled. Thank you for your support."))
    return redirect("funding:manage_gifts")


@require_POST
@with_donor
def manage_card(request, donor, gift_id: int):
    try:
        url = billing_portal_url(
            donor=donor,
            gift_id=gift_id,
            return_url=f"{settings.BASE_URL}{reverse('funding:manage_gifts')}",
        )
    except SelfServiceRefused as refusal:
        return _refused_on_page(request, refusal)
    return redirect(url)


@require_POST
@with_donor
def manage_wall(request, donor):
    show = request.POST.get("show_name") == "yes"
    services.donor_set_show_name(donor=donor, show=show)
    messages.success(
        request,
        _("Your name is shown on the supporters wall and as a supporter badge.")
        if show
        else _("Your name is not shown on the supporters wall."),
    )
    return redirect("funding:manage_gifts")


@with_donor
def manage_receipt(request, donor, donation_id: int):
    gift = selectors.donor_gifts(donor).filter(pk=donation_id).first()
    if gift is None:
        return render(request, "funding/manage_missing.html", {"what": "receipt"}, status=404)
    return render(
        request,
        "funding/manage_receipt.html",
        {"donor": donor, "gift": gift, "amount": format_money(gift.amount, gift.currency),
         "site_name": settings.SITE_NAME},
    )  # fmt: skip


@with_donor
def manage_summary(request, donor, year: int):
    zone = timezone.get_current_timezone()
    if not 2000 <= year <= 9998:
        return render(request, "funding/manage_missing.html", {"what": "year"}, status=404)
    start = datetime(year, 1, 1, tzinfo=zone)
    end = datetime(year + 1, 1, 1, tzinfo=zone)
    gifts = selectors.donor_confirmed_gifts_between(donor, start, end)
    totals: dict[str, object] = {}
    for gift in gifts:
        totals[gift.currency] = totals.get(gift.currency, 0) + gift.amount
    return render(
        request,
        "funding/manage_summary.html",
        {
            "donor": donor,
            "year": year,
            "gifts": [(g, format_money(g.amount, g.currency)) for g in gifts],
            "totals": [format_money(total, currency) for currency, total in totals.items()],
            "site_name": settings.SITE_NAME,
            "today": timezone.localdate(),
        },
    )
