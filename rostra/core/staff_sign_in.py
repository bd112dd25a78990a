"""Staff sign in through the readers' door: allauth's login, its rate limits, its second
factor.

Wagtail's own login views (`/admin/login/`, and `/_util/login/` for private pages) check
a password with neither a rate limit nor a second factor. Both are replaced by a
redirect to allauth's sign-in page, whatever the method, so a password posted to them
signs nobody in. With `STAFF_REQUIRE_2FA`, a staff account without an authenticator
app can do nothing but set one up (or sign out).
"""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SECOND_FACTOR_TYPES = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
# Where a staff account without a second factor may still go: allauth's pages (set up
# the authenticator, sign out) and what those pages load.
SETUP_PATHS = ("/accounts/", "/static/", "/media/", "/healthz")


def sign_in_redirect(request, *, default_next: str = "/admin/"):
    """Send the browser to allauth's sign-in page, keeping a local `next`."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = default_next
    query = urlencode({REDIRECT_FIELD_NAME: next_url})
    return HttpResponseRedirect(f"{reverse('account_login')}?{query}")


def has_staff_powers(user, path: str) -> bool:
    """Staff flag or superuser anywhere; admin access (editors' groups) in the admin.

    Outside the admin only the staff flag gives powers (moderating comments), and
    asking for permissions there would cost every signed-in reader two queries.
    """
    if user.is_staff or user.is_superuser:
        return True
    return path.startswith("/admin/") and user.has_perm("wagtailadmin.access_admin")


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_REQUIRE_2FA
            and not request.path.startswith(SETUP_PATHS)
            and request.user.is_authenticated
            and has_staff_powers(request.user, request.path)
            and not is_mfa_enabled(request.user, SECOND_FACTOR_TYPES)
        ):
            messages.warning(
                request,
                _(
                    "Two-factor sign-in is required for staff: set up an authenticator app "
                    "to continue."
                ),
                fail_silently=True,
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
