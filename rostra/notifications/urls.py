from django.urls import path

from rostra.notifications import views

app_name = "notifications"

urlpatterns = [
    path("subscribe/<int:article_id>/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/<str:token>/", views.manage, name="manage"),
]
