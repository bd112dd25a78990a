from django.urls import reverse
from wagtail import hooks


@hooks.register("register_account_menu_item")
def two_factor_settings(request):
    return {
        "url": reverse("mfa_index"),
        "label": "Two-factor sign-in",
        "help_text": "Ask for a code from an authenticator app when you sign in, "
        "and keep recovery codes for when the phone is lost.",
    }
