from django.conf import settings


def site(request):
    """Values every page template needs: the newsroom's name and public address."""
    return {"site_name": settings.SITE_NAME, "base_url": settings.BASE_URL}
