from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks

from rostra.core import slots


@hooks.register("register_account_menu_item")
def two_factor_settings(request):
    return {
        "url": reverse("mfa_index"),
        "label": _("Two-factor sign-in"),
        "help_text": _(
            "Ask for a code from an authenticator app when you sign in, "
            "and keep recovery codes for when the phone is lost."
        ),
    }


@slots.register("base.body_end")
def form_tokens_script(context):
    """Fetches a form token when a reader starts to write on a public page."""
    return format_html('<script src="{}" defer></script>', static("rostra/form_tokens.js"))
