"""Donor records: which person a gift belongs to, their figures, merging two records
and erasing one. The recording services (`donations`, `recurring`) call
`donor_for_gift` and `donor_refresh` inside their transactions; nothing else links a
gift to a donor.

Matching. A gift belongs to the donor of the reader account it was given from (signed
in), else to the donor with the same normalised e-mail address (`email_key`: case
folded, `+tag` dropped) *and the same standing of that address*: a verified address
only ever matches a verified donor, an unverified one an unverified donor, so nobody can
join a stranger's record by typing their address. Editors may merge any two records.

What "verified" means, per way in:
- Stripe (card), PayPal and Patreon: the provider reports the address of the account
  or customer that paid, which it has confirmed (PayPal and Patreon accounts confirm
  their address; Stripe receipts go to the card payer's address).
- Ko-fi and BTCPay: the address is whatever the supporter typed at checkout: not
  verified.
- Entered or corrected by an editor in the admin: verified by the editor.
- A gift without an address and without an account belongs to no donor.
"""

import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from rostra.core import events
from rostra.core.badges import AccountBadgesChanged
from rostra.funding.addresses import email_key
from rostra.funding.models import (
    ChannelKind,
    Donation,
    DonationStatus,
    Donor,
    RecurringGift,
    RecurringGiftStatus,
)

VERIFIED_EMAIL_CHANNELS = frozenset({ChannelKind.CARD, ChannelKind.PAYPAL, ChannelKind.PATREON})


class DonorRefused(ValueError):
    """A change to donor records that cannot be made; the message says why."""


def email_is_verified(channel: str) -> bool:
    return channel in VERIFIED_EMAIL_CHANNELS


def _final(donor: Donor | None) -> Donor | None:
    """Follow a merged record to the one it was merged into."""
    seen = set()
    while donor is not None and donor.merged_into_id and donor.pk not in seen:
        seen.add(donor.pk)
        donor = Donor.objects.select_for_update().get(pk=donor.merged_into_id)
    return donor


def _by_address(key: str, verified: bool) -> Donor | None:
    """The live donor with this address, else the one a record with it was merged into."""
    found = (
        Donor.objects.select_for_update()
        .filter(email_key=key, email_verified=verified)
        .order_by(F("merged_into").asc(nulls_first=True), "pk")
        .first()
    )
    return _final(found)


def donor_for_gift(
    *, email: str, verified: bool, name: str = "", user_id: int | None = None, public=False
) -> Donor | None:
    """The donor a gift belongs to (created when new), under the matching rules above.
    A gift given with "show my name" turns the donor's `show_name` on (their latest
    choice). Call inside the recording transaction."""
    key = email_key(email)
    donor = None
    if user_id and not get_user_model().objects.filter(pk=user_id).exists():
        user_id = None  # an account closed since the checkout began
    if user_id:
        donor = Donor.objects.select_for_update().filter(user_id=user_id).first()
        donor = _final(donor)
    if donor is None and key:
        donor = _by_address(key, verified)
        if donor is None:
            try:
                with transaction.atomic():
                    donor = Donor.objects.create(
                        email=email.strip(),
                        email_key=key,
                        email_verified=verified,
                        name=name[:120],
                        user_id=user_id,
                    )
            except IntegrityError:  # a concurrent gift from the same address won
                donor = _by_address(key, verified)
    elif donor is None and user_id:
        donor = Donor.objects.create(name=name[:120], user_id=user_id)
    if donor is None:
        return None
    updates = []
    if name and not donor.name and not donor.erased_at:
        donor.name = name[:120]
        updates.append("name")
    if key and not donor.email_key and not donor.erased_at:
        donor.email, donor.email_key, donor.email_verified = email.strip(), key, verified
        updates += ["email", "email_key", "email_verified"]
    if user_id and donor.user_id is None:
        donor.user_id = user_id
        updates.append("user")
    if public and not donor.show_name and not donor.erased_at:
        donor.show_name = True
        updates.append("show_name")
    if updates:
        donor.save(update_fields=updates)
        if donor.gifts and {"user", "show_name"} & set(updates):
            # An account newly linked to a supporter, or a supporter now named.
            events.publish(AccountBadgesChanged(donor.user_id))
    return donor


