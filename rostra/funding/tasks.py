from django_tasks import task

from rostra.core import queues
from rostra.core.email import send_email_once
from rostra.core.tasks import run_id
from rostra.funding.models import Donation, RecurringGift
from rostra.funding.money import format_money


@task(queue_name=queues.EMAIL, takes_context=True)
def send_receipt(context, donation_id: int) -> int:
    """Thank-you e-mail with the gift's details, to the address the donor gave."""
    donation = Donation.objects.filter(pk=donation_id).exclude(email="").first()
    if donation is None:
        return 0
    return send_email_once(
        key=f"receipt:{donation.pk}",
        owner=run_id(context),
        template="funding/email/receipt",
        context={
            "donation": donation,
            "amount": format_money(donation.amount, donation.currency),
        },
        to=donation.email,
    )


def _manage_url(donor) -> str:
    from django.conf import settings
    from django.urls import reverse

    from rostra.funding.manage_links import manage_link_token

    path = reverse("funding:manage_open", args=[manage_link_token(donor)])
    return f"{settings.BASE_URL}{path}"


@task(queue_name=queues.EMAIL, takes_context=True)
def send_manage_link(context, email: str) -> int:
    """The donor's manage link, to the address on their record, if the address given
    belongs to a donor; nothing otherwise (the reader was told the same either way)."""
    from rostra.funding.manage_links import donor_for_manage_link

    donor = donor_for_manage_link(email)
    if donor is None or not donor.email:
        return 0
    return send_email_once(
        key=f"manage-link:{run_id(context)}",
        owner=run_id(context),
        template="funding/email/manage_link",
        context={"donor": donor, "manage_url": _manage_url(donor)},
        to=donor.email,
    )


@task(queue_name=queues.EMAIL, takes_context=True)
def send_payment_failed(context, gift_id: int, invoice: str) -> int:
    """One polite note per unpaid invoice of a monthly gift, with a manage link."""
    gift = RecurringGift.objects.select_related("donor").filter(pk=gift_id).first()
    donor = gift.donor if gift else None
    if donor is None or not donor.email or donor.erased_at:
        return 0
    return send_email_once(
        key=f"payment-failed:{gift.pk}:{invoice}",
        owner=run_id(context),
        template="funding/email/payment_failed",
        context={
            "donor": donor,
            "amount": format_money(gift.amount, gift.currency) if gift.amount else "",
            "manage_url": _manage_url(donor),
        },
        to=donor.email,
    )
