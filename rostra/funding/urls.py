from django.urls import path

from rostra.funding import views, webhooks

app_name = "funding"

urlpatterns = [
    path("support/", views.support, name="support"),
    path("support/card/", views.card_checkout, name="card_checkout"),
    path("support/thanks/", views.thanks, name="thanks"),
    path("funding/webhooks/stripe/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("funding/webhooks/btcpay/", webhooks.btcpay_webhook, name="btcpay_webhook"),
    path("funding/webhooks/kofi/", webhooks.kofi_webhook, name="kofi_webhook"),
    path("funding/webhooks/paypal/", webhooks.paypal_ipn, name="paypal_ipn"),
    path("funding/webhooks/patreon/", webhooks.patreon_webhook, name="patreon_webhook"),
]