def donor_refresh(donor: Donor | None, *, currency: str = "") -> None:
    """Recount the donor's figures from their gifts, the lifetime total in `currency`
    (default: the ledger's): two queries, whatever the number of gifts. Call inside the
    transaction that changed a gift."""
    if donor is None:
        return
    if not currency:
        from rostra.funding.selectors import ledger_currency

        currency = ledger_currency()
    # As the caller loaded it in this transaction (no query of its own: the write paths'
    # budgets are pinned); a concurrent gift could only make the badge wait for the
    # thread's next change, as before.
    was_supporter = donor.gifts
    confirmed = Donation.objects.filter(donor=donor, status=DonationStatus.CONFIRMED)
    value = ExpressionWrapper(
        F("amount") * F("rate_to_campaign"),
        output_field=DecimalField(max_digits=24, decimal_places=10),
    )
    in_currency = Q(campaign_currency=currency, rate_to_campaign__isnull=False)
    figures = confirmed.aggregate(
        gifts=Count("pk"),
        first=Min("received_at"),
        last=Max("received_at"),
        total=Sum(value, filter=in_currency),
        last_monthly=Max("received_at", filter=Q(recurring__isnull=False)),
    )
    Donor.objects.filter(pk=donor.pk).update(
        gifts=figures["gifts"],
        first_gift_at=figures["first"],
        last_gift_at=figures["last"],
        lifetime_total=Decimal(figures["total"] or 0).quantize(Decimal("0.01")),
        lifetime_currency=currency,
        last_monthly_gift_at=figures["last_monthly"],
        active_monthly_gifts=Coalesce(
            Subquery(
                RecurringGift.objects.filter(donor=donor)
                .exclude(status=RecurringGiftStatus.CANCELLED)
                .order_by()
                .values("donor")
                .annotate(running=Count("pk"))
                .values("running")[:1]
            ),
            0,
        ),
    )
    if donor.user_id is not None and bool(was_supporter) != bool(figures["gifts"]):
        # A first confirmed gift (or the last one refunded) gives or takes the badge.
        events.publish(AccountBadgesChanged(donor.user_id))
    donor.gifts = figures["gifts"]


def donor_set_show_name(*, donor: Donor, show: bool) -> bool:
    """The donor's choice of having their name on the supporters wall and a supporter
    badge. Returns whether it changed."""
    with transaction.atomic():
        changed = Donor.objects.filter(pk=donor.pk).exclude(show_name=show).update(show_name=show)
        if changed and donor.user_id is not None:
            events.publish(AccountBadgesChanged(donor.user_id))
    donor.show_name = show
    return bool(changed)


