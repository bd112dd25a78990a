from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from rostra.core import slots
from rostra.core.form_tokens import CSRF_REFUSED_HOOK
from rostra.core.page_cache import PAGE_VERSION_HOOK
from rostra.funding import metrics, selectors, services
from rostra.funding.admin_dashboard import add_funding_panel
from rostra.funding.admin_donation_form import ManualDonationForm
from rostra.funding.admin_donors import DonorViewSet
from rostra.funding.asks import ask_context
from rostra.funding.models import (
    AskPosition,
    Campaign,
    Channel,
    CurrencyRate,
    Donation,
    FundingSettings,
)
from rostra.funding.services import DonationEvent, DonationRejected
from rostra.funding.views.checkout import card_form_again
from rostra.publishing.models import ArticlePage


def _funding_state(context):
    """Settings, campaign progress and channels, looked up once per request."""
    request = context.get("request")
    if request is None:
        return None
    state = getattr(request, "_rostra_funding", None)
    if state is None:
        funding = FundingSettings.for_request(request)
        campaign = selectors.active_campaign()
        state = {
            "settings": funding,
            "progress": selectors.campaign_progress(campaign) if campaign else None,
            "channels": selectors.enabled_channels(),
        }
        request._rostra_funding = state
    return state


def _asks_allowed(context) -> bool:
    """An article, or its whole section, may opt out of every ask (Settings tab)."""
    page = context.get("page")
    if not isinstance(page, ArticlePage):
        return True
    section = context.get("section")
    return page.funding_asks and getattr(section, "funding_asks", True)


def _ask(context, position: str) -> dict:
    """Where this ask is, for the link to the card form: first-party query parameters
    (the article's id and the place on the page), no cookie, no third party."""
    page = context.get("page")
    article_id = page.pk if isinstance(page, ArticlePage) else None
    return {"position": position, **({"article": article_id} if article_id else {})}


def _banner(context):
    """Story first: one line above the article (and on the home page), the goal
    sentence and a "Support us" button; the full ask waits after the body."""
    state = _funding_state(context)
    if not state or not state["settings"].show_banner or not _asks_allowed(context):
        return None
    progress = state["progress"] if state["settings"].show_goal_bar else None
    if progress is None and not state["channels"]:
        return None
    return render_to_string(
        "funding/banner.html",
        {
            "progress": progress,
            "heading": selectors.support_heading(state["settings"]),
            "ask": urlencode(_ask(context, AskPosition.BANNER)),
        },
    )


def _end_ask(context):
    """The full ask after the body: amounts, once or monthly, the card button, the
    other ways to give."""
    state = _funding_state(context)
    if not state or not state["settings"].show_end_ask or not _asks_allowed(context):
        return None
    if not state["channels"]:
        return None
    funding = state["settings"]
    return render_to_string(
        "funding/ask.html",
        ask_context(
            funding=funding,
            channels=state["channels"],
            progress=state["progress"] if funding.show_goal_bar else None,
            heading=selectors.support_heading(funding),
            ask=_ask(context, AskPosition.ARTICLE_END),
            position="after",
        ),
        request=context.get("request"),
    )


@hooks.register(PAGE_VERSION_HOOK)
def funding_version(page):
    """The goal bar's total moves with every donation booked or corrected (webhooks,
    imports, manual entry); campaigns and channels are logged snippets (publishing)."""
    return selectors.donations_version_queries()


slots.register("article.above_headline")(_banner)
slots.register("home.top")(_banner)
slots.register("article.after_body")(_end_ask)
hooks.register(CSRF_REFUSED_HOOK, card_form_again)


@slots.register("base.head")
def funding_stylesheet(context):
    return format_html('<link rel="stylesheet" href="{}">', static("funding/funding.css"))


@slots.register("base.body_end")
def funding_script(context):
    return format_html('<script src="{}" defer></script>', static("funding/funding.js"))


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    list_display = ["title", "period", "goal", "currency", "starts_on", "is_active"]


class ChannelViewSet(SnippetViewSet):
    model = Channel
    icon = "link"
    list_display = ["label", "kind", "enabled", "sort_order"]
    ordering = ["sort_order", "pk"]


