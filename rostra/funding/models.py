"""Campaigns, support channels and the donation ledger."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from rostra.funding.amounts import LEDGER_DECIMAL_PLACES, LEDGER_MAX_DIGITS
from rostra.funding.crypto import InvalidAddress
from rostra.funding.crypto.bitcoin import validate_bitcoin
from rostra.funding.crypto.bitcoincash import validate_bitcoin_cash
from rostra.funding.crypto.ethereum import validate_ethereum
from rostra.funding.lapse import lapse_cutoff

currency_code = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. USD."))


def parse_amount_presets(text: str) -> list[Decimal]:
    """ "5, 10, 25" as amounts; ValueError naming the first that is not a positive number."""
    amounts = []
    for part in (part.strip() for part in text.split(",")):
        if not part:
            continue
        try:
            amount = Decimal(part)
        except ArithmeticError:
            raise ValueError(gettext("“%(amount)s” is not a number.") % {"amount": part}) from None
        if not amount.is_finite() or amount <= 0:
            raise ValueError(gettext("“%(amount)s” is not a positive amount.") % {"amount": part})
        amounts.append(amount)
    return amounts


def validate_amount_presets(text: str) -> None:
    try:
        amounts = parse_amount_presets(text)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if not 1 <= len(amounts) <= 6:
        raise ValidationError(_("Give between one and six amounts, e.g. 5, 10, 25, 50."))


@register_setting(icon="pick")
class FundingSettings(BaseSiteSetting):
    show_goal_bar = models.BooleanField(
        default=True,
        help_text=_("Show the funding goal bar on articles, home and /support."),
        verbose_name=_("show goal bar"),
    )
    show_banner = models.BooleanField(
        _("show the banner above articles"),
        default=True,
        help_text=_("One line above the article body: the goal sentence and “Support us”."),
    )
    show_end_ask = models.BooleanField(
        _("show the ask after articles"),
        default=True,
        help_text=_("The full ask (amounts, once or monthly, other ways to give) after the body."),
    )
    support_heading = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Empty: “Support <site name>”."),
        verbose_name=_("support heading"),
    )
    support_text = models.TextField(
        _("what your support pays for"),
        blank=True,
        default="We are funded by our readers. If our work matters to you, please chip in.",
        help_text=_("Under the ask's headline: what a gift makes possible."),
    )
    amount_presets = models.CharField(
        _("preset amounts"),
        max_length=200,
        default="5, 10, 25, 50",
        validators=[validate_amount_presets],
        help_text=_("The amounts offered as buttons in the campaign currency, comma-separated."),
    )
    monthly_preselected = models.BooleanField(
        _("monthly preselected"),
        default=False,
        help_text=_("The ask offers “Monthly” first instead of “Once”."),
    )
    card_minimum = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("2.00"),
        help_text=_("Smallest card gift, in the campaign currency."),
        verbose_name=_("card minimum"),
    )
    card_maximum = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("5000.00"),
        help_text=_("Largest card gift, in the campaign currency."),
        verbose_name=_("card maximum"),
    )

    panels = [
        FieldPanel("show_goal_bar"),
        MultiFieldPanel(
            [
                FieldPanel("show_banner"),
                FieldPanel("show_end_ask"),
                FieldPanel("support_heading"),
                FieldPanel("support_text"),
                FieldPanel("amount_presets"),
                FieldPanel("monthly_preselected"),
            ],
            heading=_("Asks on articles"),
        ),
    ]

    class Meta:
        verbose_name = _("funding settings")


class CampaignPeriod(models.TextChoices):
    MONTHLY = "monthly", _("A goal every month (resets on the 1st)")
    ONE_OFF = "one_off", _("One-off, between two dates")


class Campaign(models.Model):
    """A funding goal. The active one (the newest that covers today) drives the bar."""

    title = models.CharField(max_length=120, verbose_name=_("title"))
    period = models.CharField(
        max_length=10,
        choices=CampaignPeriod.choices,
        default=CampaignPeriod.MONTHLY,
        verbose_name=_("period"),
    )
    goal = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        verbose_name=_("goal"),
    )
    currency = models.CharField(
        max_length=3, default="USD", validators=[currency_code], verbose_name=_("currency")
    )
    milestones = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Amounts for ticks under the bar, comma-separated. Empty: 0, half, full."),
        verbose_name=_("milestones"),
    )
    starts_on = models.DateField(
        help_text=_("First day (for monthly goals: from this month)."), verbose_name=_("starts on")
    )
    ends_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("Last day of a one-off campaign."),
        verbose_name=_("ends on"),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("is active"))

    panels = [
        FieldPanel("title"),
        FieldPanel("period"),
        FieldPanel("goal"),
        FieldPanel("currency"),
        FieldPanel("milestones"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.title

    def clean(self):
        if self.period == CampaignPeriod.ONE_OFF and not self.ends_on:
            raise ValidationError({"ends_on": _("A one-off campaign needs a last day.")})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day comes before the first.")})
        try:
            self.tick_amounts()
        except (ArithmeticError, ValueError):
            raise ValidationError(
                {
                    "milestones": _(
                        "Write amounts as numbers separated by commas, e.g. 0, 2500, 5000."
                    )
                }
            ) from None

    def tick_amounts(self) -> list[Decimal]:
        if not self.milestones.strip():
            return [Decimal(0), self.goal / 2, self.goal]
        return sorted(Decimal(part.strip()) for part in self.milestones.split(",") if part.strip())


class ChannelKind(models.TextChoices):
    PAYPAL = "paypal", _("PayPal (e-mail or donate link)")
    PATREON = "patreon", _("Patreon")
    CARD = "card", _("Card payment (Stripe Checkout)")
    BTCPAY = "btcpay", _("BTCPay Server (payment page link)")
    KOFI = "kofi", _("Ko-fi")
    LIBERAPAY = "liberapay", _("Liberapay")
    LINK = "link", _("Any other link")
    BANK = "bank", _("Bank transfer")
    BTC = "btc", _("Bitcoin (BTC)")
    BCH = "bch", _("Bitcoin Cash (BCH)")
    ETH = "eth", _("Ethereum (ETH)")
    CASH = "cash", _("Cash or cheque")  # booked by hand; not a way readers are shown


# The kinds an outlet can show readers as a way to give (cash is only booked by hand).
OFFERED_KINDS = [(kind, label) for kind, label in ChannelKind.choices if kind != ChannelKind.CASH]


CRYPTO_VALIDATORS = {
    ChannelKind.BTC: validate_bitcoin,
    ChannelKind.BCH: validate_bitcoin_cash,
    ChannelKind.ETH: validate_ethereum,
}
LINK_KINDS = {
    ChannelKind.PATREON,
    ChannelKind.KOFI,
    ChannelKind.LIBERAPAY,
    ChannelKind.LINK,
    ChannelKind.BTCPAY,
}


class Channel(models.Model):
    """One way to give: shown in the support blocks in editors' order."""

    kind = models.CharField(max_length=10, choices=OFFERED_KINDS, verbose_name=_("kind"))
    label = models.CharField(
        max_length=80, help_text=_("Shown to readers, e.g. “BTC”."), verbose_name=_("label")
    )
    value = models.TextField(
        help_text=_("Address, e-mail, link or transfer details, depending on the kind."),
        verbose_name=_("value"),
    )
    enabled = models.BooleanField(default=True, verbose_name=_("enabled"))
    sort_order = models.PositiveIntegerField(default=0, db_index=True, verbose_name=_("sort order"))

    panels = [
        FieldPanel("kind"),
        FieldPanel("label"),
        FieldPanel("value"),
        FieldPanel("enabled"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self):
        return f"{self.label} ({self.get_kind_display()})"

    @property
    def is_crypto(self) -> bool:
        return self.kind in CRYPTO_VALIDATORS

    def clean(self):
        self.value = self.value.strip()
        validator = CRYPTO_VALIDATORS.get(self.kind)
        if validator is not None:
            try:
                self.value = validator(self.value)
            except InvalidAddress as error:
                raise ValidationError({"value": str(error)}) from None
        elif self.kind in LINK_KINDS and not self.value.startswith(("https://", "http://")):
            raise ValidationError({"value": _("Give the full address, starting with https://.")})
        elif self.kind == ChannelKind.PAYPAL and not (
            "@" in self.value or self.value.startswith("https://")
        ):
            raise ValidationError({"value": _("Give a PayPal e-mail address or donate link.")})


class CurrencyRate(models.Model):
    """What one unit of `currency` was worth in `campaign_currency` from `valid_from` on.

    Donations record the rate in force when they arrive, so later changes never move
    past totals.
    """

    currency = models.CharField(
        max_length=3, validators=[currency_code], verbose_name=_("currency")
    )
    campaign_currency = models.CharField(
        max_length=3, validators=[currency_code], verbose_name=_("campaign currency")
    )
    rate = models.DecimalField(
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        verbose_name=_("rate"),
    )
    valid_from = models.DateTimeField(verbose_name=_("valid from"))

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("currency rate")
        verbose_name_plural = _("currency rates")

    def __str__(self):
        return f"1 {self.currency} = {self.rate} {self.campaign_currency}"


class WebhookDelivery(models.Model):
    """Deliveries already handled, so a provider's retries and replays do no work twice."""

    provider = models.CharField(max_length=20)
    delivery_id = models.CharField(max_length=200)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "delivery_id"], name="one_delivery")
        ]

    def __str__(self):
        return f"{self.provider} {self.delivery_id}"


