from django.urls import path

from rostra.funding import views

app_name = "funding"

urlpatterns = [
    path("support/", views.support, name="support"),
    path("support/card/", views.card_checkout, name="card_checkout"),
    path("support/thanks/", views.thanks, name="thanks"),
    path("support/manage/", views.manage_request, name="manage_request"),
    path("support/manage/open/<str:token>/", views.manage_open, name="manage_open"),
    path("support/manage/gifts/", views.manage_gifts, name="manage_gifts"),
    path("support/manage/gifts/wall/", views.manage_wall, name="manage_wall"),
    path("support/manage/monthly/<int:gift_id>/cancel/", views.manage_cancel, name="manage_cancel"),
    path("support/manage/monthly/<int:gift_id>/card/", views.manage_card, name="manage_card"),
    path("support/manage/receipt/<int:donation_id>/", views.manage_receipt, name="manage_receipt"),
    path("support/manage/summary/<int:year>/", views.manage_summary, name="manage_summary"),
    # Every provider in funding.providers: stripe, btcpay, kofi, patreon, paypal.
    path("funding/webhooks/<slug:provider>/", views.webhook, name="webhook"),
]
