from django.urls import path

from rostra.funding import views, webhooks

app_name = "funding"

urlpatterns = [
    path("support/", views.support, name="support"),
    path("funding/webhooks/stripe/", webhooks.stripe_webhook, name="stripe_webhook"),
]
