"""Donor records in the Wagtail admin: a list with filters, search and CSV export, a
donor's page with their gift history, and merging and erasing, which call the donor
services (the one write path)."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    InspectView,
    SnippetViewSet,
)

from rostra.funding import selectors, services
from rostra.funding.models import Donor, DonorStatus
from rostra.funding.money import format_money


class DonorFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        choices=DonorStatus.choices, empty_label=gettext_lazy("Any status"), method="filter_status"
    )
    email_verified = django_filters.BooleanFilter(label=gettext_lazy("Address verified"))
    show_name = django_filters.BooleanFilter(label=gettext_lazy("Named on the wall"))

    class Meta:
        model = Donor
        fields = ["status", "email_verified", "show_name"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(selectors.donor_status_q(value))


def _status(donor: Donor) -> str:
    return DonorStatus(donor.status_at(timezone.now())).label


def _lifetime(donor: Donor) -> str:
    return format_money(donor.lifetime_total, donor.lifetime_currency or "USD")


class DonorCreateView(CreateView):
    """Donor records come from gifts; there is nothing to create by hand."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404(_("Donor records are created by the gifts themselves."))


class DonorIndexView(IndexView):
    """No "Add donor" button, nor "Why not add one?" on an empty list: both led to the
    404 above."""

    def get_add_url(self):
        return None


class DonorEditView(EditView):
    """An editor corrects a name or the wall choice, through the donor service."""

    def save_instance(self):
        donor = Donor.objects.get(pk=self.object.pk)
        data = self.form.cleaned_data
        return services.donor_update(
            donor=donor, name=data["name"], show_name=data["show_name"], user=self.request.user
        )


class DonorInspectView(InspectView):
    """The donor's figures and their gift history (one query for the gifts)."""

    template_name = "funding/admin/donor_inspect.html"
    fields = ["email", "email_verified", "name", "user", "show_name", "created_at"]

    def get_context_data(self, **kwargs):
        donor = self.object
        return {
            **super().get_context_data(**kwargs),
            "donor": donor,
            "status": _status(donor),
            "lifetime": _lifetime(donor),
            "gifts": selectors.donor_gifts(donor),
            "monthly": selectors.donor_monthly_gifts(donor),
        }

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if not self.object.erased_at:
            buttons += [
                Button(
                    _("Merge another record into this one"),
                    url=reverse("funding_donor_merge", args=[self.object.pk]),
                    icon_name="resubmit",
                    priority=30,
                ),
                Button(
                    _("Erase personal data"),
                    url=reverse("funding_donor_erase", args=[self.object.pk]),
                    icon_name="bin",
                    priority=40,
                ),
            ]
        return buttons


class DonorViewSet(SnippetViewSet):
    model = Donor
    icon = "user"
    add_view_class = DonorCreateView
    index_view_class = DonorIndexView
    edit_view_class = DonorEditView
    inspect_view_class = DonorInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = DonorFilterSet
    search_fields = ["name", "email"]
    list_per_page = 50
    panels = [FieldPanel("name"), FieldPanel("show_name")]
    list_display = [
        Column("name", label=gettext_lazy("Donor"), accessor="__str__"),
        Column("status", label=gettext_lazy("Status"), accessor=_status),
        Column("gifts", label=gettext_lazy("Gifts"), sort_key="gifts"),
        Column(
            "lifetime",
            label=gettext_lazy("Lifetime"),
            accessor=_lifetime,
            sort_key="lifetime_total",
        ),
        Column(
            "active_monthly_gifts",
            label=gettext_lazy("Monthly gifts"),
            sort_key="active_monthly_gifts",
        ),
        DateColumn("first_gift_at", label=gettext_lazy("First gift"), sort_key="first_gift_at"),
        DateColumn("last_gift_at", label=gettext_lazy("Last gift"), sort_key="last_gift_at"),
    ]
    list_export = [
        "pk", "name", "email", "email_verified", "status", "gifts", "first_gift_at",
        "last_gift_at", "lifetime_total", "lifetime_currency", "active_monthly_gifts",
        "show_name",
    ]  # fmt: skip
    export_headings = {
        "pk": gettext_lazy("Donor"), "name": gettext_lazy("Name"),
        "email": gettext_lazy("Email"), "email_verified": gettext_lazy("Address verified"),
        "status": gettext_lazy("Status"), "gifts": gettext_lazy("Gifts"),
        "first_gift_at": gettext_lazy("First gift"), "last_gift_at": gettext_lazy("Last gift"),
        "lifetime_total": gettext_lazy("Lifetime total"),
        "lifetime_currency": gettext_lazy("Currency"),
        "active_monthly_gifts": gettext_lazy("Monthly gifts"),
        "show_name": gettext_lazy("Named on the wall"),
    }  # fmt: skip
    export_filename = "rostra-donors"

    def get_queryset(self, request):
        return selectors.donors_listed()


class MergeForm(forms.Form):
    other = forms.IntegerField(
        label=gettext_lazy("Number of the donor record to merge into this one"),
        help_text=gettext_lazy(
            "Its gifts and monthly gifts move here; the other record is kept only as "
            "a pointer, so later gifts from its address arrive here."
        ),
        min_value=1,
    )


def _listed_donor(pk: int) -> Donor:
    return get_object_or_404(selectors.donors_listed(), pk=pk)


def donor_merge_view(request, pk: int):
    if not request.user.has_perm("funding.change_donor"):
        raise PermissionDenied
    keep = _listed_donor(pk)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = selectors.donors_listed().filter(pk=form.cleaned_data["other"]).first()
        if other is None:
            form.add_error(
                "other",  # translatable: no (the field name)
                _("There is no such donor record (or it was merged already)."),
            )
        else:
            try:
                services.donor_merge(keep=keep, merge=other, user=request.user)
            except services.DonorRefused as refusal:
                form.add_error("other", str(refusal))  # translatable: no
            else:
                messages.success(
                    request,
                    _("Donor #%(number)s was merged into this record.") % {"number": other.pk},
                )
                return redirect("wagtailsnippets_funding_donor:inspect", keep.pk)
    return TemplateResponse(
        request,
        "funding/admin/donor_action.html",
        {"donor": keep, "form": form, "action": "merge", "title": _("Merge")},
        status=400 if form.errors else 200,
    )


def donor_erase_view(request, pk: int):
    if not request.user.has_perm("funding.delete_donor"):
        raise PermissionDenied
    donor = _listed_donor(pk)
    if request.method == "POST":
        services.donor_erase(donor=donor, user=request.user)
        messages.success(
            request,
            _("Donor #%(number)s was erased; their gifts stay, anonymous.") % {"number": donor.pk},
        )
        return redirect("wagtailsnippets_funding_donor:inspect", donor.pk)
    return TemplateResponse(
        request,
        "funding/admin/donor_action.html",
        {"donor": donor, "action": "erase", "title": _("Erase")},
    )


def admin_urls():
    return [
        path("funding/donors/<int:pk>/merge/", donor_merge_view, name="funding_donor_merge"),
        path("funding/donors/<int:pk>/erase/", donor_erase_view, name="funding_donor_erase"),
    ]