class AskPosition(models.TextChoices):
    """Where on the site a reader was asked when they chose to give: recorded with the
    gift, first-party, from the form that led to the checkout."""

    BANNER = "banner", _("Goal bar")
    ARTICLE_TOP = "article_top", _("Before the article")
    ARTICLE_END = "article_end", _("End of the article")
    SUPPORT_PAGE = "support_page", _("Support page")
    COMMENT_BUBBLE = "comment_bubble", _("Comment bubble")  # reserved for a later ask


class DonationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUNDED = "refunded", _("Refunded")


class Donation(models.Model):
    """One gift, from any path. (channel, external_reference) makes replays harmless."""

    amount = models.DecimalField(
        max_digits=LEDGER_MAX_DIGITS, decimal_places=LEDGER_DECIMAL_PLACES, verbose_name=_("amount")
    )  # every path in checks amounts with `amounts.ledger_amount`
    currency = models.CharField(
        max_length=3, validators=[currency_code], verbose_name=_("currency")
    )
    channel = models.CharField(
        max_length=10, choices=ChannelKind.choices, verbose_name=_("channel")
    )
    external_reference = models.CharField(max_length=200, verbose_name=_("external reference"))
    donor_name = models.CharField(max_length=120, blank=True, verbose_name=_("donor name"))
    is_anonymous = models.BooleanField(default=True, verbose_name=_("is anonymous"))
    message = models.TextField(blank=True, max_length=1000, verbose_name=_("message"))
    email = models.EmailField(
        blank=True, help_text=_("Private: for the receipt only."), verbose_name=_("email")
    )
    status = models.CharField(
        max_length=10,
        choices=DonationStatus.choices,
        default=DonationStatus.CONFIRMED,
        verbose_name=_("status"),
    )
    received_at = models.DateTimeField(db_index=True, verbose_name=_("received at"))
    campaign_currency = models.CharField(
        max_length=3, validators=[currency_code], verbose_name=_("campaign currency")
    )
    rate_to_campaign = models.DecimalField(
        max_digits=18,
        decimal_places=8,
        null=True,
        blank=True,
        help_text=_(
            "Value of one unit of this currency in the campaign currency, when "
            "received. Empty: no rate was known; the gift is not counted until one is set."
        ),
        verbose_name=_("rate to campaign"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    email_verified = models.BooleanField(
        default=False,
        help_text=_("Confirmed by the provider or entered by an editor."),
        verbose_name=_("email verified"),
    )
    donor = models.ForeignKey(
        "Donor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        verbose_name=_("donor"),
    )
    recurring = models.ForeignKey(
        "RecurringGift",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
        help_text=_("The monthly gift this payment belongs to."),
        verbose_name=_("recurring"),
    )
    article = models.ForeignKey(
        "publishing.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The article the reader gave from."),
        verbose_name=_("article"),
    )
    position = models.CharField(
        max_length=20,
        blank=True,
        choices=AskPosition.choices,
        help_text=_("Where on the site the reader was asked."),
        verbose_name=_("position"),
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_reference"], name="one_donation_per_reference"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donation_is_positive"),
        ]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")

    def __str__(self):
        return gettext("%(amount)s %(currency)s via %(channel)s") % {
            "amount": self.amount,
            "currency": self.currency,
            "channel": self.get_channel_display(),
        }


