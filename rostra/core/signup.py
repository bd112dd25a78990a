"""Sign-up asks for the name readers see on comments (allauth's ACCOUNT_SIGNUP_FORM_CLASS).

Comments show `user.get_full_name()` when set (rostra.discussion.identity), so the
display name is kept in `first_name`; without it they would show the user name.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MAX = 150  # User.first_name's length


class SignupDisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_("Shown with your comments, e.g. “Ana Ribeiro”."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(gettext("Please give the name to show with your comments."))
        return name

    def signup(self, request, user):
        user.first_name = self.cleaned_data["display_name"]
        user.save(update_fields=["first_name"])
