from django.urls import path

from rostra.publishing import feeds, selectors, views

app_name = "publishing"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("tags/<slug:slug>/", views.tag, name="tag"),
    path("feeds/atom/", feeds.ArticlesAtomFeed(selectors.feed_articles), name="atom_feed"),
    path("feeds/rss/", feeds.ArticlesRssFeed(selectors.feed_articles), name="rss_feed"),
]
