from django.urls import path

from rostra.notifications import views
from rostra.notifications.feeds import CommentsFeed

app_name = "notifications"

urlpatterns = [
    path("subscribe/<int:article_id>/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("feeds/comments/", CommentsFeed(), name="comments_feed"),
    path("feeds/articles/<int:article_id>/", CommentsFeed(), name="article_comments_feed"),
    path("feeds/replies/<str:token>/", CommentsFeed(), name="replies_feed"),
]
