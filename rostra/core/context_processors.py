from django.conf import settings
from django.urls import reverse


def site(request):
    """Values every page template needs: the newsroom's name, public address, source link."""
    return {
        "site_name": settings.SITE_NAME,
        "base_url": settings.BASE_URL,
        "source_url": settings.SOURCE_URL or reverse("source_archive"),
    }
