from django_tasks import task

from rostra.core.email import send_email
from rostra.funding.models import Donation
from rostra.funding.money import format_money


@task()
def send_receipt(donation_id: int) -> int:
    """Thank-you e-mail with the gift's details, to the address the donor gave."""
    donation = Donation.objects.filter(pk=donation_id).exclude(email="").first()
    if donation is None:
        return 0
    return send_email(
        template="funding/email/receipt",
        context={
            "donation": donation,
            "amount": format_money(donation.amount, donation.currency),
        },
        to=[donation.email],
    )
