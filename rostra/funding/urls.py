from django.urls import path

from rostra.funding import views

app_name = "funding"

urlpatterns = [
    path("support/", views.support, name="support"),
    path("support/card/", views.card_checkout, name="card_checkout"),
    path("support/thanks/", views.thanks, name="thanks"),
    # Every provider in funding.providers: stripe, btcpay, kofi, patreon, paypal.
    path("funding/webhooks/<slug:provider>/", views.webhook, name="webhook"),
]
