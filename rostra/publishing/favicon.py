"""The site's icon, drawn from its name: the initial in the heading font on the accent
colour, as SVG (browsers' tab icon) and as a 180 px PNG (touch icon, /favicon.ico).
Made by code, so every outlet gets its own without a design step."""

import io
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from PIL import Image, ImageDraw, ImageFont

ACCENT = "#9c1c1c"  # rostra.css --accent (light scheme)
HEADING_FONT = Path(__file__).parent / "static/rostra/fonts/source-serif-4-latin-700-normal.woff2"
TOUCH_SIZE = 180
ONE_DAY = 86400


def site_initial() -> str:
    name = settings.SITE_NAME.strip()
    for word in name.split():
        if word.lower() not in {"the", "a", "an"} and word[0].isalnum():
            return word[0].upper()
    return (name[:1] or "R").upper()


def icon_svg(initial: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{ACCENT}"/>'
        '<text x="32" y="47" text-anchor="middle" font-family="Source Serif 4, Georgia, serif" '
        f'font-weight="700" font-size="44" fill="#fff">{escape(initial)}</text></svg>'
    )


@lru_cache(maxsize=4)
def icon_png(initial: str, size: int = TOUCH_SIZE) -> bytes:
    image = Image.new("RGB", (size, size), ACCENT)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(HEADING_FONT), int(size * 0.68))
    draw.text((size / 2, size * 0.53), initial, font=font, fill="#ffffff", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@require_GET
@cache_control(max_age=ONE_DAY, public=True)
def favicon_svg(request):
    return HttpResponse(icon_svg(site_initial()), content_type="image/svg+xml")


@require_GET
@cache_control(max_age=ONE_DAY, public=True)
def touch_icon(request):
    """Also answers /favicon.ico, which browsers ask for on their own (PNG inside)."""
    return HttpResponse(icon_png(site_initial()), content_type="image/png")
