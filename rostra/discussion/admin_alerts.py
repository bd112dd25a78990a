"""Moderators' alerts in the Wagtail admin: the choice of alert e-mails in each
moderator's account settings, and the dashboard panel of what waits for them."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from rostra.discussion.models import AlertFrequency, ModeratorAlertPreference
from rostra.discussion.permissions import MODERATE, permissions_of
from rostra.discussion.selectors.alerts import moderation_waiting
from rostra.discussion.services import DiscussionError, alert_preference_set


class AlertPreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Moderation alerts"),
        choices=AlertFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "E-mail when a comment is held for a moderator or reported by readers, "
            "with one-click Approve and Reject links."
        ),
    )

    def __init__(self, *args, instance=None, **kwargs):
        self.user = instance
        preference = ModeratorAlertPreference.objects.filter(user=instance).first()
        initial = {"frequency": preference.frequency if preference else AlertFrequency.OFF}
        super().__init__(*args, initial=initial, **kwargs)

    def save(self):
        try:
            return alert_preference_set(user=self.user, frequency=self.cleaned_data["frequency"])
        except DiscussionError as refusal:  # lost the permission while the page was open
            self.add_error("frequency", refusal.message)  # translatable: no
            return None


class AlertPreferencePanel(BaseSettingsPanel):
    name = "moderation_alerts"
    title = _("Moderation alerts")
    tab = notifications_tab
    order = 900
    form_class = AlertPreferenceForm

    def is_active(self):
        return MODERATE in permissions_of(self.user)


class ModerationWaitingPanel(Component):
    """Held and reported comments, the oldest waiting, and the way to the queue."""

    name = "moderation_waiting"
    order = 50
    template_name = "discussion/admin/waiting_panel.html"

    def get_context_data(self, parent_context):
        waiting = moderation_waiting()
        return {
            "waiting": waiting,
            # The queue opens on what needs attention: held, or reported.
            "queue_url": reverse("wagtailsnippets_discussion_comment:list"),
        }


def waiting_panel(request, panels):
    if MODERATE in permissions_of(request.user):
        panels.append(ModerationWaitingPanel())


def alert_preference_panel(request, user, profile):
    return AlertPreferencePanel(request, user, profile)
