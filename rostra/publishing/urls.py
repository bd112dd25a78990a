from django.urls import path

from rostra.publishing import feeds, views

app_name = "publishing"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("feeds/atom/", feeds.ArticlesAtomFeed(), name="atom_feed"),
    path("feeds/rss/", feeds.ArticlesRssFeed(), name="rss_feed"),
]