# Donors, monthly gifts and where gifts came from (issue 18) ---------------------------


class DonorStatus(models.TextChoices):
    ONE_OFF = "one_off", _("One-off")
    MONTHLY_ACTIVE = "monthly_active", _("Monthly, active")
    MONTHLY_LAPSED = "monthly_lapsed", _("Monthly, lapsed")


class Donor(models.Model):
    """One person who gave, across channels: matched by normalised e-mail address (see
    `services.donors`) and, when they gave signed in, by reader account.

    The figures (first and last gift, lifetime total, monthly gifts) are kept current
    by the recording services whenever one of the donor's gifts changes, so that lists
    read them without summing the ledger. `merged_into` marks a record merged into
    another: gifts from its address go to that one. An erased donor keeps no personal
    data; their gifts stay in the books, anonymous.
    """

    email = models.EmailField(
        blank=True, help_text=_("Private: for receipts and links only."), verbose_name=_("email")
    )
    email_key = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    email_verified = models.BooleanField(
        default=False,
        help_text=_(
            "Confirmed by the payment provider or entered by an editor; see "
            "services.donors.VERIFIED_EMAIL_CHANNELS."
        ),
        verbose_name=_("email verified"),
    )
    name = models.CharField(max_length=120, blank=True, verbose_name=_("name"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donors",
        help_text=_("The reader account they gave from, signed in."),
        verbose_name=_("user"),
    )
    show_name = models.BooleanField(
        default=False,
        verbose_name=_("Name on the supporters wall and badge"),
        help_text=_("The donor's own choice: at checkout or on their manage page."),
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_donors",
        verbose_name=_("merged into"),
    )
    erased_at = models.DateTimeField(null=True, blank=True, verbose_name=_("erased at"))
    # Changes each time a manage link is used, so each link opens the page once.
    manage_nonce = models.CharField(max_length=32, blank=True, editable=False)
    # The donor's key in the Rostra archive it was restored from, if any.
    origin_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    gifts = models.PositiveIntegerField(default=0, editable=False)
    first_gift_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_gift_at = models.DateTimeField(null=True, blank=True, editable=False)
    lifetime_total = models.DecimalField(
        max_digits=18, decimal_places=2, default=Decimal(0), editable=False
    )
    lifetime_currency = models.CharField(max_length=3, blank=True, editable=False)
    active_monthly_gifts = models.PositiveIntegerField(default=0, editable=False)
    last_monthly_gift_at = models.DateTimeField(null=True, blank=True, editable=False)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-last_gift_at", "-pk"]
        constraints = [
            # One live record per address and kind of address (a verified and an
            # unverified one may share an address: they are never merged automatically).
            models.UniqueConstraint(
                fields=["email_key", "email_verified"],
                condition=models.Q(merged_into__isnull=True) & ~models.Q(email_key=""),
                name="one_live_donor_per_address",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(merged_into__isnull=True, user__isnull=False),
                name="one_live_donor_per_reader",
            ),
        ]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self):
        if self.erased_at:
            return gettext("Erased donor #%(number)s") % {"number": self.pk}
        return self.name or self.email or gettext("Donor #%(number)s") % {"number": self.pk}

    @property
    def status(self) -> str:
        from django.utils import timezone

        return self.status_at(timezone.now())

    def status_at(self, now) -> str:
        """One-off, monthly active (a monthly gift not cancelled, paid within the last 35
        days) or monthly lapsed (a former monthly donor: cancelled, or a payment missed
        for more than 35 days). Days are counted in TIME_ZONE: see `lapse_cutoff`."""
        if self.last_monthly_gift_at is None:
            return DonorStatus.ONE_OFF
        if self.active_monthly_gifts and self.last_monthly_gift_at >= lapse_cutoff(now):
            return DonorStatus.MONTHLY_ACTIVE
        return DonorStatus.MONTHLY_LAPSED


class RecurringGiftStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Payment failed")
    CANCELLED = "cancelled", _("Cancelled")


class RecurringGift(models.Model):
    """A monthly gift as the provider runs it: a Stripe subscription, a Patreon
    membership, a PayPal subscription. Each payment is a Donation pointing here."""

    channel = models.CharField(
        max_length=10, choices=ChannelKind.choices, verbose_name=_("channel")
    )
    reference = models.CharField(
        max_length=200, help_text=_("The provider's id for it."), verbose_name=_("reference")
    )
    customer_reference = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Stripe's customer, for the billing portal."),
        verbose_name=_("customer reference"),
    )
    donor = models.ForeignKey(
        Donor,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recurring_gifts",
        verbose_name=_("donor"),
    )
    amount = models.DecimalField(
        max_digits=LEDGER_MAX_DIGITS,
        decimal_places=LEDGER_DECIMAL_PLACES,
        null=True,
        blank=True,
        verbose_name=_("amount"),
    )
    currency = models.CharField(max_length=3, blank=True, verbose_name=_("currency"))
    status = models.CharField(
        max_length=10,
        choices=RecurringGiftStatus.choices,
        default=RecurringGiftStatus.ACTIVE,
        verbose_name=_("status"),
    )
    started_at = models.DateTimeField(verbose_name=_("started at"))
    cancelled_at = models.DateTimeField(null=True, blank=True, verbose_name=_("cancelled at"))
    # The unpaid invoice the donor was told about, so a failure is told once.
    failed_invoice = models.CharField(max_length=200, blank=True, verbose_name=_("failed invoice"))
    article = models.ForeignKey(
        "publishing.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("article"),
    )
    position = models.CharField(
        max_length=20, blank=True, choices=AskPosition.choices, verbose_name=_("position")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "reference"], name="one_recurring_gift_per_reference"
            )
        ]
        verbose_name = _("recurring gift")
        verbose_name_plural = _("recurring gifts")

    def __str__(self):
        return gettext("Monthly %(channel)s gift %(reference)s") % {
            "channel": self.get_channel_display(),
            "reference": self.reference,
        }
