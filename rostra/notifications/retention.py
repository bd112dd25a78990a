"""What notifications let go of (called by rostra.core.retention.prune)."""

from django.conf import settings

from rostra.core.retention import delete_in_batches
from rostra.notifications.models import ConfirmationSent, DigestItem, LiveEvent, Subscription
from rostra.notifications.services import CONFIRMATION_RESEND_AFTER


def prune(now, dry_run: bool) -> dict[str, int]:
    window = settings.RETENTION
    unconfirmed_before = now - window["unconfirmed_subscriptions"]
    return {
        # A reader reconnecting with an older Last-Event-ID gets what is left: the page
        # it had open is that old, and a reload shows the comments anyway.
        "live events": delete_in_batches(
            LiveEvent.objects.filter(created_at__lt=now - window["live_events"]),
            dry_run=dry_run,
        ),
        "sent digest items": delete_in_batches(
            DigestItem.objects.filter(sent_at__lt=now - window["digest_items"]),
            dry_run=dry_run,
        ),
        # Once a day has passed the address may get a confirmation again anyway.
        "confirmation e-mail limits": delete_in_batches(
            ConfirmationSent.objects.filter(sent_at__lte=now - CONFIRMATION_RESEND_AFTER),
            dry_run=dry_run,
        ),
        # Guests who never confirmed: their links have expired; forget their addresses.
        "unconfirmed subscriptions": delete_in_batches(
            Subscription.objects.filter(
                confirmed_at__isnull=True, created_at__lt=unconfirmed_before
            ).exclude(confirmation_sent_at__gte=unconfirmed_before),
            dry_run=dry_run,
        ),
    }
