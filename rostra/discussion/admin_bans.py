"""Bans in the Wagtail admin: the list (create, lift) and "Ban this commenter" from a
comment, which may also remove everything they wrote. Every write goes through
`services.bans`, which checks the permissions itself."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from rostra.discussion.admin_views import staff_viewer
from rostra.discussion.models import Ban, BanDuration, Comment, ModerationReason
from rostra.discussion.permissions import BAN, MODERATE, permissions_of
from rostra.discussion.services.bans import ban_create, ban_lift, commenter_ban
from rostra.discussion.services.errors import DiscussionError

DURATION_CHOICES = [(d.value, d.label) for d in BanDuration]


class RefusalsAsFormErrors:
    """A DiscussionError from the service shows on the form instead of a server error."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DiscussionError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            # Wagtail sets this only when its own validation fails; form_invalid reads it.
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class BanCreateForm(WagtailAdminModelForm):
    duration = forms.ChoiceField(
        label=gettext_lazy("Duration"), choices=DURATION_CHOICES, initial=BanDuration.PERMANENT
    )


class BanLiftForm(WagtailAdminModelForm):
    lift = forms.BooleanField(required=False, label=gettext_lazy("Lift this ban now"))


_BAN_FIELDS = ["kind", "value", "label", "reason", "shadow"]
CREATE_PANELS = ObjectList(
    [*map(FieldPanel, _BAN_FIELDS[:3]), FieldPanel("duration"), *map(FieldPanel, _BAN_FIELDS[3:])],
    base_form_class=BanCreateForm,
).bind_to_model(Ban)
LIFT_PANELS = ObjectList(
    [
        *(FieldPanel(name, read_only=True) for name in [*_BAN_FIELDS, "expires_at"]),
        FieldPanel("lift"),
    ],
    base_form_class=BanLiftForm,
).bind_to_model(Ban)


class BanCreateView(RefusalsAsFormErrors, CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return ban_create(
            viewer=staff_viewer(self.request.user),
            kind=data["kind"],
            value=data["value"],
            duration=data["duration"],
            reason=data["reason"],
            shadow=data["shadow"],
            label=data["label"],
        )


class BanEditView(RefusalsAsFormErrors, EditView):
    """A ban is not rewritten, only lifted (its history stays)."""

    def save_instance(self):
        if self.form.cleaned_data.get("lift"):
            ban_lift(ban=self.object, viewer=staff_viewer(self.request.user))
        self.object.refresh_from_db()
        return self.object


def _state(ban: Ban) -> str:
    if ban.lifted_at:
        return pgettext("ban state", "Lifted")
    if ban.expires_at and ban.expires_at <= timezone.now():
        return pgettext("ban state", "Expired")
    return pgettext("ban state", "Shadow ban") if ban.shadow else pgettext("ban state", "Active")


class BanViewSet(SnippetViewSet):
    model = Ban
    icon = "lock"
    menu_label = gettext_lazy("Bans")
    menu_name = "bans"
    menu_order = 251
    add_to_admin_menu = True
    ordering = ["-created_at"]
    search_fields = ["label", "value", "reason"]
    list_display = [
        Column("label", label=gettext_lazy("Commenter"), accessor=lambda ban: ban.label or "—"),
        Column(
            "kind",
            accessor="get_kind_display",
            label=pgettext_lazy("how a ban names the commenter", "By"),
        ),
        Column("state", label=gettext_lazy("State"), accessor=_state),
        Column("reason", label=gettext_lazy("Reason"), accessor=lambda ban: ban.reason[:80]),
        DateColumn("created_at", label=gettext_lazy("Since"), sort_key="created_at"),
        DateColumn("expires_at", label=gettext_lazy("Until")),
    ]
    add_view_class = BanCreateView
    edit_view_class = BanEditView
    edit_handler = CREATE_PANELS

    def get_edit_view_kwargs(self, **kwargs):
        """The edit view only lifts: everything else is shown, not editable."""
        return super().get_edit_view_kwargs(
            panel=LIFT_PANELS, form_class=LIFT_PANELS.get_form_class(), **kwargs
        )


class CommenterBanForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Ban by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("identity", gettext_lazy("Their account or browser (guest identity)")),
            ("email", gettext_lazy("Their e-mail address")),
            ("address", gettext_lazy("Their IP address (IPv6: its /64 network)")),
        ],
    )
    duration = forms.ChoiceField(
        label=gettext_lazy("Duration"), choices=DURATION_CHOICES, initial=BanDuration.WEEK
    )
    shadow = forms.BooleanField(
        required=False,
        label=gettext_lazy("Shadow ban: their comments look published to them and to nobody else"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    remove_everything = forms.BooleanField(
        required=False, label=gettext_lazy("Remove everything this commenter wrote")
    )

    def __init__(self, *args, comment: Comment, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = {"identity": True, "email": comment.author_email, "address": comment.ip_hash}
        self.fields["kinds"].choices = [
            choice for choice in self.fields["kinds"].choices if recorded[choice[0]]
        ]

    def clean(self):
        data = super().clean()
        if not data.get("kinds") and not data.get("remove_everything"):
            raise forms.ValidationError(_("Choose what to ban, or to remove their comments."))
        return data


def ban_commenter(request, comment_id: int):
    """ "Ban this commenter" (and/or remove everything they wrote), from one comment."""
    if not permissions_of(request.user) & {BAN, MODERATE}:
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=comment_id)
    form = CommenterBanForm(request.POST or None, comment=comment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bans = commenter_ban(
                comment=comment,
                viewer=staff_viewer(request.user),
                kinds=data["kinds"],
                duration=data["duration"],
                reason=data["reason"],
                shadow=data["shadow"],
                remove_everything=data["remove_everything"],
            )
        except DiscussionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _commenter_banned(comment.author_name, len(bans), data))
            return redirect("wagtailsnippets_discussion_ban:list")
    return TemplateResponse(
        request,
        "discussion/admin/ban_commenter.html",
        {"comment": comment, "form": form, "reasons": ModerationReason.choices},
    )


def _commenter_banned(name: str, bans: int, data: dict) -> str:
    """What the list says after "Ban this commenter": the bans added, the removal."""
    added = ngettext("%(name)s: %(count)d ban added", "%(name)s: %(count)d bans added", bans) % {
        "name": name,
        "count": bans,
    }
    if not data["remove_everything"]:
        return added + "."
    if not bans:
        return _("%(name)s: their comments removed.") % {"name": name}
    # Translators: the first part is "NAME: N ban(s) added".
    return _("%(bans_added)s, their comments removed.") % {"bans_added": added}


def admin_urls():
    return [
        path(
            "discussion/comments/<int:comment_id>/ban/",
            ban_commenter,
            name="discussion_ban_commenter",
        )
    ]


def commenter_buttons(snippet, user, next_url=None):
    """ "Ban this commenter" in the comment list's row menu."""
    if isinstance(snippet, Comment) and permissions_of(user) & {BAN, MODERATE}:
        yield ListingButton(
            _("Ban this commenter"),
            url=reverse("discussion_ban_commenter", args=[snippet.pk]),
            icon_name="lock",
            priority=50,
        )
