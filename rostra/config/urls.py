from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve as serve_file
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from rostra.core import js_catalog, staff_sign_in
from rostra.core import views as core_views
from rostra.discussion.api import api as discussion_api
from rostra.notifications.live import views as live_views
from rostra.publishing import favicon
from rostra.publishing import urls as publishing_urls

urlpatterns = [
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.svg", favicon.favicon_svg, name="favicon_svg"),
    path("apple-touch-icon.png", favicon.touch_icon, name="touch_icon"),
    path("favicon.ico", favicon.touch_icon),
    path("source.tar.gz", core_views.source_archive, name="source_archive"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("jsi18n/<str:language>/<str:digest>.js", js_catalog.catalog, name="js_catalog"),
    # Before Wagtail's own: its login views would skip the rate limits and second factor.
    path("admin/login/", staff_sign_in.sign_in_redirect),
    path("_util/login/", staff_sign_in.sign_in_redirect, {"default_next": "/"}),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Uploaded media. A reverse proxy in front may serve /media/ itself; see README.
    re_path(r"^media/(?P<path>.*)$", serve_file, {"document_root": settings.MEDIA_ROOT}),
    path("accounts/", include("allauth.urls")),
    path("comments/", include("rostra.discussion.urls")),
    path("notifications/", include("rostra.notifications.urls")),
    path("live/articles/<int:article_id>/", live_views.stream, name="live_stream"),
    path("live/articles/<int:article_id>/poll/", live_views.poll, name="live_poll"),
    path("api/", discussion_api.urls),
    path("", include("rostra.funding.urls")),
    path("", include(publishing_urls)),
    path("", include(wagtail_urls)),
]
