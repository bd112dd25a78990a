"""The form editors record a gift with by hand (and correct one with): the outlet's own
channels plus cash, "received" at now, the reference optional (the service makes one),
and the exchange rate checked so that no gift goes silently uncounted."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from rostra.funding import selectors, services
from rostra.funding.models import ChannelKind

WALL_HELP = gettext_lazy(
    "Ticked: the gift stays off the supporters wall on the support page. Unticked: the "
    "donor's name and message are shown there (with an e-mail address, the donor's record "
    "is set to be named, as if they had chosen it at checkout)."
)


def channel_choices(current: str = "") -> list[tuple[str, str]]:
    """The outlet's enabled channels by their names (as on /support/), one per kind of
    gift, then "Cash or cheque"; a gift being corrected keeps its own channel listed."""
    names = selectors.channel_names()
    kinds = [channel.kind for channel in selectors.enabled_channels()]
    kinds = [*dict.fromkeys([*kinds, ChannelKind.CASH, *([current] if current else [])])]
    return [("", "---------"), *((kind, names.get(kind, kind)) for kind in kinds)]


class ManualDonationForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adding = self.instance.pk is None
        self.fields["channel"].choices = channel_choices("" if adding else self.instance.channel)
        reference = self.fields["external_reference"]
        reference.required = False
        reference.help_text = _(
            "The payment's reference (transfer, cheque number …). Empty: one is made up, "
            "e.g. “manual-20250320-3f9a1c”."
        )
        self.fields["is_anonymous"].label = _("Keep off the supporters wall")
        self.fields["is_anonymous"].help_text = WALL_HELP
        self.campaign_currency = (
            self.instance.campaign_currency if not adding else selectors.ledger_currency()
        )
        self.fields["rate_to_campaign"].help_text = _(
            "What one unit of the gift's currency was worth in %(currency)s when it "
            "arrived. Empty: 1 for %(currency)s, or the currency rate recorded for that "
            "day; needed for any other currency."
        ) % {"currency": self.campaign_currency}
        if adding:
            self.fields["received_at"].initial = lambda: timezone.localtime().replace(
                second=0, microsecond=0
            )
            self.fields["currency"].initial = self.campaign_currency
            self.fields["rate_to_campaign"].widget.attrs["placeholder"] = "1"

    def clean(self):
        data = super().clean()
        currency, received_at = data.get("currency"), data.get("received_at")
        if not currency or data.get("rate_to_campaign") is not None:
            return data
        if currency == self.campaign_currency:
            data["rate_to_campaign"] = Decimal(1)
        elif services.rate_for(currency, self.campaign_currency, received_at or timezone.now()):
            data["rate_to_campaign"] = None  # the recorded rate, looked up when saved
        else:
            self.add_error(
                "rate_to_campaign",  # translatable: no (the field name)
                _(
                    "Give the exchange rate: what one %(currency)s was worth in "
                    "%(campaign_currency)s. Without one the gift would not count towards "
                    "the goal. (Or add a currency rate under Funding.)"
                )
                % {"currency": currency, "campaign_currency": self.campaign_currency},
            )
        return data
