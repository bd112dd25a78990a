from django.urls import path

from rostra.discussion import alert_views, views

app_name = "discussion"

urlpatterns = [
    path("articles/<int:article_id>/", views.section, name="section"),
    path("articles/<int:article_id>/more/", views.more_cards, name="more"),
    path("articles/<int:article_id>/post/", views.post_comment, name="post"),
    path("articles/<int:article_id>/passage/", views.passage, name="passage"),
    path("articles/<int:article_id>/sort/<str:sort>/", views.choose_sort, name="sort"),
    path("<int:comment_id>/", views.permalink, name="permalink"),
    path("<int:comment_id>/vote/", views.vote, name="vote"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
    path("<int:comment_id>/report/", views.report, name="report"),
    path("alerts/<str:token>/", alert_views.alert_link, name="alert_link"),
]