class CurrencyRateViewSet(SnippetViewSet):
    model = CurrencyRate
    icon = "cogs"
    list_display = ["__str__", DateColumn("valid_from", label=_("From"))]


class RefusalsShownOnTheForm:
    """A gift the service refuses comes back as the form with the reason, as typed."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class DonationCreateView(RefusalsShownOnTheForm, CreateView):
    """Manual entry goes through the same service as webhooks and imports."""

    def save_instance(self):
        data = self.form.cleaned_data
        event = DonationEvent(
            channel=data["channel"],
            external_reference=data["external_reference"],
            amount=data["amount"],
            currency=data["currency"],
            status=data["status"],
            received_at=data["received_at"],
            donor_name=data.get("donor_name", ""),
            email=data.get("email", ""),
            message=data.get("message", ""),
            is_anonymous=data.get("is_anonymous", True),
            email_verified=True,  # the editor vouches for the address they enter
            rate_to_campaign=data["rate_to_campaign"],
        )
        try:
            return services.donation_enter(
                event=event, campaign_currency=self.form.campaign_currency, user=self.request.user
            )
        except DonationRejected as error:
            raise ValidationError(str(error)) from error


class DonationEditView(RefusalsShownOnTheForm, EditView):
    """Corrections are saved by the service, which records who changed what."""

    def save_instance(self):
        donation = Donation.objects.get(pk=self.object.pk)
        try:
            return services.donation_correct(
                donation=donation, changes=self.form.cleaned_data, user=self.request.user
            )
        except DonationRejected as error:
            raise ValidationError(str(error)) from error


class DonationViewSet(SnippetViewSet):
    model = Donation
    add_view_class = DonationCreateView
    edit_view_class = DonationEditView
    edit_handler = ObjectList(
        [
            FieldPanel("channel"),
            FieldPanel("external_reference"),
            FieldPanel("amount"),
            FieldPanel("currency"),
            FieldPanel("status"),
            FieldPanel("received_at"),
            FieldPanel("rate_to_campaign"),
            FieldPanel("donor_name"),
            FieldPanel("is_anonymous"),
            FieldPanel("message"),
            FieldPanel("email"),
        ],
        base_form_class=ManualDonationForm,
    )
    icon = "tick-inverse"
    list_display = [
        "__str__",
        "status",
        "donor_name",
        DateColumn("received_at", label=_("Received"), sort_key="received_at"),
    ]
    list_filter = ["status", "channel", "currency"]
    search_fields = ["donor_name", "external_reference", "email"]
    inspect_view_enabled = True


class FundingGroup(SnippetViewSetGroup):
    items = (CampaignViewSet, ChannelViewSet, DonationViewSet, DonorViewSet, CurrencyRateViewSet)
    menu_icon = "pick"
    menu_label = _("Funding")
    menu_name = "funding"
    menu_order = 260


register_snippet(FundingGroup)


@hooks.register("rostra_load_demo")
def load_demo_funding():
    from rostra.funding.demo import demo_funding_load

    return demo_funding_load()


@hooks.register("register_admin_urls")
def funding_report_url():
    from django.urls import path

    from rostra.funding.admin_donors import admin_urls
    from rostra.funding.views.report import funding_report

    return [path("funding/report/", funding_report, name="funding_report"), *admin_urls()]


@hooks.register("register_log_actions")
def donor_log_actions(actions):
    actions.register_action(
        "rostra.donor.merge", _("Merge donor records"), _("Merged a donor record")
    )
    actions.register_action("rostra.donor.erase", _("Erase donor"), _("Erased personal data"))


@hooks.register("register_reports_menu_item")
def funding_report_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("Funding"), reverse("funding_report"), icon_name="pick", order=100)


hooks.register("rostra_metrics", metrics.families)
hooks.register("construct_homepage_panels", add_funding_panel)


@hooks.register("rostra_backup_counts")
def backup_counts():
    return [("donations", Donation)]


# The discussion's "Supporter" badge and supporters-only discussions ask funding here.
hooks.register("rostra_comment_badges", selectors.supporter_badges)
hooks.register("rostra_supporter", selectors.account_supports)