def _check_permission(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied


def donor_update(*, donor: Donor, name: str, show_name: bool, user) -> Donor:
    """An editor's correction of a donor's name or wall choice, logged with who did it."""
    from wagtail.log_actions import log

    _check_permission(user, "funding.change_donor")
    changes = {
        field: [str(getattr(donor, field)), str(value)]
        for field, value in (("name", name[:120]), ("show_name", show_name))
        if getattr(donor, field) != value
    }
    if changes:
        donor.name, donor.show_name = name[:120], show_name
        with transaction.atomic():
            donor.save(update_fields=list(changes))
            if "show_name" in changes and donor.user_id is not None:
                events.publish(AccountBadgesChanged(donor.user_id))
            log(instance=donor, action="wagtail.edit", user=user, data={"changes": changes})
    return donor


def donor_merge(*, keep: Donor, merge: Donor, user) -> Donor:
    """Move every gift and monthly gift of `merge` to `keep`; `merge` remains as a
    pointer, so later gifts from its address or account go to `keep`. Logged in
    Wagtail's history."""
    from wagtail.log_actions import log

    _check_permission(user, "funding.change_donor")
    if keep.pk == merge.pk:
        raise DonorRefused(_("Choose two different donor records."))
    with transaction.atomic():
        keep, merge = (
            Donor.objects.select_for_update().get(pk=keep.pk),
            Donor.objects.select_for_update().get(pk=merge.pk),
        )
        if keep.merged_into_id or merge.merged_into_id:
            raise DonorRefused(_("One of these records was already merged into another."))
        if keep.erased_at or merge.erased_at:
            raise DonorRefused(_("An erased donor record cannot be merged."))
        Donation.objects.filter(donor=merge).update(donor=keep)
        RecurringGift.objects.filter(donor=merge).update(donor=keep)
        Donor.objects.filter(merged_into=merge).update(merged_into=keep)
        user_id = merge.user_id
        merge.merged_into, merge.user = keep, None
        merge.save(update_fields=["merged_into", "user"])
        keep.name = keep.name or merge.name
        keep.show_name = keep.show_name or merge.show_name
        if keep.user_id is None and user_id:
            keep.user_id = user_id
        if not keep.email_key and merge.email_key:
            keep.email, keep.email_key = merge.email, merge.email_key
            keep.email_verified = merge.email_verified
        keep.save()
        donor_refresh(keep)
        donor_refresh(merge)
        for account in {keep.user_id, user_id} - {None}:
            events.publish(AccountBadgesChanged(account))
        log(instance=keep, action="rostra.donor.merge", user=user, data={"merged": merge.pk})
    keep.refresh_from_db()
    return keep


def donor_erase(*, donor: Donor, user) -> Donor:
    """Remove the donor's personal data: their address, name and account link, and the
    names, addresses and messages on their gifts (records merged into them included).
    Amounts, dates, channels and references stay, anonymous, for the books."""
    from wagtail.log_actions import log

    _check_permission(user, "funding.delete_donor")
    with transaction.atomic():
        donor = Donor.objects.select_for_update().get(pk=donor.pk)
        if donor.merged_into_id:
            raise DonorRefused(_("This record was merged into another: erase that one."))
        records = Donor.objects.filter(Q(pk=donor.pk) | Q(merged_into=donor))
        for account in records.exclude(user=None).values_list("user_id", flat=True):
            events.publish(AccountBadgesChanged(account))
        Donation.objects.filter(donor__in=records).update(
            donor_name="", email="", message="", is_anonymous=True, donor=donor
        )
        records.update(
            email="",
            email_key="",
            name="",
            user=None,
            show_name=False,
            manage_nonce=secrets.token_hex(16),
            erased_at=timezone.now(),
        )
        log(instance=donor, action="rostra.donor.erase", user=user)
    donor.refresh_from_db()
    return donor


def donor_restore(info, donation: Donation) -> Donor | None:
    """The donor of a gift re-created from a Rostra archive: the record restored from
    the same archive key if there is one, else the one the matching rules give (an
    erased record is re-created erased). Without donor data (an archive made without
    --private, or before donor records), the gift is matched like a new one."""
    if not isinstance(info, dict) or not isinstance(info.get("key"), str) or not info["key"]:
        return donor_for_gift(
            email=donation.email, verified=donation.email_verified, name=donation.donor_name
        )
    key = info["key"][:300]
    donor = Donor.objects.filter(origin_key=key, merged_into__isnull=True).first()
    if donor is None and info.get("erased"):
        return Donor.objects.create(origin_key=key, erased_at=timezone.now())
    if donor is None:
        email = info.get("email") if isinstance(info.get("email"), str) else ""
        donor = donor_for_gift(
            email=email,
            verified=info.get("email_verified") is True,
            name=str(info.get("name") or ""),
        )
        if donor is None:
            return None
        if not donor.origin_key:
            donor.origin_key = key
            donor.save(update_fields=["origin_key"])
    if info.get("show_name") is True and not donor.show_name:
        donor_set_show_name(donor=donor, show=True)
    return donor
