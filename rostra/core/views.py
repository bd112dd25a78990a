from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from rostra.core import source


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=86400, public=True)
def source_archive(request):
    """The running code's source, offered to every reader as the AGPL asks."""
    response = HttpResponse(source.source_archive(), content_type="application/gzip")
    response["Content-Disposition"] = f'attachment; filename="{source.archive_name()}"'
    return response
