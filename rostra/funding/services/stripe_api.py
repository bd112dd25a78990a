"""Rostra's calls to Stripe's API (checkout, the customer portal, cancelling a monthly
gift) all go through one client, set up from the settings."""

import stripe
from django.conf import settings


def stripe_client() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=1,
    )
