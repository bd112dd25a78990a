from django_tasks import task

from rostra.core import queues
from rostra.core.email import send_email_once
from rostra.core.tasks import run_id
from rostra.funding.models import Donation
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
